package dev.supaqueue.console.fx;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs database and network work off the FX thread and hands the outcome back to it. View models take one of
 * these instead of starting threads, so that no view model ever blocks the FX thread and tests can run the work
 * in line ({@link #inline()}).
 */
public interface BackgroundTasks {

    /**
     * Runs {@code work} in the background; then, on the FX thread, {@code onSuccess} with its result or
     * {@code onFailure} with what it threw.
     */
    <T> void run(String description, Callable<T> work, Consumer<? super T> onSuccess,
                 Consumer<? super Throwable> onFailure);

    /** For tests: runs the work and its callback at once on the calling thread. */
    static BackgroundTasks inline() {
        return new BackgroundTasks() {
            @Override
            public <T> void run(String description, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Throwable> onFailure) {
                T result;
                try {
                    result = work.call();
                } catch (Exception | Error e) {
                    onFailure.accept(e);
                    return;
                }
                onSuccess.accept(result);
            }
        };
    }
}
