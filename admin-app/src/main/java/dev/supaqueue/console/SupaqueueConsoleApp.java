package dev.supaqueue.console;

import dev.supaqueue.console.runtime.RuntimeVersions;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application: creates the services once and opens the main window. */
public final class SupaqueueConsoleApp extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(SupaqueueConsoleApp.class);

    @Override
    public void start(Stage primaryStage) {
        // Versions are read here, not in main: JavaFX sets javafx.runtime.version when the toolkit starts.
        ConsoleServices services = new ConsoleServices(RuntimeVersions.detect(), Platform::exit);
        RuntimeVersions versions = services.versions();
        LOG.info("Supaqueue console {} starting on Java {} and JavaFX {}",
                versions.console(), versions.java(), versions.javafx());
        ConsoleStage.showMainWindow(primaryStage, services);
    }

    @Override
    public void stop() {
        LOG.info("Supaqueue console stopped");
    }
}
