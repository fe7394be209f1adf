package dev.supaqueue.console.settings;

import java.util.Objects;
import java.util.OptionalDouble;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.scene.control.SplitPane;

/**
 * Lets a view keep a split pane's dividers where the user left them: {@link #bind} restores the positions saved
 * under a name and records every later move in {@link ConsoleSettings} (written when the console closes). Divider
 * {@code i} of a pane bound as {@code "queues.main"} is kept as {@code "queues.main.i"}.
 *
 * <p>The saved positions are applied again once the pane has its first size: while a window opens, JavaFX may lay
 * the pane out at one size and then resize it, spreading the difference over the panes and moving the dividers.
 * Moves are recorded only after that, so those intermediate positions never overwrite the saved ones.
 */
public final class SplitPositions {

    private final ConsoleSettings settings;

    public SplitPositions(ConsoleSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Restores, then tracks, the divider positions of {@code pane} under {@code name}. Call on the FX thread. */
    public void bind(String name, SplitPane pane) {
        Objects.requireNonNull(pane, "pane");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A split pane is bound under a name");
        }
        var dividers = pane.getDividers();
        OptionalDouble[] saved = new OptionalDouble[dividers.size()];
        for (int i = 0; i < dividers.size(); i++) {
            saved[i] = settings.splitPosition(key(name, i));
        }
        boolean[] restored = {false};
        Runnable restore = () -> {
            for (int i = 0; i < saved.length; i++) {
                if (saved[i].isPresent()) {
                    dividers.get(i).setPosition(saved[i].getAsDouble());
                }
            }
        };
        restore.run();
        for (int i = 0; i < dividers.size(); i++) {
            String key = key(name, i);
            dividers.get(i).positionProperty().addListener((property, old, position) -> {
                double value = position.doubleValue();
                if (restored[0] && value >= 0 && value <= 1) {
                    settings.setSplitPosition(key, value);
                }
            });
        }
        ChangeListener<Number> firstSize = new ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Number> property, Number old,
                                Number size) {
                if (size.doubleValue() > 0) {
                    pane.widthProperty().removeListener(this);
                    // After the pulse that opened the window, when its size has settled.
                    Platform.runLater(() -> {
                        restore.run();
                        restored[0] = true;
                    });
                }
            }
        };
        if (pane.getWidth() > 0) {
            firstSize.changed(pane.widthProperty(), 0, pane.getWidth());
        } else {
            pane.widthProperty().addListener(firstSize);
        }
    }

    static String key(String name, int divider) {
        return name + "." + divider;
    }
}
