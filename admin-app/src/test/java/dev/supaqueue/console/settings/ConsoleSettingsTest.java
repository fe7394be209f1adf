package dev.supaqueue.console.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSettingsTest {

    private static final ScreenArea ONE_FULL_HD = () -> List.of(new Rectangle2D(0, 0, 1920, 1080));

    @TempDir
    Path directory;

    @Test
    void startsWithDefaultsWhenThereIsNoFile() {
        ConsoleSettings settings = ConsoleSettings.load(directory);

        assertThat(settings.theme()).isEqualTo(Theme.LIGHT);
        assertThat(settings.window()).isEmpty();
        assertThat(settings.splitPositions()).isEmpty();
        assertThat(settings.loadProblem()).isEmpty();
        assertThat(settings.file()).isEqualTo(directory.resolve("console-settings.json"));
    }

    @Test
    void roundTripsWindowSplitPositionsAndTheme() throws IOException {
        ConsoleSettings settings = ConsoleSettings.load(directory.resolve("new-folder"));
        settings.setTheme(Theme.DARK);
        settings.setWindow(new WindowBounds(120.5, 80, 1100, 760, true));
        settings.setSplitPosition("queues.main.0", 0.25);
        settings.setSplitPosition("queues.detail.0", 0.6);
        settings.save();

        ConsoleSettings reloaded = ConsoleSettings.load(directory.resolve("new-folder"));

        assertThat(reloaded.theme()).isEqualTo(Theme.DARK);
        assertThat(reloaded.window()).contains(new WindowBounds(120.5, 80, 1100, 760, true));
        assertThat(reloaded.splitPositions()).isEqualTo(Map.of("queues.main.0", 0.25, "queues.detail.0", 0.6));
        assertThat(reloaded.loadProblem()).isEmpty();
        // The atomic write leaves no temporary file behind.
        try (var files = Files.list(directory.resolve("new-folder"))) {
            assertThat(files).containsExactly(directory.resolve("new-folder").resolve("console-settings.json"));
        }
    }

    @Test
    void aFileThatIsNotJsonGivesDefaultsAndAProblemNamingTheFile() throws IOException {
        Files.writeString(directory.resolve("console-settings.json"), "{\"theme\": \"dark\", \"window\": {",
                StandardCharsets.UTF_8);

        ConsoleSettings settings = ConsoleSettings.load(directory);

        assertThat(settings.theme()).isEqualTo(Theme.LIGHT);
        assertThat(settings.window()).isEmpty();
        assertThat(settings.loadProblem()).get().asString()
                .contains(directory.resolve("console-settings.json").toString())
                .contains("not valid JSON");
    }

    @Test
    void wrongValuesAreDamageToo_andNothingOfTheFileIsHalfUsed() throws IOException {
        Files.writeString(directory.resolve("console-settings.json"),
                "{\"theme\": \"dark\", \"splitPositions\": {\"a.0\": 0.3}, \"window\": {\"x\": 1, \"y\": 2,"
                        + " \"width\": -5, \"height\": 600}}", StandardCharsets.UTF_8);

        ConsoleSettings settings = ConsoleSettings.load(directory);

        assertThat(settings.theme()).isEqualTo(Theme.LIGHT);
        assertThat(settings.splitPositions()).isEmpty();
        assertThat(settings.loadProblem()).get().asString().contains("size must be positive");
    }

    @Test
    void anUnknownThemeIsNamed() throws IOException {
        Files.writeString(directory.resolve("console-settings.json"), "{\"theme\": \"purple\"}");

        assertThat(ConsoleSettings.load(directory).loadProblem()).get().asString().contains("purple");
    }

    @Test
    void savingReplacesADamagedFile() throws IOException {
        Files.writeString(directory.resolve("console-settings.json"), "garbage");
        ConsoleSettings settings = ConsoleSettings.load(directory);

        settings.save();

        assertThat(settings.loadProblem()).isEmpty();
        assertThat(ConsoleSettings.load(directory).loadProblem()).isEmpty();
    }

    @Test
    void boundsOnAScreenAreUsed_boundsOffEveryScreenAreIgnored() {
        ConsoleSettings settings = ConsoleSettings.load(directory);
        settings.setWindow(new WindowBounds(100, 100, 1000, 700, false));
        assertThat(settings.windowOn(ONE_FULL_HD)).contains(new WindowBounds(100, 100, 1000, 700, false));

        // Last seen on a second monitor to the right that is no longer plugged in.
        settings.setWindow(new WindowBounds(2200, 100, 1000, 700, false));
        assertThat(settings.windowOn(ONE_FULL_HD)).isEmpty();
        assertThat(settings.window()).isPresent();
        assertThat(settings.windowOn(() -> List.of(new Rectangle2D(0, 0, 1920, 1080),
                new Rectangle2D(1920, 0, 2560, 1440)))).isPresent();
    }

    @Test
    void splitPositionsMustBeFractionsWithNames() {
        ConsoleSettings settings = ConsoleSettings.load(directory);

        assertThatThrownBy(() -> settings.setSplitPosition("a.0", 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.setSplitPosition(" ", 0.5)).isInstanceOf(IllegalArgumentException.class);
        settings.setSplitPosition("a.0", 0.4);
        assertThat(settings.splitPosition("a.0")).hasValue(0.4);
        assertThat(settings.splitPosition("b.0")).isEmpty();
    }
}
