package dev.supaqueue.console.workers;

import java.util.Arrays;
import java.util.Objects;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * Counts and latency of one actor since the worker started: deliveries by outcome, the average processing time of
 * all of them and the median of the last {@value #LATENCY_WINDOW}. Updated on the FX thread only.
 */
public final class ActorStatsRow {

    static final int LATENCY_WINDOW = 1_000;

    private final String actorName;
    private final ReadOnlyLongWrapper processed = new ReadOnlyLongWrapper(this, "processed");
    private final ReadOnlyLongWrapper done = new ReadOnlyLongWrapper(this, "done");
    private final ReadOnlyLongWrapper retried = new ReadOnlyLongWrapper(this, "retried");
    private final ReadOnlyLongWrapper failed = new ReadOnlyLongWrapper(this, "failed");
    private final ReadOnlyLongWrapper deadLettered = new ReadOnlyLongWrapper(this, "deadLettered");
    private final ReadOnlyDoubleWrapper averageMillis = new ReadOnlyDoubleWrapper(this, "averageMillis");
    private final ReadOnlyDoubleWrapper medianMillis = new ReadOnlyDoubleWrapper(this, "medianMillis");

    /** Ring of the last durations in nanoseconds. */
    private final long[] recent = new long[LATENCY_WINDOW];
    private int recentCount;
    private int next;
    private long totalNanos;

    ActorStatsRow(String actorName) {
        this.actorName = Objects.requireNonNull(actorName, "actorName");
    }

    void add(ProcessedMessage message) {
        processed.set(processed.get() + 1);
        switch (message.outcome()) {
            case DONE, SKIPPED -> done.set(done.get() + 1);
            case RETRIED -> retried.set(retried.get() + 1);
            case FAILED -> failed.set(failed.get() + 1);
            case DEAD_LETTERED -> deadLettered.set(deadLettered.get() + 1);
        }
        long nanos = message.duration().toNanos();
        totalNanos += nanos;
        recent[next] = nanos;
        next = (next + 1) % recent.length;
        recentCount = Math.min(recentCount + 1, recent.length);
    }

    /** Recomputes the latencies; once per batch rather than per message. */
    void refreshLatency() {
        if (recentCount == 0) {
            return;
        }
        averageMillis.set(totalNanos / 1e6 / processed.get());
        long[] sorted = Arrays.copyOf(recent, recentCount);
        Arrays.sort(sorted);
        medianMillis.set(sorted[(recentCount - 1) / 2] / 1e6);
    }

    public String actorName() {
        return actorName;
    }

    public ReadOnlyLongProperty processedProperty() {
        return processed.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty doneProperty() {
        return done.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty retriedProperty() {
        return retried.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty deadLetteredProperty() {
        return deadLettered.getReadOnlyProperty();
    }

    /** Mean processing time of every delivery, in milliseconds. */
    public ReadOnlyDoubleProperty averageMillisProperty() {
        return averageMillis.getReadOnlyProperty();
    }

    /** Median (p50) processing time of the recent deliveries, in milliseconds. */
    public ReadOnlyDoubleProperty medianMillisProperty() {
        return medianMillis.getReadOnlyProperty();
    }
}
