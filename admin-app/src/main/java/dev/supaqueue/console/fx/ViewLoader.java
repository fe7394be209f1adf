package dev.supaqueue.console.fx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.util.Callback;

/**
 * Loads a view's FXML by convention: {@code FooView} in package {@code p} reads {@code p/Foo.fxml},
 * with the console's messages for {@code %key} texts and the controller factory for its controller.
 */
public final class ViewLoader {

    static final String VIEW_SUFFIX = "View";

    private final Callback<Class<?>, Object> controllerFactory;
    private final ResourceBundle messages;

    public ViewLoader(Callback<Class<?>, Object> controllerFactory, ResourceBundle messages) {
        this.controllerFactory = Objects.requireNonNull(controllerFactory, "controllerFactory");
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    public <V> LoadedView<V> load(Class<V> viewType) {
        URL location = requireResource(viewType, fxmlName(viewType));
        FXMLLoader loader = new FXMLLoader(location, messages, null, controllerFactory);
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load " + location, e);
        }
        Object controller = loader.getController();
        if (!viewType.isInstance(controller)) {
            throw new IllegalStateException(location + " must declare fx:controller=\"" + viewType.getName()
                    + "\" but its controller is " + (controller == null ? "missing" : controller.getClass().getName()));
        }
        return new LoadedView<>(root, viewType.cast(controller));
    }

    static String fxmlName(Class<?> viewType) {
        String name = viewType.getSimpleName();
        if (!name.endsWith(VIEW_SUFFIX) || name.length() == VIEW_SUFFIX.length()) {
            throw new IllegalArgumentException(viewType.getName() + " is not named XxxView, so it has no Xxx.fxml");
        }
        return name.substring(0, name.length() - VIEW_SUFFIX.length()) + ".fxml";
    }

    /** A resource next to {@code anchor} in src-fx-resources, or a message that says where it was expected. */
    public static URL requireResource(Class<?> anchor, String name) {
        URL url = anchor.getResource(name);
        if (url == null) {
            throw new IllegalStateException("Missing resource src-fx-resources/"
                    + anchor.getPackageName().replace('.', '/') + "/" + name);
        }
        return url;
    }
}
