package dev.supaqueue.console.queues;

import java.time.Duration;
import javafx.util.Subscription;

/**
 * Time for the queue screens: a monotonic clock for elapsed durations and periodic actions on the FX thread.
 * The console uses {@link FxTicker}; tests use a manual ticker they advance by hand, so countdowns and polling
 * are checked without waiting for real seconds.
 */
public interface Ticker {

    /** A monotonic reading in nanoseconds; only differences between two readings mean anything. */
    long nanoTime();

    /**
     * Runs {@code action} on the FX thread every {@code period}, the first time one period from now, until the
     * returned subscription is unsubscribed.
     */
    Subscription every(Duration period, Runnable action);
}
