package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.queues.QueueNode;
import dev.supaqueue.console.runtime.RuntimeVersions;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TreeCell;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole console as a user meets it: the main window opens on the Connections screen, a pasted connection URI
 * connects (through the console's own pool), the queues of the database appear, and Disconnect goes back.
 */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
class ConsoleConnectIT {

    private final FxBackgroundTasks tasks = new FxBackgroundTasks(2);
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        ConsoleStage.showMainWindow(stage, TestConsoleServices.create(RuntimeVersions.detect(),
                () -> stage.hide(), tasks, Files.createTempDirectory("supaqueue-console-it"), text -> { }));
    }

    @AfterEach
    void closeWindowsAndTasks() throws Exception {
        // A form window left open by a failed step must not disturb the next test class.
        WaitForAsyncUtils.asyncFx(() -> List.copyOf(Window.getWindows()).stream()
                .filter(window -> window != stage).forEach(Window::hide)).get(5, TimeUnit.SECONDS);
        tasks.close();
    }

    @Test
    void connectsWithAPastedUriShowsTheQueuesAndDisconnects(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        String queue = namespace + "_emails";
        try (Connection connection = db.connect()) {
            PgmqSql.longs(connection, "SELECT 1::bigint FROM (SELECT pgmq.create(?::text)) AS created", queue);
            for (int i = 0; i < 3; i++) {
                PgmqSql.send(connection, queue, "{\"n\":" + i + "}");
            }
        }

        assertThat(robot.lookup("#profileList").tryQuery()).as("the Connections screen first").isPresent();
        assertThat(robot.lookup("#disconnectButton").query().isVisible()).isFalse();

        robot.clickOn("#uriField").write(uri(db.brokerSettings().build()));
        robot.clickOn("#pasteUriButton");
        robot.clickOn("#connectButton");

        waitUntil(() -> robot.lookup("#messageTable").tryQuery().isPresent());
        assertThat(robot.lookup("#connectionLabel").queryAs(Label.class).getText()).contains("127.0.0.1")
                .contains(db.brokerSettings().build().database());
        assertThat(robot.lookup("#readOnlyBadge").query().isVisible()).isFalse();
        waitUntil(() -> robot.lookup(".tree-cell").queryAllAs(TreeCell.class).stream()
                .anyMatch(cell -> cell.getItem() instanceof QueueNode node && node.name().equals(queue)));

        // Enqueue from the connected console: Ctrl+E on the selected queue opens the form in its own window.
        robot.clickOn(robot.lookup(".tree-cell").queryAllAs(TreeCell.class).stream()
                .filter(cell -> cell.getItem() instanceof QueueNode node && node.name().equals(queue))
                .findFirst().orElseThrow());
        robot.push(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN));
        waitUntil(() -> robot.lookup("#sendButton").tryQuery().isPresent());
        Window form = Window.getWindows().stream()
                .filter(window -> window instanceof Stage dialog && "Enqueue test messages".equals(dialog.getTitle()))
                .findFirst().orElseThrow();
        assertThat(form.getHeight()).as("the form's window is big enough to show the form").isGreaterThan(300);
        // Driven through the controls rather than the mouse: the form's window may open partly off Monocle's screen.
        robot.interact(() -> {
            robot.lookup("#rawMode").queryAs(RadioButton.class).fire();
            robot.lookup("#rawPayloadArea").queryAs(TextArea.class).setText("{\"from\": \"console\"}");
        });
        assertThat(robot.lookup("#sendButton").queryButton().isDisabled()).isFalse();
        robot.interact(() -> robot.lookup("#sendButton").queryButton().fire());
        waitUntil(() -> robot.lookup("#resultLabel").queryAs(Label.class).getText().contains("Sent"));
        robot.interact(() -> robot.lookup("#closeButton").queryButton().fire());
        waitUntil(() -> robot.lookup("#sendButton").tryQuery().isEmpty());
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.single(connection, "SELECT queue_length FROM pgmq.metrics(?::text)", queue))
                    .as("3 sent by the test, 1 by the console").isEqualTo(4);
        }

        // The connection's embedded workers are one tab away.
        robot.clickOn(robot.lookup(".tab").queryAll().stream()
                .filter(tab -> tab.getId() != null && tab.getId().equals("workersTab")).findFirst().orElseThrow());
        waitUntil(() -> robot.lookup("#startButton").tryQuery().map(Node::isVisible).orElse(false));

        robot.clickOn("#disconnectButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#profileList").tryQuery()).isPresent();
        assertThat(robot.lookup("#messageTable").tryQuery()).isEmpty();
        assertThat(robot.lookup("#connectionLabel").queryAs(Label.class).getText()).isEmpty();
    }

    private static String uri(SupabaseBrokerSettings settings) {
        String password = settings.password() == null ? ""
                : ":" + URLEncoder.encode(settings.password(), StandardCharsets.UTF_8);
        return "postgresql://" + settings.user() + password + "@" + settings.host() + ":" + settings.port() + "/"
                + settings.database() + "?sslmode=disable";
    }

    private static void waitUntil(Supplier<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition::get);
    }
}
