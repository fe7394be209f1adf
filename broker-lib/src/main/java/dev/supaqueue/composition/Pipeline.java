package dev.supaqueue.composition;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.GlobalBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.MessageOptions;
import dev.supaqueue.middleware.Pipelines;
import dev.supaqueue.results.ResultBackend;
import dev.supaqueue.results.ResultFailure;
import dev.supaqueue.results.ResultMissing;
import dev.supaqueue.results.ResultTimeout;
import dev.supaqueue.results.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Messages that run one after another, each getting the previous one's result as an extra last argument —
 * Dramatiq's {@code pipeline} ({@code msg1 | msg2}):
 *
 * <pre>{@code
 * Pipeline.of(add.message(1, 2), add.message(3), add.message(4)).run(); // add(1, 2) → add(3, 3) → add(4, 6)
 * }</pre>
 *
 * <p>Each message but the last is copied with the next one's message dict in its {@code pipe_target} option, so
 * only the first is enqueued and the {@link Pipelines} middleware (one of the defaults) enqueues each next step when
 * the previous one succeeds; a failed step stops the chain. Copies keep their message ids. A step built with the
 * option {@code pipe_ignore = true} does not receive the previous result; one with a {@code delay} option (ms) is
 * delayed by that much when its predecessor enqueues it. A pipeline given as a step is flattened into this one.
 *
 * <p>With the {@link Results} middleware and {@code store_results} on the steps' actors, {@link #getResults},
 * {@link #getResult}, {@link #completedCount} and {@link #completed} read the steps' results, as Dramatiq's
 * {@code get_results}, {@code get_result}, {@code completed_count} and {@code completed}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Pipeline {

    private final List<Message> messages;
    private final Broker broker;

    /**
     * @param children the steps, in order: {@link Message}s and {@code Pipeline}s (flattened)
     * @param broker   where {@link #run()} enqueues; null for the {@link GlobalBroker} at the time of the run
     * @throws IllegalArgumentException if there is no step, or a step is neither a Message nor a Pipeline
     *                                  (Dramatiq raises TypeError)
     */
    public Pipeline(List<?> children, Broker broker) {
        Objects.requireNonNull(children, "children");
        List<Message> flat = new ArrayList<>();
        for (Object child : children) {
            switch (child) {
                case Message message -> flat.add(message);
                case Pipeline pipeline -> flat.addAll(pipeline.messages);
                case null -> throw new IllegalArgumentException("a pipeline step must not be null");
                default -> throw new IllegalArgumentException("pipelines support only messages and pipelines,"
                        + " not " + child.getClass().getName());
            }
        }
        if (flat.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one message");
        }
        // From the end: each step nests the already chained next one, so the first carries the whole chain. A
        // flattened pipeline's old pipe_target links are replaced, except on the very last step, kept as given.
        Message[] chained = new Message[flat.size()];
        chained[flat.size() - 1] = flat.getLast();
        for (int i = flat.size() - 2; i >= 0; i--) {
            chained[i] = flat.get(i).withOptions(Map.of(Pipelines.PIPE_TARGET, chained[i + 1].toMap()));
        }
        this.messages = List.of(chained);
        this.broker = broker;
    }

    /** A pipeline of these steps on the global broker. */
    public static Pipeline of(Message... steps) {
        return new Pipeline(Arrays.asList(steps), null);
    }

    /** A pipeline of these steps (Messages and Pipelines) on the global broker. */
    public static Pipeline pipeline(List<?> children) {
        return new Pipeline(children, null);
    }

    /** A pipeline of these steps (Messages and Pipelines) on this broker. */
    public static Pipeline pipeline(List<?> children, Broker broker) {
        return new Pipeline(children, Objects.requireNonNull(broker, "broker"));
    }

    /** This pipeline followed by another step, as Dramatiq's {@code pipe | message}; on this pipeline's broker. */
    public Pipeline then(Message next) {
        return new Pipeline(List.of(this, next), broker);
    }

    /** This pipeline followed by another (flattened), as {@code pipe | pipe}; on this pipeline's broker. */
    public Pipeline then(Pipeline next) {
        return new Pipeline(List.of(this, next), broker);
    }

    /** The chained messages, first to last (each but the last with its {@code pipe_target}). */
    public List<Message> messages() {
        return messages;
    }

    /** Enqueues the first message (delayed by its own {@code delay} option, if any); returns this pipeline. */
    public Pipeline run() {
        return run(Duration.ZERO);
    }

    /**
     * Enqueues the first message, delayed by the larger of {@code delay} and the first message's own {@code delay}
     * option (ms), as Dramatiq; returns this pipeline.
     *
     * @param delay null or zero for none
     * @throws IllegalStateException    if no broker was given and no global broker is set
     * @throws IllegalArgumentException if {@code delay} is negative or the first message's delay is not a number
     */
    public Pipeline run(Duration delay) {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        Message first = messages.getFirst();
        long own = MessageOptions.asLong(Optional.ofNullable(first.options().get(Pipelines.DELAY)), Pipelines.DELAY)
                .orElse(0L);
        long requested = delay == null ? 0 : delay.toMillis();
        Broker target = broker != null ? broker : GlobalBroker.get();
        target.enqueue(first, Duration.ofMillis(Math.max(requested, Math.max(own, 0))));
        return this;
    }

    // Results //

    /**
     * Each step's result as a JSON value, first to last, waiting up to {@code timeout} in all.
     *
     * @throws ResultTimeout if some step stored no result in time
     * @throws ResultFailure if a step failed
     */
    public List<Object> getResults(ResultBackend backend, Duration timeout) {
        Objects.requireNonNull(backend, "backend");
        long deadline = System.nanoTime() + Objects.requireNonNull(timeout, "timeout").toNanos();
        List<Object> results = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            results.add(backend.get(message, left).value());
        }
        // Not List.copyOf: a step may have returned null.
        return Collections.unmodifiableList(results);
    }

    /** As {@link #getResults(ResultBackend, Duration)}, with the backend of this pipeline's broker's Results. */
    public List<Object> getResults(Duration timeout) {
        return getResults(Results.backendOf(targetBroker()), timeout);
    }

    /**
     * The last step's result bound to a Java type, waiting up to {@code timeout}.
     *
     * @throws ResultTimeout if it stored no result in time
     * @throws ResultFailure if it failed
     */
    public <T> T getResult(ResultBackend backend, Duration timeout, Class<T> type) {
        return Objects.requireNonNull(backend, "backend").getResult(messages.getLast(), timeout, type);
    }

    /** As {@link #getResult(ResultBackend, Duration, Class)}, with the backend of the broker's Results. */
    public <T> T getResult(Duration timeout, Class<T> type) {
        return getResult(Results.backendOf(targetBroker()), timeout, type);
    }

    /**
     * How many steps, from the first, have stored a result; without waiting. As Dramatiq, a failed step is not
     * counted but raised.
     *
     * @throws ResultFailure if a step up to the first missing result failed
     */
    public int completedCount(ResultBackend backend) {
        Objects.requireNonNull(backend, "backend");
        int count = 0;
        for (Message message : messages) {
            try {
                backend.get(message).value();
            } catch (ResultMissing missing) {
                break;
            }
            count++;
        }
        return count;
    }

    /** Whether every step has stored a result (see {@link #completedCount}). */
    public boolean completed(ResultBackend backend) {
        return completedCount(backend) == messages.size();
    }

    /** The broker given at construction, or null for the global one: a {@link Group} copies its child with it. */
    Broker broker() {
        return broker;
    }

    private Broker targetBroker() {
        return broker != null ? broker : GlobalBroker.get();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Pipeline[");
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            text.append(i == 0 ? "" : " | ").append(m.actorName()).append(m.args());
        }
        return text.append(']').toString();
    }
}
