package dev.supaqueue.console;

import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.LoadedView;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.console.settings.ConsoleSettings;
import dev.supaqueue.console.settings.ScreenArea;
import dev.supaqueue.console.settings.WindowBounds;
import java.util.ResourceBundle;
import javafx.beans.InvalidationListener;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/**
 * Puts the main window on a stage: shared by the application and the UI tests, so both see the same window. The
 * window opens where it was last closed (when that is still on a screen) and remembers its bounds on close.
 */
public final class ConsoleStage {

    static final String STYLESHEET = "console.css";
    static final String ICON = "icon.png";
    private static final double MIN_WIDTH = 900;
    private static final double MIN_HEIGHT = 600;

    private ConsoleStage() {
    }

    public static MainWindowView showMainWindow(Stage stage, ConsoleServices services) {
        return showMainWindow(stage, services, ScreenArea.desktop());
    }

    /** @param screens where the saved bounds must be reachable to be used */
    public static MainWindowView showMainWindow(Stage stage, ConsoleServices services, ScreenArea screens) {
        ResourceBundle messages = ConsoleMessages.bundle();
        ViewLoader viewLoader = new ViewLoader(new ConsoleControllerFactory(services, messages), messages);
        LoadedView<MainWindowView> mainWindow = viewLoader.load(MainWindowView.class);

        Scene scene = new Scene(mainWindow.root());
        // On the scene rather than in each FXML file, so every screen shares one stylesheet; the main window's
        // view adds the dark theme on top of it (also on the scene, so dialogs that copy it get the theme).
        scene.getStylesheets().add(ViewLoader.requireResource(ConsoleStage.class, STYLESHEET).toExternalForm());

        stage.setTitle(messages.getString("app.title"));
        // The same picture as the installers' (installers/icons), for the task bar and window switchers.
        stage.getIcons().setAll(new Image(ViewLoader.requireResource(ConsoleStage.class, ICON).toExternalForm()));
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
        stage.setScene(scene);
        ConsoleSettings settings = services.settings();
        settings.windowOn(screens).ifPresent(bounds -> place(stage, bounds));
        stage.show();
        trackBounds(stage, settings);
        // Closing the window (not only Quit) keeps the bounds, split positions and theme.
        stage.setOnHiding(event -> mainWindow.controller().viewModel().saveSettings());
        return mainWindow.controller();
    }

    private static void place(Stage stage, WindowBounds bounds) {
        stage.setX(bounds.x());
        stage.setY(bounds.y());
        stage.setWidth(Math.max(bounds.width(), MIN_WIDTH));
        stage.setHeight(Math.max(bounds.height(), MIN_HEIGHT));
        stage.setMaximized(bounds.maximized());
    }

    /**
     * Copies the window's bounds into the settings whenever they change. While maximized (or iconified) only the
     * flag changes, so that the size the user chose survives a maximized session.
     */
    private static void trackBounds(Stage stage, ConsoleSettings settings) {
        // Opened maximized from saved bounds: the saved (un-maximized) size is the one to keep.
        double[] normal = settings.window().filter(bounds -> stage.isMaximized())
                .map(bounds -> new double[] {bounds.x(), bounds.y(), bounds.width(), bounds.height()})
                .orElseGet(() -> new double[] {stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()});
        InvalidationListener record = observable -> {
            if (!stage.isMaximized() && !stage.isIconified()) {
                normal[0] = stage.getX();
                normal[1] = stage.getY();
                normal[2] = stage.getWidth();
                normal[3] = stage.getHeight();
            }
            if (Double.isFinite(normal[0]) && Double.isFinite(normal[1]) && normal[2] > 0 && normal[3] > 0) {
                settings.setWindow(new WindowBounds(normal[0], normal[1], normal[2], normal[3], stage.isMaximized()));
            }
        };
        stage.xProperty().addListener(record);
        stage.yProperty().addListener(record);
        stage.widthProperty().addListener(record);
        stage.heightProperty().addListener(record);
        stage.maximizedProperty().addListener(record);
        record.invalidated(null);
    }
}
