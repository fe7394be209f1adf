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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
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
 * Bad input typed into the real queue screen: a new queue name, the payload filter, the move target and the
 * "up to" msg_id are each named beside their field and their button is disabled; nothing reaches the database
 * (no queue is created, the messages are untouched).
 */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
@Timeout(60)
class QueueInputsViewIT {

    private static final String HOSTILE = "'; DROP TABLE x; --";

    private final FxBackgroundTasks tasks = new FxBackgroundTasks(2);
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void closeTasks() {
        tasks.close();
    }

    @Test
    void badInputIsNamedBesideItsFieldAndItsButtonIsDisabled(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("inputs");
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 2, "work");
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        ResourceBundle texts = ConsoleMessages.bundle();
        ManualTicker ticker = new ManualTicker();
        List<String> clipboard = new ArrayList<>();
        QueuesViewModel viewModel = new QueuesViewModel(QueuePoller.forAdmin(() -> admin, tasks, ticker), () -> admin,
                tasks, ticker, clipboard::add, texts, Locale.ENGLISH, ZoneId.of("UTC"));
        robot.interact(() -> {
            var loaded = new ViewLoader(type -> new QueuesView(viewModel, texts), texts).load(QueuesView.class);
            stage.setScene(new Scene(loaded.root(), 1280, 800));
            stage.show();
        });
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !viewModel.namespaces().isEmpty());
        robot.interact(() -> assertThat(viewModel.selectQueue(queue)).isTrue());
        TableView<MessageRow> table = robot.lookup("#messageTable").queryTableView();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> table.getItems().size() == 2);

        // New queue name.
        robot.clickOn("#newQueueField").write(HOSTILE);
        Label newQueueError = robot.lookup("#newQueueError").queryAs(Label.class);
        assertThat(newQueueError.isVisible()).isTrue();
        assertThat(newQueueError.getText()).startsWith("Invalid queue name");
        assertThat(robot.lookup("#createQueueButton").queryButton().isDisabled()).isTrue();
        robot.type(javafx.scene.input.KeyCode.ENTER); // the field's own action refuses too
        WaitForAsyncUtils.waitForFxEvents();
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.single(connection, "SELECT count(*) FROM pgmq.meta WHERE queue_name LIKE '%drop%'"))
                    .isZero();
        }

        // Payload filter of the wrong JSON type.
        robot.clickOn("#payloadField").write("42");
        Label filterError = robot.lookup("#filterErrorLabel").queryAs(Label.class);
        assertThat(filterError.isVisible()).isTrue();
        assertThat(filterError.getText()).contains("object or array");
        assertThat(robot.lookup("#applyFilterButton").queryButton().isDisabled()).isTrue();

        // Move target.
        robot.interact(() -> table.getSelectionModel().selectAll());
        assertThat(robot.lookup("#moveButton").queryButton().isDisabled()).as("no target yet").isTrue();
        robot.clickOn("#moveTargetField").write("<script>");
        Label moveError = robot.lookup("#moveTargetError").queryAs(Label.class);
        assertThat(moveError.isVisible()).isTrue();
        assertThat(moveError.getText()).startsWith("Cannot move there");
        assertThat(robot.lookup("#moveButton").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#moveButton").queryButton().getAccessibleHelp()).startsWith("Cannot move there");

        // Up to msg_id.
        TextField upTo = robot.lookup("#upToField").queryAs(TextField.class);
        robot.interact(() -> upTo.setText("abc"));
        Label upToError = robot.lookup("#upToError").queryAs(Label.class);
        assertThat(upToError.isVisible()).isTrue();
        assertThat(upToError.getText()).contains("whole number").contains("abc");
        assertThat(robot.lookup("#deleteUpToButton").queryButton().isDisabled()).isTrue();

        // Postpone minutes: text that is no number is named, disables Postpone, and committing it throws nothing.
        javafx.scene.control.Spinner<?> minutes = robot.lookup("#postponeMinutes").queryAs(javafx.scene.control.Spinner.class);
        robot.interact(() -> minutes.getEditor().setText("soon"));
        Label postponeError = robot.lookup("#postponeError").queryAs(Label.class);
        assertThat(postponeError.isVisible()).isTrue();
        assertThat(postponeError.getText()).contains("from 1 to 10080").contains("soon");
        assertThat(robot.lookup("#postponeButton").queryButton().isDisabled()).isTrue();
        robot.interact(minutes::commitValue); // the stock converter threw NumberFormatException here
        assertThat(minutes.getValue()).isEqualTo(5);

        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.single(connection, "SELECT queue_length FROM pgmq.metrics(?::text)", queue))
                    .isEqualTo(2);
        }
    }
}
