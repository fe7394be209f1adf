package dev.supaqueue.admin;

/**
 * Where a message stands, derived from pgmq's columns against the server's clock (pgmq has no state column).
 */
public enum MessageState {
    /** In the queue and visible now ({@code vt <= now()}): the next read may take it. */
    READY,
    /** Read by a consumer and not yet visible again ({@code vt > now()} and {@code read_ct > 0}). */
    IN_FLIGHT,
    /** Never read and not yet visible ({@code vt > now()} and {@code read_ct = 0}): sent with a delay or postponed. */
    DELAYED,
    /** In the queue's archive table ({@code a_<queue>}). */
    ARCHIVED
}
