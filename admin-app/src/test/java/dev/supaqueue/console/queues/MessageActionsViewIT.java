package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.BrowseRequest;
import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The queue screen's action bars, loaded from Queues.fxml, against the real database on background threads. */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
class MessageActionsViewIT {

    private static final List<String> ACTION_BUTTONS = List.of("#deleteButton", "#archiveButton",
            "#makeVisibleButton", "#postponeButton", "#replayButton", "#moveButton", "#purgeButton",
            "#deleteUpToButton", "#archiveUpToButton", "#replayUpToButton", "#moveUpToButton");

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
    void deletesTwoSelectedRowsAfterTheConfirmationBar(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("view_delete");
        List<Long> sent;
        try (Connection connection = db.connect()) {
            sent = QueueFixtures.sendDramatiq(connection, queue, 5, "work");
        }
        TableView<MessageRow> table = show(robot, QueueAdmin.create(db.dataSource()), queue);
        Button delete = robot.lookup("#deleteButton").queryButton();
        assertThat(delete.isDisabled()).isTrue();
        assertThat(delete.getAccessibleHelp()).isEqualTo("Select messages first");
        assertThat(robot.lookup("#upToField").queryAs(TextField.class).getText())
                .isEqualTo(Long.toString(sent.getLast()));

        robot.interact(() -> table.getSelectionModel().selectIndices(1, 2));
        assertThat(delete.isDisabled()).isFalse();
        robot.clickOn(delete);
        HBox confirmBar = robot.lookup("#confirmBar").queryAs(HBox.class);
        assertThat(confirmBar.isVisible()).isTrue();
        assertThat(robot.lookup("#confirmLabel").queryAs(Label.class).getText())
                .startsWith("Delete 2 selected messages from " + queue);
        assertThat(robot.lookup("#confirmNameField").queryAs(TextField.class).isVisible()).isFalse();

        robot.clickOn("#confirmButton");
        Label result = robot.lookup("#actionResultLabel").queryAs(Label.class);
        waitUntil(() -> result.getText() != null && result.getText().startsWith("Deleted 2 of 2 selected messages"));
        waitUntil(() -> table.getItems().size() == 3);
        assertThat(table.getItems()).extracting(MessageRow::msgId)
                .containsExactly(sent.get(0), sent.get(3), sent.get(4));
        assertThat(confirmBar.isVisible()).isFalse();
        assertThat(robot.lookup("#progressBar").queryAs(HBox.class).isVisible()).isFalse();

        robot.clickOn("#actionResultBar .button");
        assertThat(robot.lookup("#actionResultBar").queryAs(HBox.class).isVisible()).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void replaysSelectedDeadLettersBackToTheirQueue(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("view_replay");
        String deadLetters = queues.track(queue + "_xq");
        try (Connection connection = db.connect()) {
            QueueFixtures.create(connection, deadLetters);
            QueueFixtures.sendDramatiq(connection, queue, 1, "work");
            QueueFixtures.sendDramatiq(connection, deadLetters, 2, "work");
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        List<String> deadIds = admin.browse(BrowseRequest.firstPage(MessageSource.deadLetters(queue))).messages()
                .stream().map(BrowsedMessage::messageId).toList();
        TableView<MessageRow> table = show(robot, admin, queue);
        robot.interact(() -> robot.lookup("#sourceChoice").queryAs(ChoiceBox.class).setValue(SourceKind.DEAD_LETTERS));
        waitUntil(() -> table.getItems().size() == 2);
        assertThat(robot.lookup("#replayButton").queryButton().isDisabled()).isTrue();

        robot.interact(() -> table.getSelectionModel().selectAll());
        robot.clickOn("#replayButton");
        Label result = robot.lookup("#actionResultLabel").queryAs(Label.class);
        waitUntil(() -> result.getText() != null && result.getText().startsWith("Replayed 2"));
        waitUntil(() -> table.getItems().isEmpty());
        assertThat(admin.browse(BrowseRequest.firstPage(MessageSource.queue(queue))).messages())
                .extracting(BrowsedMessage::messageId).hasSize(3).containsAll(deadIds);
    }

    @Test
    void purgeAsksForTheQueueNameTyped(FxRobot robot, TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("view_purge");
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 3, "work");
        }
        TableView<MessageRow> table = show(robot, QueueAdmin.create(db.dataSource()), queue);
        robot.clickOn("#purgeButton");
        TextField name = robot.lookup("#confirmNameField").queryAs(TextField.class);
        assertThat(name.isVisible()).isTrue();
        robot.clickOn(name).write("nope");
        // A wrong name keeps Confirm disabled, and says why.
        assertThat(robot.lookup("#confirmButton").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#confirmButton").queryButton().getAccessibleHelp()).contains("does not match");
        assertThat(table.getItems()).hasSize(3);

        robot.interact(() -> name.setText(queue));
        robot.clickOn("#confirmButton");
        waitUntil(() -> table.getItems().isEmpty());
        assertThat(robot.lookup("#actionResultLabel").queryAs(Label.class).getText())
                .isEqualTo("Purged 3 messages from " + queue + ".");
    }

    @Test
    void aReadOnlyConnectionDisablesEveryButtonAndSaysWhy(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("view_readonly");
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 2, "work");
        }
        TableView<MessageRow> table = show(robot, QueueAdmin.create(db.dataSource(),
                AdminOptions.defaults().asReadOnly()), queue);
        robot.interact(() -> table.getSelectionModel().selectAll());
        for (String id : ACTION_BUTTONS) {
            Button button = robot.lookup(id).queryButton();
            assertThat(button.isDisabled()).as(id).isTrue();
            assertThat(button.getAccessibleHelp()).as(id)
                    .isEqualTo("This connection is read-only; nothing can be changed");
        }
        assertThat(robot.lookup("#upToField").queryAs(TextField.class).isDisabled()).isTrue();
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

    private static void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
