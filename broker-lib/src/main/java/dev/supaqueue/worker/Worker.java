package dev.supaqueue.worker;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.actor.ArgumentBindingException;
import dev.supaqueue.broker.ActorNotFoundException;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.Consumer;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.Pipelines;
import dev.supaqueue.middleware.Retries;
import dev.supaqueue.middleware.Retry;
import dev.supaqueue.middleware.SkipMessage;
import dev.supaqueue.results.Results;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the actors of a broker's messages, as Dramatiq's {@code Worker}: one consumer thread per queue pulls
 * messages into one in-memory work queue, and a pool of worker threads runs them.
 *
 * <ul>
 *   <li>The work queue is ordered by actor {@linkplain Actor#priority() priority} (lower first) and then by arrival
 *       (equal priorities are first in, first out).</li>
 *   <li>Each queue's consumer has at most {@link WorkerOptions#prefetch() prefetch} messages delivered and not yet
 *       settled, so a backlog stays in the broker rather than in this worker's memory.</li>
 *   <li>A message is acknowledged after its actor returned — or raised, since without a {@code Retries} middleware an
 *       unhandled exception is acked, as in Dramatiq — and dead-lettered (nacked) if it was
 *       {@linkplain MessageProxy#fail() marked failed}: by a middleware, because its actor is unknown, or because
 *       its arguments do not bind to the actor's parameters. Delivery is at least once: a crash between the end of
 *       a task and its ack runs the task again.</li>
 *   <li>{@link #stop()} lets running tasks finish within the shutdown timeout, gives messages that have not started
 *       back to the broker at once, and leaves a task still running after the timeout to be redelivered (it is
 *       interrupted and never acknowledged).</li>
 *   <li>Middleware may {@linkplain #interrupt interrupt} a running task with a reason (a time limit, a shutdown
 *       notification); the attempt then fails with that reason, however the actor ends.</li>
 * </ul>
 *
 * <p>A worker runs once: {@link #start()}, then {@link #stop()}; create a new one to start again. Its threads are
 * not daemon threads, so a started worker keeps the JVM alive until it is stopped. The methods are thread-safe.
 */
public final class Worker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** After the shutdown deadline: how long to wait for interrupted threads and for acks that had begun. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED }

    private final Broker broker;
    private final WorkerOptions options;

    /** Serialises start and stop; never held while waiting for other threads' locks except the main lock. */
    private final Object lifecycle = new Object();

    // One lock guards the work queue, the pause flags, the running tasks and the state; every wait uses `changed`.
    // Broker methods are never called while holding it (the broker calls back into us under its own monitor).
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<WorkItem> workQueue = new PriorityQueue<>(WorkItem.ORDER);
    private final Map<Thread, Task> running = new HashMap<>();
    private final Map<String, ConsumerThread> consumers = new LinkedHashMap<>();
    private final List<Thread> workerThreads = new ArrayList<>();
    private State state = State.NEW;
    private boolean consumersPaused;
    private boolean workersPaused;
    private long arrivals;
    /** Delivered by a consumer and not yet settled, given back or abandoned. */
    private int inFlight;

    private final LongAdder processed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final Map<String, ActorCounters> actorCounters = new ConcurrentHashMap<>();
    private final Set<String> warnedAboutDroppedResults = ConcurrentHashMap.newKeySet();

    private QueueListener listener;

    public Worker(Broker broker, WorkerOptions options) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A worker with {@link WorkerOptions#defaults()}. */
    public Worker(Broker broker) {
        this(broker, WorkerOptions.defaults());
    }

    public Broker broker() {
        return broker;
    }

    public WorkerOptions options() {
        return options;
    }

    // Lifecycle //

    /**
     * Emits {@code before_worker_boot}, starts the worker threads and one consumer thread per declared queue in the
     * whitelist (and, while running, for every such queue declared later), then emits {@code after_worker_boot}.
     *
     * @throws IllegalStateException if the worker was already started
     * @throws dev.supaqueue.middleware.MiddlewareException if a {@code before_worker_boot} hook refused the start;
     *                                  the worker is then stopped
     */
    public void start() {
        synchronized (lifecycle) {
            lock.lock();
            try {
                if (state != State.NEW) {
                    throw new IllegalStateException("This worker was already started (it is " + state.name()
                            .toLowerCase() + "); a worker runs once, create a new one");
                }
                state = State.STARTING;
            } finally {
                lock.unlock();
            }
            try {
                broker.emitBefore("worker_boot", m -> m.beforeWorkerBoot(broker, this));
            } catch (RuntimeException e) {
                setState(State.STOPPED);
                throw e;
            }
            lock.lock();
            try {
                state = State.RUNNING;
                for (int i = 1; i <= options.workerThreads(); i++) {
                    Thread thread = newThread("supaqueue-worker-" + i, this::runWorkerThread);
                    workerThreads.add(thread);
                    thread.start();
                }
            } finally {
                lock.unlock();
            }
            listener = QueueListener.attach(broker, this);
            // Covers queues declared before we attached (addMiddleware replays them only for a new listener).
            for (String queue : broker.declaredQueues()) {
                queueDeclared(queue);
            }
            broker.emitAfter("worker_boot", m -> m.afterWorkerBoot(broker, this));
            log.info("Worker started: {} worker threads, prefetch {} per queue, queues {}", options.workerThreads(),
                    options.prefetch(), options.queues().isEmpty() ? "all" : options.queues());
        }
    }

    /** {@link #stop(Duration)} with the options' shutdown timeout. */
    public void stop() {
        stop(options.shutdownTimeout());
    }

    /**
     * Stops gracefully: emits {@code before_worker_shutdown}; consumers stop pulling and give the messages that have
     * not started back to the broker; running tasks may finish within {@code timeout}; a task still running then is
     * reported, its thread interrupted, and its message left to the broker's redelivery (neither acked nor lost);
     * the consumers are closed; {@code after_worker_shutdown} is emitted. Idempotent; a never started worker just
     * becomes stopped.
     *
     * <p>A consumer thread notices the stop when its current {@code next()} returns, within the consumer timeout;
     * if that is after {@code timeout}, it is interrupted.
     */
    public void stop(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        synchronized (lifecycle) {
            lock.lock();
            try {
                if (state == State.NEW || state == State.STOPPED) {
                    state = State.STOPPED;
                    return;
                }
            } finally {
                lock.unlock();
            }
            long deadline = System.nanoTime() + nanos(timeout);
            log.info("Worker stopping; running tasks have {} ms to finish", timeout.toMillis());
            try {
                broker.emitBefore("worker_shutdown", m -> m.beforeWorkerShutdown(broker, this));
            } catch (RuntimeException e) {
                log.error("A before_worker_shutdown hook failed; stopping anyway", e);
            }
            listener.detach(this);

            List<ConsumerThread> consumerThreads;
            lock.lock();
            try {
                state = State.STOPPING;
                consumerThreads = new ArrayList<>(consumers.values());
                changed.signalAll();
            } finally {
                lock.unlock();
            }

            // Consumer threads leave next() within the consumer timeout and give back what has not started.
            joinUntil(workerThreads, deadline);
            List<Thread> threads = consumerThreads.stream().map(c -> c.thread).toList();
            joinUntil(threads, deadline);
            for (ConsumerThread c : consumerThreads) {
                if (c.thread.isAlive()) {
                    c.thread.interrupt();
                }
            }
            joinUntil(threads, System.nanoTime() + STOP_GRACE_NANOS);

            abandonRunningTasks(timeout);
            // Let acks that had already begun complete before the consumers close.
            joinUntil(workerThreads, System.nanoTime() + STOP_GRACE_NANOS);
            for (ConsumerThread c : consumerThreads) {
                if (c.thread.isAlive()) {
                    log.warn("Consumer thread {} did not stop; closing its consumer anyway", c.thread.getName());
                }
                c.giveBackUnstarted();
                c.closeConsumer();
            }
            for (Thread t : workerThreads) {
                if (t.isAlive()) {
                    log.warn("Worker thread {} is still running an interrupted task after the shutdown", t.getName());
                }
            }
            setState(State.STOPPED);
            broker.emitAfter("worker_shutdown", m -> m.afterWorkerShutdown(broker, this));
            log.info("Worker stopped: {}", stats());
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Marks the tasks still running as abandoned (they will not be settled: the broker redelivers their messages)
     * and interrupts their threads. A task already settling is left to finish its ack.
     */
    private void abandonRunningTasks(Duration timeout) {
        List<Task> abandoned = new ArrayList<>();
        lock.lock();
        try {
            for (Task task : running.values()) {
                if (!task.settling) {
                    task.abandoned = true;
                    abandoned.add(task);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Task task : abandoned) {
            MessageProxy m = task.item.message();
            log.warn("Message {} of actor '{}' is still running on {} after the shutdown timeout of {} ms;"
                            + " interrupting it and leaving the message to be redelivered by the broker",
                    m.messageId(), m.actorName(), task.thread.getName(), timeout.toMillis());
            task.thread.interrupt();
        }
    }

    /** Whether the worker has started and not begun to stop. */
    public boolean isRunning() {
        lock.lock();
        try {
            return state == State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    // Pause //

    /**
     * Consumers stop pulling and worker threads take no new message; running tasks finish. Returns at once: a
     * consumer inside {@code next()} may still hand over the message it receives, which then waits in memory.
     */
    public void pause() {
        lock.lock();
        try {
            consumersPaused = true;
            workersPaused = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Worker threads take no new message while consumers keep pulling up to the prefetch, so that messages gather in
     * memory in priority order; {@link #resume()} undoes it.
     */
    public void pauseWorkerThreads() {
        lock.lock();
        try {
            workersPaused = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Undoes {@link #pause()} and {@link #pauseWorkerThreads()}. */
    public void resume() {
        lock.lock();
        try {
            consumersPaused = false;
            workersPaused = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isPaused() {
        lock.lock();
        try {
            return consumersPaused || workersPaused;
        } finally {
            lock.unlock();
        }
    }

    // Waiting //

    /**
     * Waits until no message is waiting in memory, running or being settled (for tests: join the broker's queue
     * first, then the worker). Returns at once on a stopped worker; never returns while paused with work in memory.
     */
    public void join() throws InterruptedException {
        lock.lock();
        try {
            while (isBusy()) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #join()}, giving up after {@code timeout}; returns whether the worker became idle. */
    public boolean join(Duration timeout) throws InterruptedException {
        long remaining = nanos(Objects.requireNonNull(timeout, "timeout"));
        lock.lock();
        try {
            while (isBusy()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean isBusy() {
        return state != State.STOPPED && (inFlight > 0 || !workQueue.isEmpty() || !running.isEmpty());
    }

    // Inspection //

    /** The queues this worker has a consumer thread for, in the order they started. */
    public Set<String> consumedQueues() {
        lock.lock();
        try {
            return Collections.unmodifiableSet(new LinkedHashSet<>(consumers.keySet()));
        } finally {
            lock.unlock();
        }
    }

    /** The message a worker thread of this worker is running, if any. */
    public Optional<MessageProxy> currentMessage(Thread thread) {
        lock.lock();
        try {
            Task task = running.get(thread);
            return task == null ? Optional.empty() : Optional.of(task.item.message());
        } finally {
            lock.unlock();
        }
    }

    /** The messages running now, one per busy worker thread. */
    public List<RunningMessage> runningMessages() {
        lock.lock();
        try {
            return running.values().stream()
                    .map(t -> new RunningMessage(t.thread, t.item.message(), t.startedAt))
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Interrupts the worker thread running {@code message} on behalf of a middleware (a time limit, a shutdown
     * notification), with the reason it gives. However the actor then ends — with any exception, an
     * {@link InterruptedException} or a wrapped one, or even by returning normally — the attempt fails with
     * {@code reason}: the actor's own exception, if any, becomes the reason's cause, and the reason is what
     * {@code after_process_message} sees, what the message's proxy holds and what is logged. So a {@code Retries}
     * middleware sees, say, a {@code TimeLimitExceeded}. A skipped attempt stays skipped.
     *
     * <p>The reason's stack trace becomes the worker thread's stack at the time of the interrupt, which shows where
     * the actor was. The thread's interrupt status is cleared once the actor has ended, before the after hooks and
     * the ack, so that they do not fail on it; the next message starts clean. Pass a new exception to every call.
     * An actor that ignores interrupts (a busy loop, a blocking call that does not respond to them) keeps its
     * thread until it returns.
     *
     * @return true if the message was running on this worker and the interrupt applies to its attempt; false, doing
     *         nothing, if the message is not running here, its actor has already ended, the worker gave up on it at
     *         shutdown, or it was interrupted with a reason already (the first reason wins)
     */
    public boolean interrupt(MessageProxy message, RuntimeException reason) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(reason, "reason");
        lock.lock();
        try {
            for (Task task : running.values()) {
                if (task.item.message() != message) {
                    continue;
                }
                if (task.actorEnded || task.abandoned || task.interruptReason != null) {
                    return false;
                }
                reason.setStackTrace(task.thread.getStackTrace());
                task.interruptReason = reason;
                // Under the lock, which endAttempt() takes to close the attempt: the interrupt cannot reach the after
                // hooks, the ack or a later message.
                task.thread.interrupt();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Messages in memory that no worker thread has taken yet. */
    public int waitingCount() {
        lock.lock();
        try {
            return workQueue.size();
        } finally {
            lock.unlock();
        }
    }

    public WorkerStats stats() {
        Map<String, ActorStats> actors = new HashMap<>();
        actorCounters.forEach((name, c) -> actors.put(name, c.snapshot()));
        lock.lock();
        try {
            return new WorkerStats(processed.sum(), failed.sum(), skipped.sum(), deadLettered.sum(), running.size(),
                    workQueue.size(), inFlight, actors);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Worker[" + options.workerThreads() + " threads, queues " + consumedQueues() + "]";
    }

    // Consumers //

    /** Starts a consumer thread for a newly declared (or replayed) queue if it is whitelisted and new. */
    private void queueDeclared(String queue) {
        if (!options.consumes(queue)) {
            return;
        }
        lock.lock();
        try {
            if (state != State.RUNNING || consumers.containsKey(queue)) {
                return;
            }
            ConsumerThread consumer = new ConsumerThread(queue);
            consumers.put(queue, consumer);
            consumer.thread.start();
        } finally {
            lock.unlock();
        }
    }

    /** One queue's consumer: pulls messages into the work queue; owns its {@link Consumer} (not thread-safe). */
    private final class ConsumerThread {

        final String queue;
        final Thread thread;
        /** Created on this thread; read by stop() after the thread ended (or gave up on it). */
        volatile Consumer consumer;

        ConsumerThread(String queue) {
            this.queue = queue;
            this.thread = newThread("supaqueue-consumer-" + queue, this::run);
        }

        private void run() {
            Thread me = Thread.currentThread();
            broker.emitAfter("consumer_thread_boot", m -> m.afterConsumerThreadBoot(broker, me));
            long backoff = 0;
            try {
                while (awaitConsumerTurn()) {
                    try {
                        if (consumer == null) {
                            consumer = broker.consume(queue, options.prefetch(), options.consumerTimeout());
                        }
                        Optional<MessageProxy> next = consumer.next();
                        backoff = 0;
                        next.ifPresent(m -> enqueueWork(this, m));
                    } catch (InterruptedException e) {
                        // Only stop() interrupts us; the loop condition sees the state.
                    } catch (Throwable t) {
                        // E.g. the broker's connection is lost: never let the queue go unconsumed silently.
                        backoff = backoff == 0 ? MIN_BACKOFF_NANOS : Math.min(backoff * 2, MAX_BACKOFF_NANOS);
                        log.error("Consumer of queue '{}' failed; retrying in {} ms", queue,
                                TimeUnit.NANOSECONDS.toMillis(backoff), t);
                        sleepUnlessStopping(backoff);
                    }
                }
            } finally {
                giveBackUnstarted();
                try {
                    broker.emitBefore("consumer_thread_shutdown", m -> m.beforeConsumerThreadShutdown(broker, me));
                } catch (RuntimeException e) {
                    log.error("A before_consumer_thread_shutdown hook failed", e);
                }
            }
        }

        /** Removes this queue's messages that no worker thread has taken from the work queue and requeues them. */
        void giveBackUnstarted() {
            List<MessageProxy> unstarted = new ArrayList<>();
            lock.lock();
            try {
                for (Iterator<WorkItem> it = workQueue.iterator(); it.hasNext(); ) {
                    WorkItem item = it.next();
                    if (item.source() == this) {
                        it.remove();
                        unstarted.add(item.message());
                    }
                }
            } finally {
                lock.unlock();
            }
            if (unstarted.isEmpty()) {
                return;
            }
            try {
                consumer.requeue(unstarted);
                log.info("Gave {} unstarted message(s) of queue '{}' back to the broker", unstarted.size(), queue);
            } catch (RuntimeException e) {
                log.warn("Could not give {} unstarted message(s) of queue '{}' back to the broker; it redelivers them"
                        + " later", unstarted.size(), queue, e);
            } finally {
                settledOrGivenBack(unstarted.size());
            }
        }

        /** A closed consumer gives back what it still holds, e.g. the messages of abandoned tasks. */
        void closeConsumer() {
            Consumer c = consumer;
            if (c == null) {
                return;
            }
            try {
                c.close();
            } catch (RuntimeException e) {
                log.warn("Closing the consumer of queue '{}' failed", queue, e);
            }
        }
    }

    /** Waits while consumers are paused; false once the worker stops. */
    private boolean awaitConsumerTurn() {
        lock.lock();
        try {
            while (state == State.RUNNING && consumersPaused) {
                changed.awaitUninterruptibly();
            }
            return state == State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    private void sleepUnlessStopping(long nanos) {
        lock.lock();
        try {
            long remaining = nanos;
            while (state == State.RUNNING && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            // stop() interrupts; the caller re-checks the state.
        } finally {
            lock.unlock();
        }
    }

    private void enqueueWork(ConsumerThread source, MessageProxy message) {
        // Outside the lock: findActor takes the broker's monitor. An unknown actor gets 0 and fails on a worker thread.
        int priority = broker.findActor(message.actorName()).map(Actor::priority).orElse(0);
        lock.lock();
        try {
            // Even when stopping: the consumer thread gives it back with the rest.
            workQueue.add(new WorkItem(message, source, priority, arrivals++));
            inFlight++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void settledOrGivenBack(int count) {
        lock.lock();
        try {
            inFlight -= count;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // Worker threads //

    private void runWorkerThread() {
        Thread me = Thread.currentThread();
        broker.emitAfter("worker_thread_boot", m -> m.afterWorkerThreadBoot(broker, me));
        try {
            Task task;
            while ((task = takeWork(me)) != null) {
                try {
                    process(task);
                } catch (Throwable t) {
                    // Only a hook throwing an Error gets here; the thread keeps serving.
                    log.error("Unexpected failure while processing {}", task.item.message(), t);
                } finally {
                    finish(task);
                }
            }
        } finally {
            try {
                broker.emitBefore("worker_thread_shutdown", m -> m.beforeWorkerThreadShutdown(broker, me));
            } catch (RuntimeException e) {
                log.error("A before_worker_thread_shutdown hook failed", e);
            }
        }
    }

    /** The next message by priority and arrival, waiting while there is none or while paused; null once stopping. */
    private Task takeWork(Thread me) {
        lock.lock();
        try {
            while (state == State.RUNNING && (workersPaused || workQueue.isEmpty())) {
                changed.awaitUninterruptibly();
            }
            if (state != State.RUNNING) {
                return null;
            }
            Task task = new Task(workQueue.poll(), me, Instant.now());
            running.put(me, task);
            return task;
        } finally {
            lock.unlock();
        }
    }

    private void finish(Task task) {
        lock.lock();
        try {
            running.remove(task.thread);
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        // Any interrupt was meant for this task (e.g. the shutdown's); the next task starts clean. Cleared after the
        // task left `running`, so that interrupt() cannot set it again for this task.
        Thread.interrupted();
    }

    private void process(Task task) {
        MessageProxy message = task.item.message();
        try {
            try {
                Optional<Actor<?>> actor = broker.findActor(message.actorName());
                if (actor.isEmpty()) {
                    // Dead-lettered without process hooks, as Dramatiq's consumer does: middleware would look the
                    // actor up and fail.
                    message.stuffException(new ActorNotFoundException(message.actorName()));
                    message.fail();
                    failed.increment();
                    log.error("Message {} names actor '{}', which is not declared on this broker; dead-lettering it",
                            message.messageId(), message.actorName());
                } else {
                    runActor(task, actor.get(), message);
                }
            } finally {
                // Even after an Error from a hook: an unsettled message would hold its prefetch slot for good.
                settle(task);
            }
        } finally {
            // Keep no Throwable (and what it references) alive after processing.
            message.clearException();
        }
    }

    private void runActor(Task task, Actor<?> actor, MessageProxy message) {
        ActorCounters counters = actorCounters.computeIfAbsent(actor.actorName(), n -> new ActorCounters());
        Object result = null;
        Throwable error = null;
        boolean wasSkipped = false;
        long runNanos = 0;
        try {
            broker.emitBefore("process_message", m -> m.beforeProcessMessage(broker, message));
            // A before hook may fail the message without skipping it: then the actor does not run (as Dramatiq).
            if (!message.failed()) {
                long start = System.nanoTime();
                try {
                    result = actor.perform(message.message());
                } finally {
                    runNanos = System.nanoTime() - start;
                }
            }
        } catch (SkipMessage skip) {
            wasSkipped = true;
        } catch (ArgumentBindingException e) {
            // Retrying cannot help: the same arguments will never bind. Middleware sees a failed message.
            message.fail();
            error = e;
            log.error("Message {} cannot run actor '{}': {}; dead-lettering it", message.messageId(),
                    actor.actorName(), e.getMessage());
        } catch (Throwable t) {
            error = t;
        }
        counters.runNanos.add(runNanos);
        RuntimeException reason = endAttempt(task);
        if (reason != null && !wasSkipped) {
            // A middleware interrupted the actor: whatever the actor did, the attempt fails with the reason.
            error = withCause(reason, error);
            result = null;
        }
        if (isAbandoned(task)) {
            // stop() gave up on this task and the broker redelivers the message: this attempt has no outcome (a
            // Retries middleware must not enqueue a second copy of it), and settle() leaves the message alone.
            return;
        }
        if (error != null && !(error instanceof ArgumentBindingException)) {
            logFailure(message, actor, error);
        }
        if (wasSkipped) {
            skipped.increment();
            counters.skipped.increment();
            log.warn("Message {} of actor '{}' was skipped", message.messageId(), actor.actorName());
            broker.emitAfter("skip_message", m -> m.afterSkipMessage(broker, message));
        } else if (error != null) {
            failed.increment();
            counters.failed.increment();
            message.stuffException(error);
            Throwable exception = error;
            broker.emitAfter("process_message", m -> m.afterProcessMessage(broker, message, null, exception));
        } else {
            if (message.failed()) {
                failed.increment();
                counters.failed.increment();
            } else {
                processed.increment();
                counters.processed.increment();
            }
            Object value = result;
            warnIfResultIsDropped(message, actor, value);
            broker.emitAfter("process_message", m -> m.afterProcessMessage(broker, message, value, null));
        }
    }

    /**
     * Closes the attempt to {@link #interrupt}: returns its reason, if any, and clears the thread's interrupt status,
     * which was meant for the actor (by interrupt(), or set again by an actor that caught an InterruptedException),
     * so that the after hooks and the ack — which may do I/O — do not fail on it.
     */
    private RuntimeException endAttempt(Task task) {
        lock.lock();
        try {
            task.actorEnded = true;
            RuntimeException reason = task.interruptReason;
            task.interruptReason = null;
            Thread.interrupted();
            return reason;
        } finally {
            lock.unlock();
        }
    }

    /** The interrupt's reason, with what the actor threw (an InterruptedException, often) as its cause. */
    private static RuntimeException withCause(RuntimeException reason, Throwable actorError) {
        if (actorError != null && actorError != reason) {
            try {
                reason.initCause(actorError);
            } catch (IllegalStateException causeAlreadySet) {
                reason.addSuppressed(actorError);
            }
        }
        return reason;
    }

    /**
     * A value returned with no Results middleware on the broker goes nowhere: say so once per actor, unless a
     * pipeline passes it on (Results itself warns about actors without store_results).
     */
    private void warnIfResultIsDropped(MessageProxy message, Actor<?> actor, Object value) {
        if (value == null || message.message().options().get(Pipelines.PIPE_TARGET) != null
                || !warnedAboutDroppedResults.add(actor.actorName())) {
            return;
        }
        if (broker.middleware().stream().noneMatch(Results.class::isInstance)) {
            log.warn("Actor '{}' returned a value that is not null, but the broker has no Results middleware, so"
                    + " the value is dropped; add one with broker.addMiddleware(new Results(backend)) to keep it",
                    actor.actorName());
        }
    }

    /**
     * As Dramatiq's worker: a {@link Retry} the actor asked for is no error, and an exception the message or actor
     * lists in {@code throws} is an expected outcome (logged at INFO, without the stack trace).
     */
    private void logFailure(MessageProxy message, Actor<?> actor, Throwable error) {
        if (error instanceof Retry) {
            log.debug("Message {} of actor '{}' asked to be retried: {}", message.messageId(), actor.actorName(),
                    error.getMessage());
        } else if (Retries.matchesThrows(broker, message.message(), error)) {
            log.info("Failed to process message {} with actor '{}' with expected exception {}", message.messageId(),
                    actor.actorName(), error.toString());
        } else {
            log.error("Failed to process message {} with actor '{}'", message.messageId(), actor.actorName(), error);
        }
    }

    private boolean isAbandoned(Task task) {
        lock.lock();
        try {
            return task.abandoned;
        } finally {
            lock.unlock();
        }
    }

    /** Acks, or nacks a failed message, through the consumer that delivered it, with the ack/nack hooks. */
    private void settle(Task task) {
        MessageProxy message = task.item.message();
        lock.lock();
        try {
            if (!task.abandoned) {
                task.settling = true;
            }
        } finally {
            lock.unlock();
        }
        if (!task.settling) {
            // Not acknowledged (the worker gave up on it), but visible again at once rather than after the
            // visibility timeout, now that nothing of this worker runs it any more.
            log.warn("Message {} of actor '{}' ended after the worker gave up on it at shutdown; giving it back"
                    + " instead of acknowledging it", message.messageId(), message.actorName());
            try {
                task.item.source().consumer.requeue(List.of(message));
            } catch (RuntimeException e) {
                log.warn("Could not give message {} back; the broker redelivers it after the visibility timeout",
                        message.messageId(), e);
            }
            return;
        }
        Consumer consumer = task.item.source().consumer;
        boolean nack = message.failed();
        String hook = nack ? "nack" : "ack";
        try {
            broker.emitBefore(hook, m -> {
                if (nack) {
                    m.beforeNack(broker, message);
                } else {
                    m.beforeAck(broker, message);
                }
            });
        } catch (RuntimeException e) {
            // Settle anyway: an unsettled message would hold a prefetch slot (and its visibility) for good.
            log.error("A before_{} hook failed for message {}; settling it anyway", hook, message.messageId(), e);
        }
        try {
            if (nack) {
                consumer.nack(message);
                deadLettered.increment();
            } else {
                consumer.ack(message);
            }
        } catch (RuntimeException e) {
            log.error("Could not {} message {} of actor '{}'; the broker will redeliver it", hook,
                    message.messageId(), message.actorName(), e);
            return;
        }
        broker.emitAfter(hook, m -> {
            if (nack) {
                m.afterNack(broker, message);
            } else {
                m.afterAck(broker, message);
            }
        });
    }

    // Plumbing //

    private void setState(State newState) {
        lock.lock();
        try {
            state = newState;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static Thread newThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(false);
        thread.setUncaughtExceptionHandler((t, e) -> log.error("Thread {} died", t.getName(), e));
        return thread;
    }

    private static void joinUntil(List<Thread> threads, long deadlineNanos) {
        for (Thread thread : threads) {
            if (thread == Thread.currentThread()) {
                continue; // stop() called from a task or hook on a worker thread
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            try {
                thread.join(Duration.ofNanos(remaining));
            } catch (InterruptedException e) {
                // Keep stopping; the caller's interrupt status is restored for it to act on afterwards.
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** A message in memory, ordered by (priority, arrival) as Dramatiq 2.2's work queue. */
    private record WorkItem(MessageProxy message, ConsumerThread source, int priority, long arrival) {

        static final Comparator<WorkItem> ORDER =
                Comparator.comparingInt(WorkItem::priority).thenComparingLong(WorkItem::arrival);
    }

    /** A message running on a worker thread; the flags are guarded by the worker's lock. */
    private static final class Task {

        final WorkItem item;
        final Thread thread;
        final Instant startedAt;
        boolean settling;
        boolean abandoned;
        /** The actor has ended: {@link #interrupt} no longer applies. */
        boolean actorEnded;
        /** Set by {@link #interrupt}; the attempt fails with it. Dropped when the actor ends. */
        RuntimeException interruptReason;

        Task(WorkItem item, Thread thread, Instant startedAt) {
            this.item = item;
            this.thread = thread;
            this.startedAt = startedAt;
        }
    }

    private static final class ActorCounters {

        final LongAdder processed = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder runNanos = new LongAdder();

        ActorStats snapshot() {
            return new ActorStats(processed.sum(), failed.sum(), skipped.sum(), Duration.ofNanos(runNanos.sum()));
        }
    }

    /**
     * Starts consumers for queues declared while workers run. One per broker, shared by its workers: the broker
     * cannot remove middleware, so a stopped worker only leaves this listener's set, and is not kept alive by it.
     */
    static final class QueueListener implements Middleware {

        private final Set<Worker> workers = new CopyOnWriteArraySet<>();

        static QueueListener attach(Broker broker, Worker worker) {
            synchronized (QueueListener.class) {
                for (Middleware m : broker.middleware()) {
                    if (m instanceof QueueListener existing) {
                        existing.workers.add(worker);
                        return existing;
                    }
                }
                QueueListener created = new QueueListener();
                created.workers.add(worker);
                // Replays after_declare_queue for the queues declared so far.
                broker.addMiddleware(created);
                return created;
            }
        }

        void detach(Worker worker) {
            workers.remove(worker);
        }

        @Override
        public void afterDeclareQueue(Broker broker, String queueName) {
            for (Worker worker : workers) {
                worker.queueDeclared(queueName);
            }
        }
    }
}
