package dev.supaqueue.composition;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.GlobalBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.GroupCallbacks;
import dev.supaqueue.results.ResultBackend;
import dev.supaqueue.results.ResultFailure;
import dev.supaqueue.results.ResultMissing;
import dev.supaqueue.results.ResultTimeout;
import dev.supaqueue.results.Results;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Messages, pipelines and groups that run in parallel — Dramatiq's {@code group}:
 *
 * <pre>{@code
 * Group g = Group.group(List.of(square.message(1), square.message(2), Pipeline.of(add.message(1, 2), add.message(3))),
 *         broker);
 * g.addCompletionCallback(report.message("done"));   // needs the GroupCallbacks middleware
 * g.run();
 * List<Object> results = g.getResults(Duration.ofSeconds(10)); // [1, 4, 6]
 * }</pre>
 *
 * <p>{@link #run()} enqueues every child: the messages together with {@link Broker#enqueueAll}, a pipeline and a nested group through their own
 * {@code run}. A child pipeline or group built without a broker runs on this group's broker.
 *
 * <p>With completion callbacks, {@code run()} creates a barrier for as many parties as there are children (named by
 * a fresh uuid, in the backend of the broker's {@link GroupCallbacks}), and each child message — or the last message
 * of each child pipeline — carries the uuid and the callbacks' message dicts in its options; the child that clears
 * the barrier enqueues the callbacks. As in Dramatiq, a group with callbacks cannot contain groups.
 *
 * <p>Results (with the {@link Results} middleware and {@code store_results} on the children's actors): a message
 * child contributes its result, a pipeline child its last step's result, a nested group the list of its results.
 *
 * <p>Thread-safe. The children are fixed; callbacks may be added until {@code run()} (each run uses the callbacks
 * added so far and a barrier of its own).
 */
public final class Group {

    private final List<Object> children;
    private final Broker broker;
    private final List<Message> callbacks = new CopyOnWriteArrayList<>();

    /**
     * @param children {@link Message}s, {@link Pipeline}s and {@code Group}s
     * @param broker   where {@link #run()} enqueues; null for the {@link GlobalBroker} at the time of the run
     * @throws IllegalArgumentException if a child is of another type (Dramatiq raises TypeError)
     */
    public Group(List<?> children, Broker broker) {
        Objects.requireNonNull(children, "children");
        for (Object child : children) {
            switch (child) {
                case Message message -> { }
                case Pipeline pipeline -> { }
                case Group group -> { }
                case null -> throw new IllegalArgumentException("a group child must not be null");
                default -> throw new IllegalArgumentException("groups support only messages, pipelines and groups,"
                        + " not " + child.getClass().getName());
            }
        }
        this.children = List.copyOf(children);
        this.broker = broker;
    }

    /** A group of these children (Messages, Pipelines, Groups) on the global broker. */
    public static Group of(Object... children) {
        return new Group(Arrays.asList(children), null);
    }

    /** A group of these children on the global broker. */
    public static Group group(List<?> children) {
        return new Group(children, null);
    }

    /** A group of these children on this broker. */
    public static Group group(List<?> children, Broker broker) {
        return new Group(children, Objects.requireNonNull(broker, "broker"));
    }

    /** The children, as given. */
    public List<Object> children() {
        return children;
    }

    /** The number of children, as Dramatiq's {@code len(group)}. */
    public int size() {
        return children.size();
    }

    /** The completion callbacks added so far. */
    public List<Message> completionCallbacks() {
        return List.copyOf(callbacks);
    }

    /**
     * Adds a message to enqueue once every child has succeeded (needs the {@link GroupCallbacks} middleware on the
     * broker at {@link #run()} and on the workers'); returns this group.
     */
    public Group addCompletionCallback(Message callback) {
        callbacks.add(Objects.requireNonNull(callback, "callback"));
        return this;
    }

    /** Enqueues every child without delay; returns this group. */
    public Group run() {
        return run(Duration.ZERO);
    }

    /**
     * Enqueues every child, each delayed by {@code delay} (a pipeline child by at least that much); returns this
     * group.
     *
     * @param delay null or zero for none
     * @throws IllegalStateException         if there are callbacks and the broker has no {@link GroupCallbacks}
     *                                       (Dramatiq raises RuntimeError), or no broker was given and no global
     *                                       broker is set
     * @throws UnsupportedOperationException if there are callbacks and a child is a group (Dramatiq raises
     *                                       NotImplementedError)
     * @throws IllegalArgumentException      if {@code delay} is negative
     */
    public Group run(Duration delay) {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        Duration runDelay = delay == null ? Duration.ZERO : delay;
        Broker target = targetBroker();
        List<Message> callbacksNow = List.copyOf(callbacks);
        List<Object> toRun = callbacksNow.isEmpty() ? children : withCompletionOptions(target, callbacksNow);
        // The message children go in one batch (one transaction of pgmq.send_batch on a SupabaseBroker).
        List<Message> messages = new ArrayList<>();
        for (Object child : toRun) {
            if (child instanceof Message message) {
                messages.add(message);
            }
        }
        target.enqueueAll(messages, runDelay);
        for (Object child : toRun) {
            switch (child) {
                case Message message -> {
                    // enqueued above
                }
                case Pipeline pipeline -> onBroker(pipeline, target).run(runDelay);
                case Group group -> group.onBroker(target).run(runDelay);
                default -> throw new AssertionError(child);
            }
        }
        return this;
    }

    /** The children to enqueue for one run with callbacks, after the barrier was created. */
    private List<Object> withCompletionOptions(Broker target, List<Message> callbacksNow) {
        // Checked before the barrier exists, so a refused run leaves nothing behind.
        if (children.stream().anyMatch(Group.class::isInstance)) {
            throw new UnsupportedOperationException("A group with completion callbacks cannot contain groups"
                    + " (as in Dramatiq); flatten the nested groups into this one");
        }
        if (children.isEmpty()) {
            throw new IllegalStateException("An empty group never completes, so its callbacks would never run");
        }
        GroupCallbacks middleware = GroupCallbacks.find(target).orElseThrow(() -> new IllegalStateException(
                "This group has completion callbacks, but its broker has no GroupCallbacks middleware to run them:"
                        + " add one with broker.addMiddleware(new GroupCallbacks(rateLimiterBackend)) (or"
                        + " GroupCallbacks.onPostgres(broker)), on this broker and on the workers' brokers"));
        String uuid = UUID.randomUUID().toString();
        List<Map<String, Object>> dicts = callbacksNow.stream().map(Message::toMap).toList();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put(GroupCallbacks.GROUP_COMPLETION_UUID, uuid);
        options.put(GroupCallbacks.GROUP_COMPLETION_CALLBACKS, dicts);
        middleware.createBarrier(uuid, children.size());

        List<Object> marked = new ArrayList<>(children.size());
        for (Object child : children) {
            switch (child) {
                case Message message -> marked.add(message.withOptions(options));
                case Pipeline pipeline -> {
                    // Only the last step finishes the pipeline, so only it counts towards the group.
                    List<Message> steps = new ArrayList<>(pipeline.messages());
                    steps.set(steps.size() - 1, steps.getLast().withOptions(options));
                    marked.add(new Pipeline(steps, pipeline.broker()));
                }
                default -> throw new AssertionError(child);
            }
        }
        return marked;
    }

    // Results //

    /**
     * Every child's result as a JSON value, in order, waiting up to {@code timeout} in all (one deadline shared by
     * the children): a pipeline contributes its last result, a nested group the list of its results.
     *
     * @throws ResultTimeout if some child stored no result in time
     * @throws ResultFailure if a child failed
     */
    public List<Object> getResults(ResultBackend backend, Duration timeout) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, not " + timeout);
        }
        return collect(backend, System.nanoTime() + timeout.toNanos());
    }

    /** As {@link #getResults(ResultBackend, Duration)}, with the backend of this group's broker's Results. */
    public List<Object> getResults(Duration timeout) {
        return getResults(Results.backendOf(targetBroker()), timeout);
    }

    /**
     * Every child's result without waiting.
     *
     * @throws ResultMissing if some child has no result yet
     * @throws ResultFailure if a child failed
     */
    public List<Object> getResults(ResultBackend backend) {
        return collect(Objects.requireNonNull(backend, "backend"), null);
    }

    private List<Object> collect(ResultBackend backend, Long deadlineNanos) {
        List<Object> results = new ArrayList<>(children.size());
        for (Object child : children) {
            switch (child) {
                case Group group -> results.add(group.collect(backend, deadlineNanos));
                case Pipeline pipeline -> results.add(result(backend, pipeline.messages().getLast(), deadlineNanos));
                case Message message -> results.add(result(backend, message, deadlineNanos));
                default -> throw new AssertionError(child);
            }
        }
        // Not List.copyOf: a child may have returned null.
        return Collections.unmodifiableList(results);
    }

    private static Object result(ResultBackend backend, Message message, Long deadlineNanos) {
        if (deadlineNanos == null) {
            return backend.get(message).value();
        }
        Duration left = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        return backend.get(message, left).value();
    }

    /**
     * Waits up to {@code timeout} until every child has stored a result — Dramatiq's {@code wait}.
     *
     * @throws ResultTimeout if some child stored no result in time
     * @throws ResultFailure if a child failed
     */
    public void waitFor(ResultBackend backend, Duration timeout) {
        getResults(backend, timeout);
    }

    /** As {@link #waitFor(ResultBackend, Duration)}, with the backend of this group's broker's Results. */
    public void waitFor(Duration timeout) {
        getResults(timeout);
    }

    /**
     * How many children have completed, in any order, without waiting: a pipeline when its last step has a result,
     * a nested group when all of its children have. As Dramatiq, a failure is not counted but raised.
     *
     * @throws ResultFailure if a completed child failed
     */
    public int completedCount(ResultBackend backend) {
        Objects.requireNonNull(backend, "backend");
        int count = 0;
        for (Object child : children) {
            try {
                switch (child) {
                    case Group group -> group.collect(backend, null);
                    case Pipeline pipeline -> backend.get(pipeline.messages().getLast()).value();
                    case Message message -> backend.get(message).value();
                    default -> throw new AssertionError(child);
                }
                count++;
            } catch (ResultMissing missing) {
                // Not done yet; later children may be.
            }
        }
        return count;
    }

    /** As {@link #completedCount(ResultBackend)}, with the backend of this group's broker's Results. */
    public int completedCount() {
        return completedCount(Results.backendOf(targetBroker()));
    }

    /** Whether every child has completed (see {@link #completedCount}). */
    public boolean completed(ResultBackend backend) {
        return completedCount(backend) == children.size();
    }

    /** As {@link #completed(ResultBackend)}, with the backend of this group's broker's Results. */
    public boolean completed() {
        return completed(Results.backendOf(targetBroker()));
    }

    private Broker targetBroker() {
        return broker != null ? broker : GlobalBroker.get();
    }

    private Group onBroker(Broker parent) {
        if (broker != null) {
            return this;
        }
        Group copy = new Group(children, parent);
        copy.callbacks.addAll(callbacks);
        return copy;
    }

    private static Pipeline onBroker(Pipeline pipeline, Broker parent) {
        return pipeline.broker() != null ? pipeline : new Pipeline(pipeline.messages(), parent);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Group[");
        for (int i = 0; i < children.size(); i++) {
            Object child = children.get(i);
            text.append(i == 0 ? "" : ", ");
            if (child instanceof Message m) {
                text.append(m.actorName()).append(m.args());
            } else {
                text.append(child);
            }
        }
        return text.append(']').toString();
    }
}
