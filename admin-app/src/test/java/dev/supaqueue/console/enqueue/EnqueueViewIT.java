package dev.supaqueue.console.enqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.BrowseRequest;
import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.MessageState;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real form, loaded from Enqueue.fxml with the console's texts, sending to the real database. */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
class EnqueueViewIT {

    private final FxBackgroundTasks tasks = new FxBackgroundTasks(1);
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
    void showsAnInlineErrorThenSendsThreeRawMessages(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("enqueue_ui");
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        ResourceBundle texts = ConsoleMessages.bundle();
        EnqueueViewModel viewModel = new EnqueueViewModel(() -> admin, tasks, queue, "ui", false, texts);
        AtomicBoolean closed = new AtomicBoolean();
        robot.interact(() -> {
            var loaded = new ViewLoader(type -> new EnqueueView(viewModel, texts), texts).load(EnqueueView.class);
            loaded.controller().setOnClose(() -> closed.set(true));
            stage.setScene(new Scene(loaded.root(), 760, 640));
            stage.show();
        });
        Button send = robot.lookup("#sendButton").queryButton();
        Label argsError = robot.lookup("#argsErrorLabel").queryAs(Label.class);
        assertThat(argsError.isVisible()).isFalse();

        // Dramatiq mode: an args value that is no array shows its problem beneath the field and disables Send.
        robot.clickOn("#actorCombo").write("send_email");
        TextArea args = robot.lookup("#argsArea").queryAs(TextArea.class);
        robot.clickOn(args);
        robot.interact(args::clear);
        robot.write("{\"a\": 1}");
        waitUntil(() -> argsError.isVisible());
        assertThat(argsError.getText()).isEqualTo("The args must be a JSON array such as [1, \"two\"], got an object");
        assertThat(args.getPseudoClassStates()).anyMatch(state -> state.getPseudoClassName().equals("invalid"));
        assertThat(send.isDisabled()).isTrue();
        assertThat(robot.lookup("#disabledReasonLabel").queryAs(Label.class).getText())
                .isEqualTo("fix the highlighted fields");

        robot.interact(args::clear);
        robot.clickOn(args).write("[1]");
        waitUntil(() -> !argsError.isVisible());
        assertThat(send.isDisabled()).isFalse();
        assertThat(robot.lookup("#previewArea").queryAs(TextArea.class).getText()).contains("\"send_email\"");

        // Raw mode: three copies of a plain JSON value, sent with Ctrl+Enter from inside a text area.
        robot.clickOn(robot.lookup("#rawMode").queryAs(RadioButton.class));
        TextArea raw = robot.lookup("#rawPayloadArea").queryAs(TextArea.class);
        robot.interact(raw::clear);
        robot.clickOn(raw).write("{\"ping\": 1}");
        TextField count = robot.lookup("#countField").queryAs(TextField.class);
        robot.interact(count::clear);
        robot.clickOn(count).write("3");
        waitUntil(() -> !send.isDisabled());
        assertThat(robot.lookup("#previewArea").queryAs(TextArea.class).getText()).isEqualTo("{\"ping\": 1}");
        robot.clickOn(raw).press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);

        Label result = robot.lookup("#resultLabel").queryAs(Label.class);
        waitUntil(() -> result.isVisible());
        List<BrowsedMessage> sent = admin.browse(BrowseRequest.firstPage(MessageSource.queue(queue))).messages();
        assertThat(sent).hasSize(3).allSatisfy(message -> {
            assertThat(message.payload()).isEqualTo("{\"ping\": 1}");
            assertThat(message.state()).isEqualTo(MessageState.READY);
        });
        assertThat(result.getText()).isEqualTo("Sent 3 messages to " + queue + " (msg_id " + sent.getFirst().msgId()
                + "–" + sent.getLast().msgId() + ")");
        assertThat(raw.getText()).as("Ctrl+Enter sent, it did not type a new line").isEqualTo("{\"ping\": 1}");

        robot.clickOn("#closeButton");
        waitUntil(closed::get);
    }

    private static void waitUntil(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
