package dev.supaqueue.console.queues;

import dev.supaqueue.admin.QueueSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One point of a queue's depth and throughput chart, taken from one refresh of the queue list.
 *
 * @param at         the server's clock when the counts were taken
 * @param depth      live messages (ready + in flight + delayed; capped or estimated for huge queues)
 * @param totalSent  messages ever sent, the queue's {@code msg_id} sequence
 * @param throughput messages sent per second since the previous sample, null for the first sample or when it
 *                   cannot be known (the queue was recreated, or the clock did not move)
 */
public record QueueSample(Instant at, long depth, long totalSent, Double throughput) {

    public QueueSample {
        Objects.requireNonNull(at, "at");
    }

    /** The first sample of a queue: no throughput yet. */
    public static QueueSample first(Instant at, QueueSummary queue) {
        return new QueueSample(at, queue.length().value(), queue.totalSent(), null);
    }

    /** The sample after {@code previous}, with the throughput between the two. */
    public static QueueSample next(QueueSample previous, Instant at, QueueSummary queue) {
        return new QueueSample(at, queue.length().value(), queue.totalSent(),
                throughput(previous.at(), previous.totalSent(), at, queue.totalSent()));
    }

    /**
     * Messages sent per second between two readings of a queue's {@code totalSent}: the delta over the time
     * between the readings on the server's clock. Null when the time did not advance or the total went down (the
     * queue was dropped and created again, so the two readings count different sequences).
     */
    public static Double throughput(Instant before, long sentBefore, Instant after, long sentAfter) {
        Duration between = Duration.between(before, after);
        if (between.isZero() || between.isNegative() || sentAfter < sentBefore) {
            return null;
        }
        return (sentAfter - sentBefore) / (between.toNanos() / 1e9);
    }
}
