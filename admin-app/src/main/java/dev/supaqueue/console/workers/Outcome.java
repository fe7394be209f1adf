package dev.supaqueue.console.workers;

/** How the embedded worker settled one delivery of a message. */
public enum Outcome {
    /** The actor returned and the message was acknowledged. */
    DONE,
    /** The actor raised and the message was acknowledged without a retry (the broker has no Retries middleware). */
    FAILED,
    /** The actor raised and Retries enqueued the message again with backoff. */
    RETRIED,
    /** The message was dead-lettered: retries exhausted, an unknown actor, or arguments that cannot bind. */
    DEAD_LETTERED,
    /** A middleware skipped the actor; the message was acknowledged. */
    SKIPPED
}
