package dev.supaqueue.middleware;

import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.worker.Worker;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interrupts actors that run longer than {@code time_limit} milliseconds, as Dramatiq's {@code TimeLimit}: the
 * attempt fails with {@link TimeLimitExceeded} (see {@link Worker#interrupt}), an ordinary failure that
 * {@code Retries} may retry.
 *
 * <p>{@code time_limit} is looked up in the message, then the actor, then this middleware, where 0 (like an absent
 * value) falls through to the next level, as Python's {@code or} does. One daemon thread, running while a worker
 * of the broker runs, checks the deadlines every {@code interval}, so a limit is enforced within one interval.
 *
 * <p>Java cannot stop a thread: an actor that ignores interrupts (a busy loop, a blocking call that does not respond
 * to them) runs on. One interval after the interrupt it is reported at ERROR again and counted in
 * {@link #overdueTasks()}, so that a worker thread kept busy for good is never lost silently.
 */
public final class TimeLimit implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(TimeLimit.class);

    public static final long DEFAULT_TIME_LIMIT_MS = 600_000;
    public static final long DEFAULT_INTERVAL_MS = 1000;

    private final long timeLimitMs;
    private final long intervalMs;
    /** The attempt running on each worker thread; a thread runs one at a time. */
    private final Map<Thread, Deadline> deadlines = new ConcurrentHashMap<>();
    /** The workers to interrupt through: a broker's middleware serves all its workers. */
    private final Set<Worker> workers = new CopyOnWriteArraySet<>();
    private final LongAdder overdue = new LongAdder();
    /** Guarded by {@code this}; runs while at least one worker does. */
    private ScheduledExecutorService timer;

    /** A limit of 10 minutes, checked every second. */
    public TimeLimit() {
        this(DEFAULT_TIME_LIMIT_MS, DEFAULT_INTERVAL_MS);
    }

    /**
     * @param timeLimitMs the limit of messages and actors that set none, in ms
     * @param intervalMs  how often deadlines are checked, in ms; also the grace given to an interrupted task before
     *                    it is reported as overdue
     */
    public TimeLimit(long timeLimitMs, long intervalMs) {
        if (timeLimitMs <= 0) {
            throw new IllegalArgumentException("timeLimitMs must be positive: " + timeLimitMs);
        }
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("intervalMs must be positive: " + intervalMs);
        }
        this.timeLimitMs = timeLimitMs;
        this.intervalMs = intervalMs;
    }

    public long timeLimitMs() {
        return timeLimitMs;
    }

    public long intervalMs() {
        return intervalMs;
    }

    /** How many tasks have been reported still running after their time limit and interrupt, since creation. */
    public long overdueTasks() {
        return overdue.sum();
    }

    /** How many tasks reported overdue still hold their worker thread. */
    public int stuckTasks() {
        return (int) deadlines.values().stream().filter(d -> d.reported).count();
    }

    /** The attempts being watched now (for tests: none once processing is over). */
    int trackedTasks() {
        return deadlines.size();
    }

    /** Whether the checking thread runs (for tests). */
    synchronized boolean timerRunning() {
        return timer != null;
    }

    @Override
    public Set<String> actorOptions() {
        return Set.of(ActorOptions.TIME_LIMIT);
    }

    @Override
    public void beforeProcessMessage(Broker broker, MessageProxy message) {
        long limitMs;
        try {
            limitMs = MessageOptions.asLong(
                    MessageOptions.firstTruthy(broker, message.message(), ActorOptions.TIME_LIMIT),
                    ActorOptions.TIME_LIMIT).orElse(timeLimitMs);
        } catch (IllegalArgumentException notANumber) {
            // A malformed option must not lift the limit altogether.
            log.warn("Message {}: {}; applying the default time limit of {} ms", message.messageId(),
                    notANumber.getMessage(), timeLimitMs);
            limitMs = timeLimitMs;
        }
        // Replaces what an abandoned attempt may have left on this thread.
        deadlines.put(Thread.currentThread(), new Deadline(message, limitMs, System.nanoTime()));
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
        forget(message);
    }

    @Override
    public void afterSkipMessage(Broker broker, MessageProxy message) {
        forget(message);
    }

    @Override
    public void afterWorkerBoot(Broker broker, Worker worker) {
        workers.add(worker);
        synchronized (this) {
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "supaqueue-time-limit");
                    t.setDaemon(true);
                    return t;
                });
                timer.scheduleWithFixedDelay(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void afterWorkerShutdown(Broker broker, Worker worker) {
        workers.remove(worker);
        synchronized (this) {
            if (workers.isEmpty() && timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
        pruneEndedThreads();
    }

    private void forget(MessageProxy message) {
        // By message, not thread, in case a caller emits the after hooks from another thread.
        deadlines.values().removeIf(d -> d.message == message);
    }

    private void pruneEndedThreads() {
        // Attempts the worker gave up on at shutdown get no after hook; their threads end soon after.
        deadlines.keySet().removeIf(thread -> !thread.isAlive());
    }

    private void tick() {
        try {
            check(System.nanoTime());
        } catch (Throwable t) {
            // A periodic task that throws is never run again: the limits would stop being enforced.
            log.error("Checking time limits failed", t);
        }
    }

    void check(long now) {
        pruneEndedThreads();
        for (Map.Entry<Thread, Deadline> entry : deadlines.entrySet()) {
            Thread thread = entry.getKey();
            Deadline d = entry.getValue();
            MessageProxy m = d.message;
            if (!d.interrupted) {
                if (now - d.startedAt >= d.limitNanos() && interrupt(d)) {
                    d.interrupted = true;
                    d.interruptedAt = now;
                    log.error("Message {} of actor '{}' exceeded its time limit of {} ms on {}; interrupting it",
                            m.messageId(), m.actorName(), d.limitMs, thread.getName());
                }
            } else if (!d.reported && now - d.interruptedAt >= TimeUnit.MILLISECONDS.toNanos(intervalMs)) {
                d.reported = true;
                overdue.increment();
                log.error("Message {} of actor '{}' is still running after its time limit of {} ms and an interrupt;"
                        + " it ignores interrupts, so its worker thread {} stays busy until it returns",
                        m.messageId(), m.actorName(), d.limitMs, thread.getName());
            }
        }
    }

    /** Through the worker running it; false while none does (its actor ended, or its worker is not booted yet). */
    private boolean interrupt(Deadline d) {
        TimeLimitExceeded reason = new TimeLimitExceeded("Time limit of " + d.limitMs + " ms exceeded");
        for (Worker worker : workers) {
            if (worker.interrupt(d.message, reason)) {
                return true;
            }
        }
        return false;
    }

    /** One attempt's deadline; the mutable fields are only written by the timer thread. */
    private static final class Deadline {

        final MessageProxy message;
        final long limitMs;
        final long startedAt;
        volatile boolean interrupted;
        volatile long interruptedAt;
        volatile boolean reported;

        Deadline(MessageProxy message, long limitMs, long startedAt) {
            this.message = message;
            this.limitMs = limitMs;
            this.startedAt = startedAt;
        }

        long limitNanos() {
            // Saturates for huge limits; comparing elapsed times avoids overflow.
            return TimeUnit.MILLISECONDS.toNanos(limitMs);
        }
    }
}
