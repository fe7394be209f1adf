package dev.supaqueue.console;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles exceptions nobody caught, on the FX thread or any other: logs them with their stack trace and hands them
 * to {@code report} on the FX thread (the main window's message bar), so that a bug in one handler neither dies
 * silently nor ends the console. JavaFX keeps its event loop running after passing such an exception on.
 * Passwords are not at risk in the log: the console's requests and settings mask them in their toString.
 */
final class UncaughtErrors implements Thread.UncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UncaughtErrors.class);

    private final Consumer<Throwable> report;
    private final Executor fxThread;

    /**
     * @param report   shows the error to the user; always called through {@code fxThread}
     * @param fxThread runs work on the FX thread ({@code Platform::runLater} in the application)
     */
    UncaughtErrors(Consumer<Throwable> report, Executor fxThread) {
        this.report = Objects.requireNonNull(report, "report");
        this.fxThread = Objects.requireNonNull(fxThread, "fxThread");
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        LOG.error("Uncaught exception on thread {}", thread.getName(), error);
        try {
            fxThread.execute(() -> report.accept(error));
        } catch (RuntimeException e) {
            // The toolkit is gone (shutting down): the log is all there is.
            LOG.error("Could not show the uncaught exception in the main window", e);
        }
    }
}
