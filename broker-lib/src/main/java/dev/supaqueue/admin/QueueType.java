package dev.supaqueue.admin;

/** How a pgmq queue's table is kept, from {@code pgmq.meta}. */
public enum QueueType {
    /** An ordinary (WAL-logged) table. */
    LOGGED,
    /** An UNLOGGED table: faster, but emptied after a crash and not replicated. */
    UNLOGGED,
    /** Made by {@code pgmq.create_partitioned} (pg_partman). */
    PARTITIONED
}
