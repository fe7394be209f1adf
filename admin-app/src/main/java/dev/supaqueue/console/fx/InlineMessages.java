package dev.supaqueue.console.fx;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.scene.control.Label;

/** Inline messages beside a field: the label shows the text and takes no room while there is none. */
public final class InlineMessages {

    private InlineMessages() {
    }

    /** Binds the label to the text; it is hidden (and unmanaged) while the text is null or empty. */
    public static void bind(Label label, ObservableStringValue text) {
        label.textProperty().bind(text);
        label.visibleProperty().bind(Bindings.isNotEmpty(text));
        label.managedProperty().bind(label.visibleProperty());
    }
}
