package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.runtime.ApplicationExit;
import dev.supaqueue.console.runtime.RuntimeVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.text.FontWeight;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real main window, loaded from FXML with the real messages and stylesheet, driven like a user would. */
@ExtendWith(ApplicationExtension.class)
class MainWindowIT {

    private static final String EXPECTED_VERSION = System.getProperty("supaqueue.expectedVersion");

    private final HideWindowsExit exit = new HideWindowsExit();
    private Stage stage;
    private Path configDirectory;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        this.configDirectory = Files.createTempDirectory("supaqueue-main-window-it");
        ConsoleStage.showMainWindow(stage, TestConsoleServices.create(RuntimeVersions.detect(), exit,
                BackgroundTasks.inline(), configDirectory, text -> { }));
    }

    @Test
    void showsTheProductNameInTitleAndHeading(FxRobot robot) {
        assertThat(stage.isShowing()).isTrue();
        assertThat(stage.getTitle()).isEqualTo("Supaqueue console");
        assertThat(label(robot, "#titleLabel").getText()).isEqualTo("Supaqueue console");
    }

    @Test
    void showsTheRunningVersions(FxRobot robot) {
        assertThat(EXPECTED_VERSION).as("system property set by the POM").isNotBlank();

        assertThat(label(robot, "#consoleVersionValue").getText()).isEqualTo(EXPECTED_VERSION);
        // broker-lib comes from its jar here (reactor package phase or local repository), which carries pom.properties.
        assertThat(label(robot, "#brokerLibVersionValue").isVisible()).isTrue();
        assertThat(label(robot, "#brokerLibVersionValue").getText()).isEqualTo(EXPECTED_VERSION);
        assertThat(label(robot, "#javaRuntimeValue").getText())
                .startsWith(System.getProperty("java.runtime.version"))
                .contains(System.getProperty("java.vendor"));
        assertThat(label(robot, "#javafxRuntimeValue").getText())
                .isEqualTo(System.getProperty("javafx.runtime.version"))
                .startsWith("25");
    }

    @Test
    void appliesTheConsoleStylesheet(FxRobot robot) {
        assertThat(stage.getScene().getStylesheets()).anySatisfy(url -> assertThat(url).endsWith("/console.css"));
        Label title = label(robot, "#titleLabel");
        assertThat(title.getFont().getSize()).isEqualTo(22.0);
        assertThat(title.getFont().getStyle()).containsIgnoringCase(FontWeight.BOLD.name());
    }

    @Test
    void quitButtonExitsAndTheWindowCloses(FxRobot robot) {
        robot.clickOn("#quitButton");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(exit.requests()).isEqualTo(1);
        assertThat(stage.isShowing()).isFalse();
    }

    @Test
    void shortcutQExitsThroughTheQuitMenuItem(FxRobot robot) {
        robot.clickOn("#titleLabel"); // give the window keyboard focus
        robot.push(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(exit.requests()).isEqualTo(1);
        assertThat(stage.isShowing()).isFalse();
    }

    private static Label label(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class);
    }

    /**
     * Stands in for {@code Platform::exit}, which would stop the JavaFX toolkit that TestFX shares
     * across the tests of this JVM. It hides every window, which is what a user sees, and counts.
     * The real exit (JVM ends with status 0) is checked by running the console itself.
     */
    private static final class HideWindowsExit implements ApplicationExit {

        private final AtomicInteger requests = new AtomicInteger();

        @Override
        public void exit() {
            requests.incrementAndGet();
            List.copyOf(Window.getWindows()).forEach(Window::hide);
        }

        int requests() {
            return requests.get();
        }
    }
}
