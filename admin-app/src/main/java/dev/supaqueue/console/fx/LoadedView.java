package dev.supaqueue.console.fx;

import java.util.Objects;
import javafx.scene.Parent;

/** An FXML file's root node together with the view (controller) that FXMLLoader created for it. */
public record LoadedView<V>(Parent root, V controller) {

    public LoadedView {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(controller, "controller");
    }
}
