package dev.supaqueue.console.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.console.queues.FxTicker;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.input.KeyCode;
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
 * Bad input typed into the real workers screen: "abc" in the threads spinner and a hostile queue name are named
 * beside their fields and Start stays disabled; committing the bad spinner text (Enter) throws nothing and keeps
 * the last good value. No database needed: nothing starts.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(60)
class WorkersFormViewIT {

    private final FxBackgroundTasks tasks = new FxBackgroundTasks(2);
    private WorkersViewModel viewModel;

    @Start
    void start(Stage stage) {
        ResourceBundle texts = ConsoleMessages.bundle();
        viewModel = new WorkersViewModel(SupabaseBrokerSettings.builder().namespace("app").build(), false, tasks,
                new FxTicker(), texts);
        var loaded = new ViewLoader(type -> new WorkersView(viewModel, texts), texts).load(WorkersView.class);
        stage.setScene(new Scene(loaded.root(), 1100, 760));
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(viewModel::close);
        tasks.close();
    }

    @Test
    void badThreadsAndQueueNameAreNamedAndStartStaysDisabled(FxRobot robot) {
        assertThat(robot.lookup("#startButton").queryButton().isDisabled()).isFalse();

        Spinner<?> threads = robot.lookup("#threadsSpinner").queryAs(Spinner.class);
        robot.doubleClickOn(threads.getEditor()).eraseText(4).write("abc");
        Label threadsError = robot.lookup("#threadsError").queryAs(Label.class);
        assertThat(threadsError.isVisible()).isTrue();
        assertThat(threadsError.getText()).contains("from 1 to 64").contains("abc");
        assertThat(robot.lookup("#startButton").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#disabledReasonLabel").queryAs(Label.class).getText()).contains("abc");

        // Enter commits the text: the stock converter threw NumberFormatException on the FX thread here.
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler[] previous = new Thread.UncaughtExceptionHandler[1];
        robot.interact(() -> {
            previous[0] = Thread.currentThread().getUncaughtExceptionHandler();
            Thread.currentThread().setUncaughtExceptionHandler((thread, error) -> uncaught.add(error));
        });
        try {
            robot.type(KeyCode.ENTER);
            WaitForAsyncUtils.waitForFxEvents();
        } finally {
            robot.interact(() -> Thread.currentThread().setUncaughtExceptionHandler(previous[0]));
        }
        assertThat(uncaught).isEmpty();
        assertThat(threads.getValue()).as("the last good value").isEqualTo(4);
        assertThat(threadsError.isVisible()).as("still named until fixed").isTrue();

        robot.doubleClickOn(threads.getEditor()).eraseText(4).write("8");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(threads.getValue()).isEqualTo(8);
        assertThat(viewModel.stateProperty().get()).as("Enter in the field is not the Start button")
                .isEqualTo(WorkerState.STOPPED);
        assertThat(threadsError.isVisible()).isFalse();
        assertThat(robot.lookup("#startButton").queryButton().isDisabled()).isFalse();

        robot.doubleClickOn("#harnessQueueField").eraseText(10).write("<b>x</b>");
        Label queueError = robot.lookup("#harnessQueueError").queryAs(Label.class);
        assertThat(queueError.isVisible()).isTrue();
        assertThat(queueError.getText()).startsWith("Invalid queue name");
        assertThat(robot.lookup("#startButton").queryButton().isDisabled()).isTrue();
    }
}
