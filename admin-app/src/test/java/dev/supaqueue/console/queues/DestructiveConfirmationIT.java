package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Every action the queue screen treats as destructive (delete, move, each "up to msg_id" action including replay,
 * purge, drop queue), through the real screen: the click only asks; the rows are counted in the database while
 * the question is open and after Cancel, and they are all still there. Purge and drop keep their confirm button
 * disabled until the queue name is typed exactly; with it they do run.
 */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class DestructiveConfirmationIT {

    private final FxBackgroundTasks tasks = new FxBackgroundTasks(2);
    private Stage stage;
    private QueuesViewModel viewModel;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void closeTasks() {
        tasks.close();
    }

    @Test
    void deleteMoveAndUpToActionsChangeNothingUntilConfirmed(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("confirm_src");
        String other = queues.create("confirm_dst");
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 4, "work");
        }
        TableView<MessageRow> table = show(robot, QueueAdmin.create(db.dataSource()), queue);

        // Delete the selected rows: asked, not done; cancelled, still not done.
        robot.interact(() -> table.getSelectionModel().selectIndices(0, 1));
        askThenCancel(robot, "#deleteButton", db, queue, 4, other, 0);

        // Move the selected rows to another queue.
        robot.interact(() -> {
            robot.lookup("#moveTargetField").queryAs(TextField.class).setText(other);
            table.getSelectionModel().selectIndices(2, 3);
        });
        askThenCancel(robot, "#moveButton", db, queue, 4, other, 0);

        // Every "up to msg_id" action asks too.
        for (String button : List.of("#deleteUpToButton", "#archiveUpToButton", "#moveUpToButton",
                "#postponeUpToButton", "#makeVisibleUpToButton")) {
            askThenCancel(robot, button, db, queue, 4, other, 0);
        }

        // And the confirm button really runs it: the cancelled ones above were not disabled by accident.
        robot.interact(() -> table.getSelectionModel().clearAndSelect(0));
        robot.clickOn("#deleteButton");
        assertThat(viewModel.actions().pendingProperty().get()).isNotNull();
        robot.clickOn("#confirmButton");
        waitUntil(() -> viewModel.actions().resultProperty().get() != null
                || viewModel.actions().errorProperty().get() != null);
        assertThat(viewModel.actions().errorProperty().get()).isNull();
        assertThat(viewModel.actions().resultProperty().get()).startsWith("Deleted 1 of 1");
        assertThat(queueLength(db, queue)).isEqualTo(3);
    }

    @Test
    void replayUpToFromTheDeadLettersWaitsForItsConfirmation(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("confirm_replay");
        String deadLetters = queues.track(queue + "_xq");
        try (Connection connection = db.connect()) {
            QueueFixtures.create(connection, deadLetters);
            QueueFixtures.sendDramatiq(connection, queue, 1, "work");
            QueueFixtures.sendDramatiq(connection, deadLetters, 3, "work");
        }
        TableView<MessageRow> table = show(robot, QueueAdmin.create(db.dataSource()), queue);
        robot.interact(() -> robot.lookup("#sourceChoice").queryAs(ChoiceBox.class).setValue(SourceKind.DEAD_LETTERS));
        waitUntil(() -> table.getItems().size() == 3);

        askThenCancel(robot, "#replayUpToButton", db, deadLetters, 3, queue, 1);
    }

    @Test
    void purgeNeedsTheQueueNameTypedExactly(FxRobot robot, TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("confirm_purge");
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 3, "work");
        }
        TableView<MessageRow> table = show(robot, QueueAdmin.create(db.dataSource()), queue);
        robot.clickOn("#purgeButton");
        Button confirm = robot.lookup("#confirmButton").queryButton();
        TextField name = robot.lookup("#confirmNameField").queryAs(TextField.class);
        assertThat(confirm.isDisabled()).as("nothing typed").isTrue();

        for (String wrong : List.of(queue.substring(0, queue.length() - 1), queue.toUpperCase(Locale.ROOT),
                queue + " ", "'; DROP TABLE x; --")) {
            robot.interact(() -> name.setText(wrong));
            assertThat(confirm.isDisabled()).as("typed '" + wrong + "'").isTrue();
            assertThat(confirm.getAccessibleHelp()).contains("type " + queue + " exactly");
            robot.interact(() -> robot.lookup("#confirmButton").queryButton().fire());
            assertThat(queueLength(db, queue)).isEqualTo(3);
        }

        robot.clickOn("#cancelConfirmButton");
        assertThat(queueLength(db, queue)).isEqualTo(3);
        assertThat(table.getItems()).hasSize(3);

        robot.clickOn("#purgeButton");
        robot.clickOn(name).write(queue);
        assertThat(confirm.isDisabled()).isFalse();
        robot.clickOn(confirm);
        waitUntil(() -> queueLength(db, queue) == 0);
    }

    @Test
    void dropNeedsTheQueueNameTypedExactly(FxRobot robot, TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("confirm_drop");
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 2, "work");
        }
        show(robot, QueueAdmin.create(db.dataSource()), queue);
        robot.clickOn("#dropQueueButton");
        Node dropBar = robot.lookup("#dropBar").query();
        assertThat(dropBar.isVisible()).isTrue();
        Button confirm = robot.lookup("#confirmDropButton").queryButton();
        TextField name = robot.lookup("#dropConfirmField").queryAs(TextField.class);
        assertThat(confirm.isDisabled()).isTrue();

        for (String wrong : List.of("", queue + "x", queue.toUpperCase(Locale.ROOT), "'; DROP TABLE x; --")) {
            robot.interact(() -> name.setText(wrong));
            assertThat(confirm.isDisabled()).as("typed '" + wrong + "'").isTrue();
            robot.interact(() -> robot.lookup("#confirmDropButton").queryButton().fire());
            assertThat(queueExists(db, queue)).isTrue();
            assertThat(queueLength(db, queue)).isEqualTo(2);
        }
        robot.interact(() -> robot.lookup("#dropBar .button").queryAll().stream()
                .filter(node -> node != confirm).map(Button.class::cast).findFirst().orElseThrow().fire());
        assertThat(dropBar.isVisible()).isFalse();
        assertThat(queueExists(db, queue)).isTrue();

        robot.clickOn("#dropQueueButton");
        robot.clickOn(name).write(queue);
        assertThat(confirm.isDisabled()).isFalse();
        robot.clickOn(confirm);
        waitUntil(() -> !queueExists(db, queue));
    }

    /**
     * Clicks {@code button}: the confirmation bar must open and nothing may change in either queue; then Cancel
     * closes it and still nothing changed.
     */
    private void askThenCancel(FxRobot robot, String button, TestDatabaseServer db, String queue, long length,
                               String other, long otherLength) throws Exception {
        assertThat(robot.lookup(button).queryButton().isDisabled()).as(button + " enabled").isFalse();
        robot.clickOn(button);
        Node bar = robot.lookup("#confirmBar").query();
        assertThat(bar.isVisible()).as(button + " asks first").isTrue();
        assertThat(robot.lookup("#confirmButton").queryButton().isDisabled()).isFalse();
        assertThat(queueLength(db, queue)).as(button + " while asking").isEqualTo(length);
        assertThat(queueLength(db, other)).isEqualTo(otherLength);
        assertThat(archived(db, queue)).isZero();

        robot.clickOn("#cancelConfirmButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(bar.isVisible()).isFalse();
        assertThat(queueLength(db, queue)).as(button + " after cancel").isEqualTo(length);
        assertThat(queueLength(db, other)).isEqualTo(otherLength);
        assertThat(archived(db, queue)).isZero();
        assertThat(viewModel.actions().runningProperty().get()).isFalse();
    }

    private static long queueLength(TestDatabaseServer db, String queue) throws SQLException {
        try (Connection connection = db.connect()) {
            return PgmqSql.single(connection, "SELECT queue_length FROM pgmq.metrics(?::text)", queue);
        }
    }

    private static long archived(TestDatabaseServer db, String queue) throws SQLException {
        try (Connection connection = db.connect()) {
            return PgmqSql.archive(connection, queue).size();
        }
    }

    private static boolean queueExists(TestDatabaseServer db, String queue) throws SQLException {
        try (Connection connection = db.connect()) {
            return PgmqSql.single(connection, "SELECT count(*) FROM pgmq.meta WHERE queue_name = ?", queue) == 1;
        }
    }

    private TableView<MessageRow> show(FxRobot robot, QueueAdmin admin, String queue) throws TimeoutException {
        ResourceBundle texts = ConsoleMessages.bundle();
        ManualTicker ticker = new ManualTicker();
        List<String> clipboard = new ArrayList<>();
        QueuePoller poller = QueuePoller.forAdmin(() -> admin, tasks, ticker);
        viewModel = new QueuesViewModel(poller, () -> admin, tasks, ticker, clipboard::add, texts, Locale.ENGLISH,
                ZoneId.of("UTC"));
        robot.interact(() -> {
            var loaded = new ViewLoader(type -> new QueuesView(viewModel, texts), texts).load(QueuesView.class);
            stage.setScene(new Scene(loaded.root(), 1280, 800));
            stage.show();
        });
        waitUntil(() -> !viewModel.namespaces().isEmpty());
        robot.interact(() -> assertThat(viewModel.selectQueue(queue)).isTrue());
        TableView<MessageRow> table = robot.lookup("#messageTable").queryTableView();
        waitUntil(() -> !table.getItems().isEmpty());
        return table;
    }

    private static void waitUntil(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
