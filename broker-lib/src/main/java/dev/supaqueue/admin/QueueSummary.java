package dev.supaqueue.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the queue list: a pgmq queue's counts per state, its dead letters and its ages, as seen by plain
 * {@code SELECT}s at one moment. Counts of big queues stop at {@link AdminOptions#countCap()} and say so
 * ({@link Count.Precision}), so that one refresh stays fast however many messages there are. In-flight and
 * delayed messages are told apart in one capped sample of the not-yet-visible rows (soonest visible first): when
 * there are more of those than the cap, both are lower bounds, and the rarer state may show as {@code ≥ 0}.
 *
 * @param name             the pgmq queue name, e.g. {@code app_emails}
 * @param namespace        the namespace the queue is grouped under, {@code ""} when it is outside any namespace
 * @param shortName        the name without {@code <namespace>_} (the name itself without a namespace)
 * @param type             logged, unlogged or partitioned
 * @param createdAt        when the queue was created (null if pgmq did not record it)
 * @param ready            visible now ({@code vt <= now()}): a consumer's next read gets these
 * @param inFlight         read and not yet visible again ({@code vt > now()}, {@code read_ct > 0})
 * @param delayed          never read and not yet visible ({@code vt > now()}, {@code read_ct = 0})
 * @param length           all live messages: ready + in flight + delayed, or an estimate for huge queues
 * @param archived         messages in the queue's archive table
 * @param deadLetterQueue  the pgmq name of the queue's dead-letter queue {@code <name>_xq}, or null when it has none
 * @param deadLetters      the live messages of that dead-letter queue, null when there is none
 * @param oldestMessageAge how long ago the oldest live message was enqueued, null when the queue is empty
 * @param oldestReadyAge   how long the oldest ready message has been waiting since it became visible: the
 *                         queue's lag; null when nothing is ready
 * @param totalSent        messages ever sent to the queue (its {@code msg_id} sequence), 0 when none (or when the
 *                         database user may not read the sequence)
 */
public record QueueSummary(String name, String namespace, String shortName, QueueType type, Instant createdAt,
                           Count ready, Count inFlight, Count delayed, Count length, Count archived,
                           String deadLetterQueue, Count deadLetters, Duration oldestMessageAge,
                           Duration oldestReadyAge, long totalSent) {

    public QueueSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(shortName, "shortName");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(inFlight, "inFlight");
        Objects.requireNonNull(delayed, "delayed");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(archived, "archived");
        if ((deadLetterQueue == null) != (deadLetters == null)) {
            throw new IllegalArgumentException("deadLetterQueue and deadLetters go together, got "
                    + deadLetterQueue + " and " + deadLetters);
        }
        if (totalSent < 0) {
            throw new IllegalArgumentException("totalSent must not be negative, got " + totalSent);
        }
    }

    /** Whether the queue has a dead-letter queue ({@code <name>_xq}). */
    public boolean hasDeadLetterQueue() {
        return deadLetterQueue != null;
    }

    /** Whether every count of this row is exact (none was capped or estimated). */
    public boolean countsExact() {
        return ready.isExact() && inFlight.isExact() && delayed.isExact() && length.isExact() && archived.isExact()
                && (deadLetters == null || deadLetters.isExact());
    }
}
