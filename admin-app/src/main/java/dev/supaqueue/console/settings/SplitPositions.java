package dev.supaqueue.console.settings;

import java.util.Objects;
import java.util.OptionalDouble;
import javafx.scene.control.SplitPane;

/**
 * Lets a view keep a split pane's dividers where the user left them: {@link #bind} restores the positions saved
 * under a name and records every move in {@link ConsoleSettings} (written when the console closes). Divider
 * {@code i} of a pane bound as {@code "queues.main"} is kept as {@code "queues.main.i"}.
 */
public final class SplitPositions {

    private final ConsoleSettings settings;

    public SplitPositions(ConsoleSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Restores, then tracks, the divider positions of {@code pane} under {@code name}. */
    public void bind(String name, SplitPane pane) {
        Objects.requireNonNull(pane, "pane");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A split pane is bound under a name");
        }
        var dividers = pane.getDividers();
        for (int i = 0; i < dividers.size(); i++) {
            String key = key(name, i);
            SplitPane.Divider divider = dividers.get(i);
            OptionalDouble saved = settings.splitPosition(key);
            if (saved.isPresent()) {
                divider.setPosition(saved.getAsDouble());
            }
            divider.positionProperty().addListener((property, old, position) -> {
                double value = position.doubleValue();
                // While a pane is being laid out JavaFX may report positions outside 0..1 for a moment.
                if (value >= 0 && value <= 1) {
                    settings.setSplitPosition(key, value);
                }
            });
        }
    }

    static String key(String name, int divider) {
        return name + "." + divider;
    }
}
