package dev.supaqueue.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * How far behind consumers are on one queue: the number of ready messages and how long the oldest of them has
 * been waiting since it became visible.
 *
 * @param queue          the pgmq queue name
 * @param ready          messages visible now
 * @param oldestReadyAge how long the oldest ready message has been visible; null when nothing is ready
 */
public record QueueLag(String queue, Count ready, Duration oldestReadyAge) {

    public QueueLag {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(ready, "ready");
    }

    /** Whether the oldest ready message has waited longer than {@code maxLag}. */
    public boolean exceeds(Duration maxLag) {
        return oldestReadyAge != null && oldestReadyAge.compareTo(maxLag) > 0;
    }
}
