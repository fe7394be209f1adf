package dev.supaqueue.console.fx;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's {@link BackgroundTasks}: a small pool of daemon threads for the work, {@link Platform#runLater}
 * for the callbacks. One per application; closed when the console exits.
 */
public final class FxBackgroundTasks implements BackgroundTasks, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FxBackgroundTasks.class);

    private final ExecutorService executor;

    /** A pool of {@code threads} daemon threads named {@code console-task-N}. */
    public FxBackgroundTasks(int threads) {
        AtomicInteger counter = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "console-task-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public <T> void run(String description, Callable<T> work, Consumer<? super T> onSuccess,
                        Consumer<? super Throwable> onFailure) {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(onSuccess, "onSuccess");
        Objects.requireNonNull(onFailure, "onFailure");
        executor.execute(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> onSuccess.accept(result));
            } catch (Exception | Error e) {
                log.debug("Background task failed: {}", description, e);
                Platform.runLater(() -> onFailure.accept(e));
            }
        });
    }

    /** Stops taking work and gives running work a moment to end. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
