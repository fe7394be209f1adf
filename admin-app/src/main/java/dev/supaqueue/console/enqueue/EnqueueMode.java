package dev.supaqueue.console.enqueue;

/** What the enqueue form builds: a Dramatiq message from its parts, or a JSON payload typed as it is. */
public enum EnqueueMode {
    /** actor name, args, kwargs and options; every copy gets its own message_id. */
    DRAMATIQ,
    /** any JSON value, sent exactly as typed. */
    RAW
}
