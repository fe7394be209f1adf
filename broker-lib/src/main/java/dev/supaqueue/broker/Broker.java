package dev.supaqueue.broker;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.DefaultMiddleware;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.MiddlewareException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where messages are sent to and consumed from, with the actors and queues declared on it and the
 * middleware that hooks into both — Dramatiq's broker.
 *
 * <p>Subclasses store the messages ({@link StubBroker} in memory, {@code SupabaseBroker} in pgmq). This class
 * keeps the registry and dispatches middleware hooks in Dramatiq's order: {@code before*} hooks in list order,
 * {@code after*} hooks in reverse.
 */
public abstract class Broker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final List<Middleware> middleware = new CopyOnWriteArrayList<>();
    /** The middleware in after-hook order, rebuilt when one is added: after hooks run for every message. */
    private volatile Middleware[] middlewareReversed = new Middleware[0];
    private final Map<String, Actor<?>> actors = new LinkedHashMap<>();
    private final Set<String> queues = new LinkedHashSet<>();
    private final Set<String> actorOptions = new LinkedHashSet<>();
    /** Serialises declarations (and their hooks) without holding the registry's monitor while hooks run. */
    private final Object declarationLock = new Object();

    /**
     * @param middleware the middleware, in order, replacing the defaults; {@code null} for new instances of
     *                   {@link DefaultMiddleware#create() the defaults} and an empty list for none, as Dramatiq's
     *                   {@code middleware=None} and {@code middleware=[]}
     */
    @SuppressWarnings("this-escape") // addMiddleware is final and only touches fields initialised above
    protected Broker(List<? extends Middleware> middleware) {
        for (Middleware m : middleware == null ? DefaultMiddleware.create() : middleware) {
            addMiddleware(m);
        }
    }

    // Middleware //

    /** The middleware, in hook order (unmodifiable snapshot). */
    public final List<Middleware> middleware() {
        return List.copyOf(middleware);
    }

    /** Appends a middleware. */
    public final void addMiddleware(Middleware m) {
        insertMiddleware(m, middleware.size());
    }

    /** Inserts a middleware just before the first one of the given class. */
    public final void addMiddlewareBefore(Middleware m, Class<? extends Middleware> reference) {
        insertMiddleware(m, indexOf(reference));
    }

    /** Inserts a middleware just after the first one of the given class. */
    public final void addMiddlewareAfter(Middleware m, Class<? extends Middleware> reference) {
        insertMiddleware(m, indexOf(reference) + 1);
    }

    private int indexOf(Class<? extends Middleware> reference) {
        Objects.requireNonNull(reference, "reference");
        for (int i = 0; i < middleware.size(); i++) {
            if (reference.isInstance(middleware.get(i))) {
                return i;
            }
        }
        throw new IllegalArgumentException("No middleware of type " + reference.getName() + " on this broker");
    }

    private void insertMiddleware(Middleware m, int index) {
        Objects.requireNonNull(m, "middleware");
        List<Actor<?>> declaredActors;
        List<String> declaredQueues;
        synchronized (declarationLock) {
            synchronized (this) {
                if (middleware.stream().anyMatch(existing -> existing.getClass() == m.getClass())) {
                    log.warn("Middleware {} is already on the broker; adding a second one", m.getClass().getName());
                }
                middleware.add(index, m);
                List<Middleware> reversed = new ArrayList<>(middleware);
                Collections.reverse(reversed);
                middlewareReversed = reversed.toArray(new Middleware[0]);
                actorOptions.addAll(m.actorOptions());
                declaredActors = List.copyOf(actors.values());
                declaredQueues = List.copyOf(queues);
            }
            // Late middleware sees what was declared before it, as if it had been there from the start. The
            // registry's monitor is not held, so a hook may call back into the broker from any thread.
            for (Actor<?> actor : declaredActors) {
                callSafely("declare_actor", m, x -> x.afterDeclareActor(this, actor));
            }
            for (String queue : declaredQueues) {
                callSafely("declare_queue", m, x -> x.afterDeclareQueue(this, queue));
            }
        }
    }

    /** The actor options that the middleware on this broker understand. */
    public final synchronized Set<String> actorOptions() {
        return Set.copyOf(actorOptions);
    }

    /** What a hook does with one middleware. */
    @FunctionalInterface
    public interface Hook {
        void call(Middleware middleware);
    }

    /**
     * Calls a {@code before*} hook on every middleware in list order. A {@link MiddlewareException} stops the
     * dispatch and propagates; any other exception is logged and the next middleware is called.
     */
    public final void emitBefore(String hookName, Hook hook) {
        for (Middleware m : middleware) {
            try {
                hook.call(m);
            } catch (MiddlewareException e) {
                throw e;
            } catch (RuntimeException e) {
                log.error("Middleware {} failed in before_{}; ignoring it", m.getClass().getName(), hookName, e);
            }
        }
    }

    /** Calls an {@code after*} hook on every middleware in reverse order; every exception is logged and swallowed. */
    public final void emitAfter(String hookName, Hook hook) {
        for (Middleware m : middlewareReversed) {
            callSafely(hookName, m, hook);
        }
    }

    /** Calls an {@code after_<hookName>} hook, logging and swallowing what it throws. */
    private void callSafely(String hookName, Middleware m, Hook hook) {
        try {
            hook.call(m);
        } catch (RuntimeException e) {
            log.error("Middleware {} failed in after_{}; ignoring it", m.getClass().getName(), hookName, e);
        }
    }

    // Actors and queues //

    /**
     * Declares an actor and its queue.
     *
     * @throws IllegalArgumentException if another actor has the same name, or the actor uses an option that no
     *                                  middleware on this broker understands
     */
    public final void declareActor(Actor<?> actor) {
        synchronized (declarationLock) {
            checkDeclarable(actor);
            declareActorLocked(actor);
        }
    }

    /**
     * Checks, without declaring anything, that {@link #declareActor} would accept this actor now: a valid queue
     * name, a name not yet taken, and only options that the middleware understand. Lets callers that declare
     * several actors refuse all of them before declaring any.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public final void checkDeclarable(Actor<?> actor) {
        Objects.requireNonNull(actor, "actor");
        QueueNames.validateQueueName(actor.queueName());
        synchronized (this) {
            if (actors.containsKey(actor.actorName())) {
                throw new IllegalArgumentException("An actor named '" + actor.actorName() + "' is already registered.");
            }
            Set<String> unknown = new LinkedHashSet<>(actor.options().keySet());
            unknown.removeAll(actorOptions);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("Actor '" + actor.actorName() + "' uses options " + unknown
                        + " that no middleware on this broker understands; is a middleware missing? Known options: "
                        + actorOptions);
            }
        }
    }

    private void declareActorLocked(Actor<?> actor) {
        emitBefore("declare_actor", m -> m.beforeDeclareActor(this, actor));
        declareQueue(actor.queueName());
        synchronized (this) {
            if (actors.putIfAbsent(actor.actorName(), actor) != null) {
                throw new IllegalArgumentException("An actor named '" + actor.actorName() + "' is already registered.");
            }
        }
        emitAfter("declare_actor", m -> m.afterDeclareActor(this, actor));
    }

    /** Declares a queue (idempotent): validates its name and creates whatever the broker stores it in. */
    public final void declareQueue(String queueName) {
        String name = QueueNames.validateQueueName(queueName);
        synchronized (declarationLock) {
            if (isDeclared(name)) {
                return;
            }
            emitBefore("declare_queue", m -> m.beforeDeclareQueue(this, name));
            createQueue(name);
            synchronized (this) {
                queues.add(name);
            }
            emitAfter("declare_queue", m -> m.afterDeclareQueue(this, name));
        }
    }

    /** The names of the declared queues, in declaration order. */
    public final synchronized Set<String> declaredQueues() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(queues));
    }

    public final synchronized boolean isDeclared(String queueName) {
        return queues.contains(queueName);
    }

    /** The declared actor with this name. */
    public final synchronized Optional<Actor<?>> findActor(String actorName) {
        return Optional.ofNullable(actors.get(actorName));
    }

    /** @throws ActorNotFoundException if no actor of this name is declared */
    public final Actor<?> getActor(String actorName) {
        return findActor(actorName).orElseThrow(() -> new ActorNotFoundException(actorName));
    }

    /** The declared actors by name (unmodifiable snapshot). */
    public final synchronized Map<String, Actor<?>> actors() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(actors));
    }

    // Messages //

    /** Enqueues a message to run as soon as possible; returns the message as enqueued. */
    public final Message enqueue(Message message) {
        return enqueue(message, Duration.ZERO);
    }

    /**
     * Enqueues a message to run after a delay (null or zero for none); returns the message as enqueued, which
     * may be a copy carrying broker options.
     *
     * @throws QueueNotFoundException if the broker requires declared queues and this one is not
     * @throws IllegalArgumentException if the delay is negative
     */
    public final Message enqueue(Message message, Duration delay) {
        Objects.requireNonNull(message, "message");
        Duration effectiveDelay = delay == null ? Duration.ZERO : delay;
        if (effectiveDelay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + effectiveDelay);
        }
        String queue = QueueNames.canonicalQueueName(message.queueName());
        // Python producers may address "<queue>.DQ"; hooks and storage see the canonical queue.
        Message canonical = queue.equals(message.queueName()) ? message : message.withQueueName(queue);
        prepareQueueForEnqueue(queue);
        emitBefore("enqueue", m -> m.beforeEnqueue(this, canonical, effectiveDelay));
        Message enqueued = store(canonical, effectiveDelay);
        emitAfter("enqueue", m -> m.afterEnqueue(this, enqueued, effectiveDelay));
        return enqueued;
    }

    /**
     * Enqueues several messages at once, each delayed by {@code delay} (null or zero for none); returns them as
     * enqueued, in order. Hooks run for every message as with {@link #enqueue(Message, Duration)}, all
     * {@code before_enqueue} hooks first: if one refuses a message, none is stored. A {@link SupabaseBroker} stores
     * the whole batch in one transaction with {@code pgmq.send_batch}, a few statements for thousands of messages;
     * other brokers store them one by one.
     *
     * @throws QueueNotFoundException if the broker requires declared queues and one is not
     * @throws IllegalArgumentException if the delay is negative
     */
    public final List<Message> enqueueAll(Collection<Message> messages, Duration delay) {
        Objects.requireNonNull(messages, "messages");
        Duration effectiveDelay = delay == null ? Duration.ZERO : delay;
        if (effectiveDelay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + effectiveDelay);
        }
        List<Message> canonical = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Objects.requireNonNull(message, "messages must not contain null");
            String queue = QueueNames.canonicalQueueName(message.queueName());
            canonical.add(queue.equals(message.queueName()) ? message : message.withQueueName(queue));
        }
        if (canonical.isEmpty()) {
            return List.of();
        }
        for (String queue : new LinkedHashSet<>(canonical.stream().map(Message::queueName).toList())) {
            prepareQueueForEnqueue(queue);
        }
        for (Message message : canonical) {
            emitBefore("enqueue", m -> m.beforeEnqueue(this, message, effectiveDelay));
        }
        List<Message> enqueued = storeAll(List.copyOf(canonical), effectiveDelay);
        for (Message message : enqueued) {
            emitAfter("enqueue", m -> m.afterEnqueue(this, message, effectiveDelay));
        }
        return enqueued;
    }

    /** {@link #enqueueAll(Collection, Duration)} without delay. */
    public final List<Message> enqueueAll(Collection<Message> messages) {
        return enqueueAll(messages, Duration.ZERO);
    }

    /**
     * Called before a message is enqueued on a queue. By default the queue must have been declared (as with
     * Dramatiq's brokers); a broker whose store may hold queues declared by other processes can declare it instead.
     */
    protected void prepareQueueForEnqueue(String queueName) {
        if (!isDeclared(queueName)) {
            throw new QueueNotFoundException(queueName);
        }
    }

    /** Creates the storage of a newly declared queue (and its dead-letter queue). Must be idempotent. */
    protected abstract void createQueue(String queueName);

    /** Stores a message in its queue, hidden for {@code delay}; returns the message as stored. */
    protected abstract Message store(Message message, Duration delay);

    /**
     * Stores several messages, each hidden for {@code delay}; returns them as stored, in order. By default one
     * {@link #store} each; brokers that can store a batch in one go override this.
     */
    protected List<Message> storeAll(List<Message> messages, Duration delay) {
        List<Message> stored = new ArrayList<>(messages.size());
        for (Message message : messages) {
            stored.add(store(message, delay));
        }
        return stored;
    }

    /**
     * Starts consuming a declared queue.
     *
     * @param prefetch the most messages delivered and not yet acked, nacked or requeued at once (at least 1)
     * @param timeout  how long {@link Consumer#next()} waits before it returns empty
     * @throws QueueNotFoundException if the queue is not declared
     */
    public abstract Consumer consume(String queueName, int prefetch, Duration timeout);

    /** Removes every message of a queue (and its delayed messages), not its dead letters. */
    public abstract void flush(String queueName);

    /** Removes every message of every declared queue, and the dead letters. */
    public abstract void flushAll();

    /**
     * Waits until a queue has no messages left — ready, delayed or being processed.
     *
     * @throws QueueJoinTimeoutException if it still has some after {@code timeout}
     */
    public abstract void join(String queueName, Duration timeout) throws InterruptedException;

    /** Releases what the broker holds (connections, threads). The default holds nothing. */
    @Override
    public void close() {
    }
}
