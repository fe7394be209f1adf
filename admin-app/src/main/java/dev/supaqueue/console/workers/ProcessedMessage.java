package dev.supaqueue.console.workers;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the live log: a delivery the embedded worker settled.
 *
 * @param finishedAt when it was settled
 * @param messageId  Dramatiq's message_id (the same for every retry of a message)
 * @param actorName  the actor it named
 * @param queueName  its Dramatiq queue
 * @param duration   how long processing took (actor and process hooks); zero when the actor never ran
 * @param outcome    how it was settled
 * @param error      the failure's exception as {@code Class: message}, or empty
 */
public record ProcessedMessage(Instant finishedAt, String messageId, String actorName, String queueName,
                               Duration duration, Outcome outcome, String error) {

    public ProcessedMessage {
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(actorName, "actorName");
        Objects.requireNonNull(queueName, "queueName");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outcome, "outcome");
        error = error == null ? "" : error;
    }
}
