package dev.supaqueue.console.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.EnqueueRequest;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.console.queues.FxTicker;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real screen, loaded from Workers.fxml, running harness actors on the real database. */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
class WorkersViewIT {

    private final FxBackgroundTasks tasks = new FxBackgroundTasks(2);
    private Stage stage;
    private WorkersViewModel viewModel;
    private QueueAdmin admin;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void closeAll(FxRobot robot) throws Exception {
        if (viewModel != null) {
            robot.interact(viewModel::close);
            waitUntil(() -> viewModel.stateProperty().get() == WorkerState.STOPPED);
        }
        tasks.close();
        if (admin != null) {
            admin.close();
        }
    }

    private void show(FxRobot robot, TestDatabaseServer db, String namespace, boolean readOnly) {
        ResourceBundle texts = ConsoleMessages.bundle();
        admin = QueueAdmin.create(db.dataSource());
        viewModel = new WorkersViewModel(db.brokerSettings().namespace(namespace).build(), readOnly, tasks,
                new FxTicker(), texts);
        robot.interact(() -> {
            viewModel.setAvailableQueues(List.of("other"));
            var loaded = new ViewLoader(type -> new WorkersView(viewModel, texts), texts).load(WorkersView.class);
            stage.setScene(new Scene(loaded.root(), 1100, 760));
            stage.show();
        });
    }

    @Test
    void startsHarnessWorkerShowsProcessedMessagesAndStops(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        show(robot, db, namespace, false);
        Button start = robot.lookup("#startButton").queryButton();
        Button stop = robot.lookup("#stopButton").queryButton();
        assertThat(start.isDisabled()).isFalse();
        assertThat(stop.isDisabled()).isTrue();

        TextField queueField = robot.lookup("#harnessQueueField").queryAs(TextField.class);
        robot.interact(queueField::clear);
        robot.clickOn(queueField).write("ui");
        @SuppressWarnings("unchecked")
        ListView<String> queuesList = robot.lookup("#queuesList").queryAs(ListView.class);
        assertThat(queuesList.getItems()).containsExactly("other", "ui");
        robot.clickOn(start);
        waitUntil(() -> viewModel.stateProperty().get() == WorkerState.RUNNING);
        assertThat(start.isDisabled()).isTrue();
        assertThat(stop.isDisabled()).isFalse();
        assertThat(queueField.isDisabled()).isTrue();
        assertThat(robot.lookup("#statusLabel").queryAs(Label.class).getText()).contains("consuming ui");

        for (int i = 0; i < 10; i++) {
            admin.enqueue(EnqueueRequest.dramatiq(namespace + "_ui", "ui", HarnessActors.ECHO, List.of(i), null,
                    null));
        }
        TableView<?> log = robot.lookup("#logTable").queryAs(TableView.class);
        TableView<?> stats = robot.lookup("#statsTable").queryAs(TableView.class);
        waitUntil(() -> log.getItems().size() == 10);
        waitUntil(() -> stats.getItems().size() == 1
                && ((ActorStatsRow) stats.getItems().getFirst()).processedProperty().get() == 10);
        assertThat(robot.lookup("#processedLabel").queryAs(Label.class).getText()).isEqualTo("Processed: 10");
        assertThat(log.getItems()).allSatisfy(row -> assertThat(((ProcessedMessage) row).outcome())
                .isEqualTo(Outcome.DONE));

        robot.clickOn(stop);
        waitUntil(() -> viewModel.stateProperty().get() == WorkerState.STOPPED);
        // The buttons follow the state on the FX thread, one pulse later.
        waitUntil(() -> !start.isDisabled());
        assertThat(stop.isDisabled()).isTrue();
        assertThat(robot.lookup("#statusLabel").queryAs(Label.class).getText()).startsWith("Stopped after 10");
        assertThat(admin.queue(namespace + "_ui").length().value()).isZero();
    }

    @Test
    void readOnlyConnectionShowsWhyStartIsDisabled(FxRobot robot, TestDatabaseServer db, TestQueues queues) {
        show(robot, db, queues.newNamespace(), true);
        assertThat(robot.lookup("#startButton").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#disabledReasonLabel").queryAs(Label.class).getText())
                .isEqualTo("read-only connection: a worker deletes the messages it processes");
    }

    private static void waitUntil(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
    }
}
