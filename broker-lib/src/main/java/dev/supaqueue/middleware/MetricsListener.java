package dev.supaqueue.middleware;

import java.time.Duration;

/**
 * Receives the events {@link MetricsMiddleware} sees, labelled by actor and queue, to feed a metrics library — the
 * counters, gauge and histogram of Dramatiq's {@code Prometheus} middleware. Every method does nothing by default;
 * implement those you need. They run on the threads that send and process messages, so they must be quick and
 * thread-safe; an exception they throw is logged and ignored.
 */
public interface MetricsListener {

    /** How a processing attempt ended. */
    enum Outcome {
        /** The actor returned. */
        SUCCEEDED,
        /** The actor or a hook raised, or a middleware marked the message failed; it may be retried. */
        FAILED,
        /** A middleware skipped the actor ({@link SkipMessage}). */
        SKIPPED
    }

    /** A message was enqueued: sent, or re-enqueued by a retry (then {@link #onMessageRetried} follows). */
    default void onMessageEnqueued(String actorName, String queueName, Duration delay) {
    }

    /** A message was re-enqueued carrying a {@code retries} count, as Dramatiq's {@code message_retries_total}. */
    default void onMessageRetried(String actorName, String queueName) {
    }

    /** A worker began processing a message (an in-progress gauge goes up until {@link #onMessageProcessed}). */
    default void onMessageStarted(String actorName, String queueName) {
    }

    /** A processing attempt ended, after {@code duration} since {@link #onMessageStarted}. */
    default void onMessageProcessed(String actorName, String queueName, Duration duration, Outcome outcome) {
    }

    /** A message was dead-lettered (nacked), as Dramatiq's {@code message_rejects_total}. */
    default void onMessageDeadLettered(String actorName, String queueName) {
    }
}
