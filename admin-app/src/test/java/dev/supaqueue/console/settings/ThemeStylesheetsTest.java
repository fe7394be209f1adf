package dev.supaqueue.console.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThemeStylesheetsTest {

    private final ThemeStylesheets themes = new ThemeStylesheets("file:/dark.css");

    @Test
    void darkAddsTheDarkStylesheetLastOnce_lightRemovesIt() {
        List<String> sheets = new ArrayList<>(List.of("file:/console.css", "file:/queues.css"));

        themes.apply(Theme.DARK, sheets);
        themes.apply(Theme.DARK, sheets);
        assertThat(sheets).containsExactly("file:/console.css", "file:/queues.css", "file:/dark.css");

        themes.apply(Theme.LIGHT, sheets);
        assertThat(sheets).containsExactly("file:/console.css", "file:/queues.css");
    }

    @Test
    void toggledSwitchesBetweenTheTwo() {
        assertThat(Theme.LIGHT.toggled()).isEqualTo(Theme.DARK);
        assertThat(Theme.DARK.toggled()).isEqualTo(Theme.LIGHT);
    }
}
