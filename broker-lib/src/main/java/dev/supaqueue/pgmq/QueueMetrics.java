package dev.supaqueue.pgmq;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One row of {@code pgmq.metrics_result}. Note that pgmq computes it with a full {@code count(*)}.
 *
 * @param queueName              the queue
 * @param queueLength            all rows of the queue table: visible, in flight and delayed
 * @param newestMsgAgeSec        seconds since the newest message was enqueued; null when the queue is empty
 * @param oldestMsgAgeSec        seconds since the oldest message was enqueued; null when the queue is empty
 * @param totalMessages          messages ever sent (the msg_id sequence's last value)
 * @param scrapeTime             when the numbers were taken (the server's {@code now()})
 * @param queueVisibleLength     rows visible now; null before pgmq 1.5.0 (no such column)
 * @param defaultPartitionLength rows in a partitioned queue's default partition; null unless the server
 *                               reports it (pgmq ≥ 1.12.1) and the queue is partitioned
 */
public record QueueMetrics(String queueName, long queueLength, Integer newestMsgAgeSec, Integer oldestMsgAgeSec,
                           long totalMessages, Instant scrapeTime, Long queueVisibleLength,
                           Long defaultPartitionLength) {

    /** {@link #queueVisibleLength()}, empty on pgmq before 1.5.0. */
    public OptionalLong visibleLength() {
        return queueVisibleLength == null ? OptionalLong.empty() : OptionalLong.of(queueVisibleLength);
    }

    /** {@link #oldestMsgAgeSec()}, empty when the queue is empty. */
    public OptionalInt oldestMessageAgeSeconds() {
        return oldestMsgAgeSec == null ? OptionalInt.empty() : OptionalInt.of(oldestMsgAgeSec);
    }

    /** {@link #newestMsgAgeSec()}, empty when the queue is empty. */
    public OptionalInt newestMessageAgeSeconds() {
        return newestMsgAgeSec == null ? OptionalInt.empty() : OptionalInt.of(newestMsgAgeSec);
    }

    /** {@link #defaultPartitionLength()} as an Optional. */
    public Optional<Long> defaultPartition() {
        return Optional.ofNullable(defaultPartitionLength);
    }
}
