package dev.supaqueue.pgmq;

/** What the connected role may do with pgmq, from the catalog's privilege functions. */
public enum PgmqAccess {
    /** Use the {@code pgmq} schema and run {@code pgmq.send}: browse, send and manage queues. */
    FULL,
    /** Only Supabase's {@code pgmq_public} wrappers: send, read and delete, no management. */
    PUBLIC_WRAPPERS_ONLY,
    /** Neither. */
    NONE
}
