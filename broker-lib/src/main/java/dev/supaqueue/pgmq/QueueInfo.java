package dev.supaqueue.pgmq;

import java.time.Instant;

/**
 * One row of {@code pgmq.list_queues()} ({@code pgmq.queue_record}).
 *
 * @param name        the queue name as given at creation (pgmq lowercases only the table names)
 * @param partitioned whether the queue was made by {@code create_partitioned}
 * @param unlogged    whether the queue table is UNLOGGED (lost on crash, not replicated)
 * @param createdAt   when the queue was created
 */
public record QueueInfo(String name, boolean partitioned, boolean unlogged, Instant createdAt) {
}
