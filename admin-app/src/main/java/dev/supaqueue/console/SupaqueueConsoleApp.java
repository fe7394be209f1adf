package dev.supaqueue.console;

import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.queues.FxTextClipboard;
import dev.supaqueue.console.queues.FxTicker;
import dev.supaqueue.console.runtime.RuntimeVersions;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application: creates the services once and opens the main window. */
public final class SupaqueueConsoleApp extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(SupaqueueConsoleApp.class);

    private FxBackgroundTasks tasks;

    @Override
    public void start(Stage primaryStage) {
        // Versions are read here, not in main: JavaFX sets javafx.runtime.version when the toolkit starts.
        RuntimeVersions versions = RuntimeVersions.detect();
        tasks = new FxBackgroundTasks(4);
        ConsoleServices services = ConsoleServices.forDesktop(versions, Platform::exit, tasks, new FxTicker(),
                new FxTextClipboard());
        LOG.info("Supaqueue console {} starting on Java {} and JavaFX {}",
                versions.console(), versions.java(), versions.javafx());
        MainWindowView mainWindow = ConsoleStage.showMainWindow(primaryStage, services);
        // The FX thread (this one) and every other thread: log, then say it in plain words in the main window.
        UncaughtErrors errors = new UncaughtErrors(mainWindow.viewModel()::reportUnexpected, Platform::runLater);
        Thread.currentThread().setUncaughtExceptionHandler(errors);
        Thread.setDefaultUncaughtExceptionHandler(errors);
    }

    @Override
    public void stop() {
        if (tasks != null) {
            tasks.close();
        }
        LOG.info("Supaqueue console stopped");
    }
}
