package dev.supaqueue.console;

import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.LoadedView;
import dev.supaqueue.console.fx.ViewLoader;
import java.util.ResourceBundle;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** Puts the main window on a stage: shared by the application and the UI tests, so both see the same window. */
public final class ConsoleStage {

    static final String STYLESHEET = "console.css";
    private static final double MIN_WIDTH = 900;
    private static final double MIN_HEIGHT = 600;

    private ConsoleStage() {
    }

    public static MainWindowView showMainWindow(Stage stage, ConsoleServices services) {
        ResourceBundle messages = ConsoleMessages.bundle();
        ViewLoader viewLoader = new ViewLoader(new ConsoleControllerFactory(services, messages), messages);
        LoadedView<MainWindowView> mainWindow = viewLoader.load(MainWindowView.class);

        Scene scene = new Scene(mainWindow.root());
        // On the scene rather than in each FXML file, so every screen shares one stylesheet.
        scene.getStylesheets().add(ViewLoader.requireResource(ConsoleStage.class, STYLESHEET).toExternalForm());

        stage.setTitle(messages.getString("app.title"));
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
        stage.setScene(scene);
        stage.show();
        return mainWindow.controller();
    }
}
