package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.runtime.RuntimeVersions;
import dev.supaqueue.console.settings.ConsoleSettings;
import dev.supaqueue.console.settings.Theme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.value.WritableValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainWindowViewModelTest {

    private final AtomicInteger exitRequests = new AtomicInteger();

    @TempDir
    Path configDirectory;

    private MainWindowViewModel viewModel() {
        return viewModel(ConsoleSettings.load(configDirectory));
    }

    private MainWindowViewModel viewModel(ConsoleSettings settings) {
        RuntimeVersions versions = new RuntimeVersions(
                "1.2.3", "1.2.4", "25.0.1+8-LTS", "Eclipse Adoptium", "25.0.4+3");
        return new MainWindowViewModel(versions, exitRequests::incrementAndGet, request -> {
            throw new AssertionError("no connection is opened in these tests");
        }, settings, ConsoleMessages.bundle());
    }

    @Test
    void togglingTheThemeSwitchesAndSavesIt() {
        MainWindowViewModel viewModel = viewModel();
        assertThat(viewModel.themeProperty().get()).isEqualTo(Theme.LIGHT);
        assertThat(viewModel.darkThemeProperty().get()).isFalse();

        viewModel.toggleTheme();

        assertThat(viewModel.themeProperty().get()).isEqualTo(Theme.DARK);
        assertThat(viewModel.darkThemeProperty().get()).isTrue();
        assertThat(ConsoleSettings.load(configDirectory).theme()).isEqualTo(Theme.DARK);

        viewModel.toggleTheme();

        assertThat(viewModel.themeProperty().get()).isEqualTo(Theme.LIGHT);
        assertThat(ConsoleSettings.load(configDirectory).theme()).isEqualTo(Theme.LIGHT);
        assertThat(viewModel.problemShownProperty().get()).isFalse();
    }

    @Test
    void startsWithTheSavedTheme() throws IOException {
        ConsoleSettings saved = ConsoleSettings.load(configDirectory);
        saved.setTheme(Theme.DARK);
        saved.save();

        assertThat(viewModel().themeProperty().get()).isEqualTo(Theme.DARK);
    }

    @Test
    void anUnexpectedErrorShowsInPlainWordsUntilDismissed() {
        MainWindowViewModel viewModel = viewModel();
        assertThat(viewModel.problemShownProperty().get()).isFalse();

        viewModel.reportUnexpected(new IllegalStateException("while sorting the table",
                new UncheckedIOException(new IOException("disk full"))));

        assertThat(viewModel.problemShownProperty().get()).isTrue();
        assertThat(viewModel.problemProperty().get())
                .contains("IllegalStateException: disk full")
                .contains("keeps running")
                .doesNotContain("\tat ");

        viewModel.dismissProblem();

        assertThat(viewModel.problemShownProperty().get()).isFalse();
        assertThat(viewModel.problemProperty().get()).isEmpty();
    }

    @Test
    void anErrorWithoutAMessageIsNamedByItsKind() {
        MainWindowViewModel viewModel = viewModel();

        viewModel.reportUnexpected(new NullPointerException());

        assertThat(viewModel.problemProperty().get()).contains("(NullPointerException)");
        assertThat(MainWindowViewModel.describe(new SQLException("permission denied")))
                .isEqualTo("SQLException: permission denied");
    }

    @Test
    void aDamagedSettingsFileIsReportedInTheBar() throws IOException {
        Files.writeString(configDirectory.resolve("console-settings.json"), "not json");

        MainWindowViewModel viewModel = viewModel();

        assertThat(viewModel.problemShownProperty().get()).isTrue();
        assertThat(viewModel.problemProperty().get()).contains("console-settings.json").contains("could not be read");
        assertThat(viewModel.themeProperty().get()).isEqualTo(Theme.LIGHT);
    }

    @Test
    void settingsThatCannotBeSavedAreReportedNotThrown() throws IOException {
        // A file where the settings folder should be: creating the folder fails.
        Path blocked = configDirectory.resolve("blocked");
        Files.writeString(blocked, "a file, not a folder");
        MainWindowViewModel viewModel = viewModel(ConsoleSettings.load(blocked));

        viewModel.toggleTheme();

        assertThat(viewModel.themeProperty().get()).isEqualTo(Theme.DARK);
        assertThat(viewModel.problemProperty().get()).startsWith("Could not save the console settings to "
                + blocked.resolve("console-settings.json"));
    }

    @Test
    void quitSavesTheSettings() {
        ConsoleSettings settings = ConsoleSettings.load(configDirectory);
        MainWindowViewModel viewModel = viewModel(settings);
        settings.setSplitPosition("queues.main.0", 0.3);

        viewModel.quit();

        assertThat(ConsoleSettings.load(configDirectory).splitPosition("queues.main.0")).hasValue(0.3);
    }

    @Test
    void listsTheShortcutsWithTextsInTheBundle() {
        var texts = ConsoleMessages.bundle();
        assertThat(MainWindowViewModel.SHORTCUTS).extracting(MainWindowViewModel.KeyboardShortcut::keys)
                .containsExactly("F5", "Ctrl+F", "Ctrl+E", "Ctrl+K", "Ctrl+Shift+D", "Ctrl+Q");
        assertThat(MainWindowViewModel.SHORTCUTS)
                .allSatisfy(shortcut -> assertThat(texts.getString(shortcut.descriptionKey())).isNotBlank());
    }

    @Test
    void showsTheVersionsItWasGiven() {
        MainWindowViewModel viewModel = viewModel();

        assertThat(viewModel.consoleVersionProperty().get()).isEqualTo("1.2.3");
        assertThat(viewModel.brokerLibVersionProperty().get()).isEqualTo("1.2.4");
        assertThat(viewModel.javaRuntimeProperty().get()).isEqualTo("25.0.1+8-LTS (Eclipse Adoptium)");
        assertThat(viewModel.javafxRuntimeProperty().get()).isEqualTo("25.0.4+3");
    }

    @Test
    void exposesStateReadOnly() {
        MainWindowViewModel viewModel = viewModel();

        assertThat(viewModel.consoleVersionProperty()).isNotInstanceOf(WritableValue.class);
        assertThat(viewModel.brokerLibVersionProperty()).isNotInstanceOf(WritableValue.class);
        assertThat(viewModel.javaRuntimeProperty()).isNotInstanceOf(WritableValue.class);
        assertThat(viewModel.javafxRuntimeProperty()).isNotInstanceOf(WritableValue.class);
        assertThat(viewModel.themeProperty()).isNotInstanceOf(WritableValue.class);
        assertThat(viewModel.problemProperty()).isNotInstanceOf(WritableValue.class);
    }

    @Test
    void quitAsksTheApplicationToExitOnce() {
        MainWindowViewModel viewModel = viewModel();

        viewModel.quit();

        assertThat(exitRequests).hasValue(1);
    }

    @Test
    void startsWithoutAConnection() {
        MainWindowViewModel viewModel = viewModel();

        assertThat(viewModel.sessionProperty().get()).isNull();
        assertThat(viewModel.connectedProperty().get()).isFalse();
        assertThat(viewModel.readOnlyProperty().get()).isFalse();
        assertThat(viewModel.connectionTitleProperty().get()).isEmpty();
        viewModel.disconnect();
        assertThat(viewModel.connectedProperty().get()).isFalse();
    }
}
