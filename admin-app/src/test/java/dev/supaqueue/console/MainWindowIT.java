package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.runtime.ApplicationExit;
import dev.supaqueue.console.runtime.RuntimeVersions;
import dev.supaqueue.console.settings.ConsoleSettings;
import dev.supaqueue.console.settings.Theme;
import dev.supaqueue.console.settings.WindowBounds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
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
    /** Written before the window opens; small enough for any screen, unlike the FXML's preferred size. */
    private static final WindowBounds SAVED_BOUNDS = new WindowBounds(40, 30, 1000, 700, false);

    private Stage stage;
    private Path configDirectory;
    private MainWindowView mainWindow;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        this.configDirectory = Files.createTempDirectory("supaqueue-main-window-it");
        ConsoleSettings saved = ConsoleSettings.load(configDirectory);
        saved.setWindow(SAVED_BOUNDS);
        saved.save();
        mainWindow = ConsoleStage.showMainWindow(stage, TestConsoleServices.create(RuntimeVersions.detect(), exit,
                BackgroundTasks.inline(), configDirectory, text -> { }));
    }

    @Test
    void opensWithTheWindowBoundsSavedLastTime() {
        assertThat(stage.getWidth()).isEqualTo(SAVED_BOUNDS.width());
        assertThat(stage.getHeight()).isEqualTo(SAVED_BOUNDS.height());
        assertThat(stage.getX()).isEqualTo(SAVED_BOUNDS.x());
        assertThat(stage.getY()).isEqualTo(SAVED_BOUNDS.y());
    }

    @Test
    void quittingSavesTheWindowBoundsAsTheyAreNow(FxRobot robot) {
        robot.interact(() -> {
            stage.setWidth(1111);
            stage.setHeight(666);
        });

        robot.clickOn("#quitButton");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(ConsoleSettings.load(configDirectory).window())
                .contains(new WindowBounds(stage.getX(), stage.getY(), 1111, 666, false));
    }

    @Test
    void shortcutShiftDTogglesTheDarkStylesheetOnTheSceneAndRemembersIt(FxRobot robot) {
        KeyCodeCombination toggle = new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN);
        Label title = label(robot, "#titleLabel");
        var lightText = title.getTextFill();
        robot.clickOn("#titleLabel");

        robot.push(toggle);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(stage.getScene().getStylesheets()).last().asString().endsWith("/dark.css");
        assertThat(title.getTextFill()).as("the dark theme's text colour").isNotEqualTo(lightText);
        assertThat(ConsoleSettings.load(configDirectory).theme()).isEqualTo(Theme.DARK);

        robot.push(toggle);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(stage.getScene().getStylesheets()).noneSatisfy(url -> assertThat(url).endsWith("/dark.css"))
                .anySatisfy(url -> assertThat(url).endsWith("/console.css"));
        assertThat(title.getTextFill()).isEqualTo(lightText);
        assertThat(ConsoleSettings.load(configDirectory).theme()).isEqualTo(Theme.LIGHT);
    }

    @Test
    void helpListsTheKeyboardShortcuts(FxRobot robot) {
        robot.clickOn("#helpMenu").clickOn("#shortcutsMenuItem");
        WaitForAsyncUtils.waitForFxEvents();

        GridPane list = robot.lookup("#shortcutList").queryAs(GridPane.class);
        assertThat(list.getChildren()).hasSize(2 * MainWindowViewModel.SHORTCUTS.size());
        assertThat(robot.lookup("Ctrl+Shift+D").tryQuery()).isPresent();
        assertThat(robot.lookup("Switch between the light and the dark theme").tryQuery()).isPresent();

        robot.clickOn(robot.lookup("#shortcutsDialog").queryAs(DialogPane.class)
                .lookupButton(javafx.scene.control.ButtonType.CLOSE));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#shortcutList").tryQuery()).isEmpty();
    }

    @Test
    void aboutShowsTheVersions(FxRobot robot) {
        robot.clickOn("#helpMenu").clickOn("#aboutMenuItem");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(label(robot, "#aboutText").getText())
                .contains("Supaqueue console " + EXPECTED_VERSION)
                .contains("JavaFX runtime " + System.getProperty("javafx.runtime.version"));
    }

    @Test
    void anUnexpectedErrorShowsADismissableBar(FxRobot robot) {
        assertThat(robot.lookup("#problemBar").query().isVisible()).isFalse();

        robot.interact(() -> mainWindow.viewModel().reportUnexpected(new IllegalStateException("table broke")));

        assertThat(robot.lookup("#problemBar").query().isVisible()).isTrue();
        assertThat(label(robot, "#problemLabel").getText()).contains("IllegalStateException: table broke");

        robot.clickOn("#dismissProblemButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#problemBar").query().isVisible()).isFalse();
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
    void theWindowCarriesTheApplicationIcon() {
        assertThat(stage.getIcons()).hasSize(1);
        assertThat(stage.getIcons().getFirst().getWidth()).isEqualTo(256);
        assertThat(stage.getIcons().getFirst().isError()).isFalse();
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
