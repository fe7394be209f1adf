package dev.supaqueue.console.workers;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.Retries;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A middleware that reports every settled delivery as a {@link ProcessedMessage}. It waits for the ack or nack
 * rather than reporting in {@code after_process_message}, because only then is the outcome known: Retries decides
 * there whether a failed message is retried (acked after a re-enqueue) or dead-lettered (nacked).
 *
 * <p>The sink is called on worker threads and must be quick and thread-safe.
 */
final class ProcessingObserver implements Middleware {

    /** The attempt of this thread; a worker thread processes and settles a message on the same thread. */
    private final ThreadLocal<Attempt> attempt = new ThreadLocal<>();
    private final Consumer<ProcessedMessage> sink;
    private final Clock clock;

    ProcessingObserver(Consumer<ProcessedMessage> sink, Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void beforeProcessMessage(Broker broker, MessageProxy message) {
        attempt.set(new Attempt(message, System.nanoTime()));
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
        Attempt current = attempt.get();
        if (current != null && current.message == message) {
            current.ended(exception, false);
        }
    }

    @Override
    public void afterSkipMessage(Broker broker, MessageProxy message) {
        Attempt current = attempt.get();
        if (current != null && current.message == message) {
            current.ended(null, true);
        }
    }

    @Override
    public void afterAck(Broker broker, MessageProxy message) {
        Attempt current = take(message);
        Outcome outcome;
        if (current.skipped) {
            outcome = Outcome.SKIPPED;
        } else if (current.error == null) {
            outcome = Outcome.DONE;
        } else {
            // Acked after a failure: Retries re-enqueued it, or there is no Retries and the failure is final.
            boolean retries = broker.middleware().stream().anyMatch(Retries.class::isInstance);
            outcome = retries ? Outcome.RETRIED : Outcome.FAILED;
        }
        report(message, current, outcome);
    }

    @Override
    public void afterNack(Broker broker, MessageProxy message) {
        Attempt current = take(message);
        // An unknown actor is nacked without process hooks: its exception is on the message only.
        if (current.error == null && message.exception() != null) {
            current.error = message.exception();
        }
        report(message, current, Outcome.DEAD_LETTERED);
    }

    private Attempt take(MessageProxy message) {
        Attempt current = attempt.get();
        attempt.remove();
        if (current == null || current.message != message) {
            // Settled without our before hook (unknown actor, or an earlier middleware failed the message).
            Attempt none = new Attempt(message, 0);
            none.endNanos = 0;
            none.error = message.exception();
            return none;
        }
        if (current.endNanos == 0) {
            current.endNanos = System.nanoTime();
        }
        return current;
    }

    private void report(MessageProxy message, Attempt attempt, Outcome outcome) {
        Duration duration = Duration.ofNanos(Math.max(0, attempt.endNanos - attempt.startNanos));
        Throwable error = attempt.error;
        String describedError = error == null ? "" : error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage());
        sink.accept(new ProcessedMessage(clock.instant(), message.messageId(), message.actorName(),
                message.queueName(), duration, outcome, describedError));
    }

    private static final class Attempt {
        final MessageProxy message;
        final long startNanos;
        long endNanos;
        Throwable error;
        boolean skipped;

        Attempt(MessageProxy message, long startNanos) {
            this.message = message;
            this.startNanos = startNanos;
        }

        void ended(Throwable exception, boolean wasSkipped) {
            endNanos = System.nanoTime();
            error = exception;
            skipped = wasSkipped;
        }
    }
}
