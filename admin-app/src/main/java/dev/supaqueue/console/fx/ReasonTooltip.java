package dev.supaqueue.console.fx;

import java.util.Objects;
import javafx.beans.value.ObservableStringValue;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;

/**
 * Says in a tooltip why a control is disabled. A disabled control gets no mouse events, so the tooltip sits on a
 * node around it, and only while there is a reason (null or empty means none).
 */
public final class ReasonTooltip {

    private ReasonTooltip() {
    }

    /** Shows {@code reason} as the tooltip of {@code holder} while it is not empty. */
    public static void bind(Node holder, ObservableStringValue reason) {
        Objects.requireNonNull(holder, "holder");
        Tooltip tooltip = new Tooltip();
        tooltip.textProperty().bind(reason);
        Runnable update = () -> {
            String text = reason.get();
            if (text == null || text.isEmpty()) {
                Tooltip.uninstall(holder, tooltip);
            } else {
                Tooltip.install(holder, tooltip);
            }
        };
        reason.addListener((property, old, now) -> update.run());
        update.run();
    }

    /**
     * Puts {@code control} into a new wrapper in its parent's place and shows {@code reason} on the wrapper; the
     * reason is also the control's accessible help, for screen readers.
     */
    public static void wrapAndBind(Control control, ObservableStringValue reason) {
        var siblings = ((Pane) control.getParent()).getChildren();
        StackPane wrapper = new StackPane();
        siblings.set(siblings.indexOf(control), wrapper);
        wrapper.getChildren().add(control);
        bind(wrapper, reason);
        control.accessibleHelpProperty().bind(reason);
    }
}
