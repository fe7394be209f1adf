package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.LoadedView;
import dev.supaqueue.console.fx.ViewLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import javafx.scene.Scene;
import javafx.scene.control.Label;
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
 * Bad input typed into the real Connections screen: the message appears beside the field, Test, Save and Connect
 * are disabled, and no profile file is written. No database needed.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(60)
class ConnectionFormViewIT {

    private FxBackgroundTasks tasks;
    private Path configDir;

    @Start
    void start(Stage stage) throws Exception {
        configDir = Files.createTempDirectory("supaqueue-connection-form-it");
        tasks = new FxBackgroundTasks(2);
        ConnectionsViewModel viewModel = new ConnectionsViewModel(new ProfileStore(configDir),
                new PasswordVaults(configDir, new SecretToolVault()), new ConnectionTester(Duration.ofSeconds(5)), tasks);
        LoadedView<ConnectionsView> loaded = new ViewLoader(type -> new ConnectionsView(viewModel),
                ConsoleMessages.bundle()).load(ConnectionsView.class);
        stage.setScene(new Scene(loaded.root()));
        stage.show();
    }

    @AfterEach
    void stopTasks() {
        tasks.close();
    }

    @Test
    void hostileTextInTheFormIsNamedBesideItsFieldAndDisablesTheButtons(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(5, java.util.concurrent.TimeUnit.SECONDS,
                () -> !robot.lookup("#profileList").queryListView().getItems().isEmpty());
        assertButtons(robot, false);

        robot.doubleClickOn("#databaseField").eraseText(20).write("<script>");
        Label databaseError = robot.lookup("#databaseError").queryAs(Label.class);
        assertThat(databaseError.isVisible()).isTrue();
        assertThat(databaseError.getText()).contains("'<'");
        assertButtons(robot, true);
        robot.clickOn("#saveButton");
        assertThat(Files.exists(configDir.resolve("profiles.json"))).isFalse();

        robot.interact(() -> robot.lookup("#databaseField").queryAs(javafx.scene.control.TextField.class)
                .setText("postgres"));
        assertThat(databaseError.isVisible()).isFalse();
        assertButtons(robot, false);

        robot.clickOn("#portField").eraseText(6).write("'; DROP TABLE x; --");
        Label portError = robot.lookup("#portError").queryAs(Label.class);
        assertThat(portError.isVisible()).isTrue();
        assertThat(portError.getText()).contains("whole number");
        assertButtons(robot, true);

        robot.clickOn("#uriField").write("mysql://root@db/app");
        robot.clickOn("#pasteUriButton");
        Label uriError = robot.lookup("#uriError").queryAs(Label.class);
        assertThat(uriError.isVisible()).isTrue();
        assertThat(uriError.getText()).startsWith("Cannot use this URI").contains("postgresql://");
    }

    private static void assertButtons(FxRobot robot, boolean disabled) {
        WaitForAsyncUtils.waitForFxEvents();
        Stream.of("#testButton", "#saveButton", "#connectButton").forEach(id ->
                assertThat(robot.lookup(id).queryButton().isDisabled()).as(id).isEqualTo(disabled));
    }
}
