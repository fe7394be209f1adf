package dev.supaqueue.middleware;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.message.Message;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports message events to a {@link MetricsListener}: a plain hook, so the library depends on no metrics library.
 * Adapting it to Micrometer, for example, takes a few lines:
 *
 * <pre>{@code
 * MeterRegistry registry = ...;
 * broker.addMiddleware(new MetricsMiddleware(new MetricsListener() {
 *     @Override
 *     public void onMessageProcessed(String actor, String queue, Duration duration, Outcome outcome) {
 *         Timer.builder("supaqueue.message.duration")
 *                 .tags("actor", actor, "queue", queue, "outcome", outcome.name().toLowerCase())
 *                 .register(registry)
 *                 .record(duration);
 *     }
 *
 *     @Override
 *     public void onMessageDeadLettered(String actor, String queue) {
 *         registry.counter("supaqueue.messages.dead_lettered", "actor", actor, "queue", queue).increment();
 *     }
 * }));
 * }</pre>
 *
 * <p>Durations are measured from {@code before_process_message} to the after hook, so they include the time spent
 * in the middleware that run between the two (add this middleware first to include them all).
 */
public final class MetricsMiddleware implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(MetricsMiddleware.class);

    /** The attempt on this thread; the after hook of an attempt runs on the thread of its before hook. */
    private final ThreadLocal<Started> started = new ThreadLocal<>();
    private final MetricsListener listener;

    public MetricsMiddleware(MetricsListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public MetricsListener listener() {
        return listener;
    }

    @Override
    public void afterEnqueue(Broker broker, Message message, Duration delay) {
        report("onMessageEnqueued", () -> listener.onMessageEnqueued(message.actorName(), message.queueName(), delay));
        if (message.options().get("retries") != null) {
            report("onMessageRetried", () -> listener.onMessageRetried(message.actorName(), message.queueName()));
        }
    }

    @Override
    public void beforeProcessMessage(Broker broker, MessageProxy message) {
        started.set(new Started(message, System.nanoTime()));
        report("onMessageStarted", () -> listener.onMessageStarted(message.actorName(), message.queueName()));
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
        boolean failed = exception != null || message.failed();
        processed(message, failed ? MetricsListener.Outcome.FAILED : MetricsListener.Outcome.SUCCEEDED);
    }

    @Override
    public void afterSkipMessage(Broker broker, MessageProxy message) {
        processed(message, MetricsListener.Outcome.SKIPPED);
    }

    @Override
    public void afterNack(Broker broker, MessageProxy message) {
        report("onMessageDeadLettered", () -> listener.onMessageDeadLettered(message.actorName(),
                message.queueName()));
    }

    private void processed(MessageProxy message, MetricsListener.Outcome outcome) {
        Started start = started.get();
        started.remove();
        Duration duration;
        if (start != null && start.message == message) {
            duration = Duration.ofNanos(System.nanoTime() - start.nanos);
        } else {
            // An earlier middleware skipped the message before our before hook: keep started/processed paired.
            duration = Duration.ZERO;
            report("onMessageStarted", () -> listener.onMessageStarted(message.actorName(), message.queueName()));
        }
        report("onMessageProcessed", () -> listener.onMessageProcessed(message.actorName(), message.queueName(),
                duration, outcome));
    }

    /** A faulty listener must not fail the message, nor (if it threw a SkipMessage) skip it. */
    private void report(String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("Metrics listener {} failed in {}; ignoring it", listener.getClass().getName(), event, e);
        }
    }

    private record Started(MessageProxy message, long nanos) {
    }
}
