package dev.supaqueue.console.queues;

import java.util.Objects;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/** The system clipboard; call on the FX thread, as the copy commands are. */
public final class FxTextClipboard implements TextClipboard {

    @Override
    public void putText(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(Objects.requireNonNull(text, "text"));
        Clipboard.getSystemClipboard().setContent(content);
    }
}
