package dev.supaqueue.broker;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageDecodeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory state of one {@link StubBroker} queue: pending messages (ready and delayed, in delivery order),
 * deliveries not yet settled, and dead letters. Every change happens under one lock and signals one condition,
 * on which consumers ({@link #take}) and joiners ({@link #join}) wait.
 */
final class StubQueue {

    private static final Logger log = LoggerFactory.getLogger(StubQueue.class);

    /** A delivered message, not yet acked, nacked or requeued, and the consumer that holds it. */
    private record Outstanding(StubEntry entry, StubConsumer owner) {
    }

    /** What {@link #take} hands to a consumer. */
    record Delivery(long deliveryId, byte[] body, int deliveryCount) {
    }

    final String name;
    private final LongSupplier clock;
    private final LongSupplier deliveryIds;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final NavigableSet<StubEntry> pending = new TreeSet<>(StubEntry.ORDER);
    private final Map<Long, Outstanding> outstanding = new HashMap<>();
    private final List<StubDeadLetter> deadLetters = new ArrayList<>();
    private long nextSequence;
    /** Dead letters at lower indexes came before the last flush, so join's fail-fast ignores them. */
    private int failFastFrom;

    /**
     * @param clock       nanoseconds, monotonic
     * @param deliveryIds unique delivery ids (shared by all queues of the broker)
     */
    StubQueue(String name, LongSupplier clock, LongSupplier deliveryIds) {
        this.name = name;
        this.clock = clock;
        this.deliveryIds = deliveryIds;
    }

    /** Stores a message's encoded body, visible after {@code delayNanos}. */
    void put(byte[] body, long delayNanos) {
        lock.lock();
        try {
            pending.add(new StubEntry(nextSequence++, body, saturatedAdd(clock.getAsLong(), delayNanos)));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next visible message for a consumer, waiting up to {@code timeoutNanos} for one to be visible and for
     * the consumer to have a free prefetch slot; null on timeout or once the consumer is closed.
     */
    Delivery take(StubConsumer consumer, long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long deadline = saturatedAdd(clock.getAsLong(), timeoutNanos);
            while (!consumer.closed) {
                long now = clock.getAsLong();
                long wait = deadline - now;
                if (consumer.outstanding < consumer.prefetch && !pending.isEmpty()) {
                    StubEntry head = pending.first();
                    if (head.visibleAt <= now) {
                        pending.pollFirst();
                        head.deliveryCount++;
                        long id = deliveryIds.getAsLong();
                        outstanding.put(id, new Outstanding(head, consumer));
                        consumer.outstanding++;
                        return new Delivery(id, head.body, head.deliveryCount);
                    }
                    // Wake up when the earliest delayed message becomes visible, not only on a signal.
                    wait = Math.min(wait, head.visibleAt - now);
                }
                if (deadline - now <= 0) {
                    return null;
                }
                changed.awaitNanos(wait);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    void ack(StubConsumer consumer, MessageProxy proxy) {
        lock.lock();
        try {
            if (release(consumer, proxy, "ack") != null) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void nack(StubConsumer consumer, MessageProxy proxy) {
        lock.lock();
        try {
            if (release(consumer, proxy, "nack") != null) {
                // The proxy's message, not the stored body: it carries the options middleware added (retries, traceback).
                deadLetters.add(new StubDeadLetter(proxy.message(), proxy.exception()));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves a delivery whose body the encoder cannot decode to the dead letters, as the pgmq broker does: it is
     * never redelivered, and a fail-fast join rethrows the decode error.
     */
    void deadLetterUndecodable(StubConsumer consumer, long deliveryId, MessageDecodeException error) {
        lock.lock();
        try {
            Outstanding o = outstanding.remove(deliveryId);
            if (o != null && o.owner() == consumer) {
                consumer.outstanding--;
                deadLetters.add(new StubDeadLetter(null, error));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void requeue(StubConsumer consumer, Collection<MessageProxy> proxies) {
        lock.lock();
        try {
            for (MessageProxy proxy : proxies) {
                Outstanding released = release(consumer, proxy, "requeue");
                if (released != null) {
                    pending.add(released.entry());
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the consumer closed and gives its outstanding messages back to the queue. */
    void close(StubConsumer consumer) {
        lock.lock();
        try {
            consumer.closed = true;
            for (Iterator<Outstanding> it = outstanding.values().iterator(); it.hasNext(); ) {
                Outstanding o = it.next();
                if (o.owner() == consumer) {
                    it.remove();
                    pending.add(o.entry());
                }
            }
            consumer.outstanding = 0;
            // Also wakes a take() of this consumer blocked on another thread.
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a delivery: null if it is not outstanding (already settled, requeued, or flushed), which is not an
     * error because a worker may settle a message after a flush or a close gave it up.
     *
     * @throws IllegalArgumentException if another consumer delivered it
     */
    private Outstanding release(StubConsumer consumer, MessageProxy proxy, String action) {
        Objects.requireNonNull(proxy, "message");
        Outstanding o = outstanding.get(proxy.deliveryId());
        if (o == null) {
            log.debug("Ignoring {} of {} on queue '{}': the delivery is no longer outstanding", action, proxy, name);
            return null;
        }
        if (o.owner() != consumer) {
            throw new IllegalArgumentException("Cannot " + action + " " + proxy + ": it was delivered by another"
                    + " consumer of queue '" + name + "'; settle a message through the consumer that delivered it");
        }
        outstanding.remove(proxy.deliveryId());
        consumer.outstanding--;
        return o;
    }

    /**
     * Waits until nothing is ready, delayed or outstanding. With {@code failFast}, then rethrows the exception of
     * the first message dead-lettered with one since the last flush (Dramatiq's order: drain first, then raise).
     *
     * @param timeout null to wait for ever
     */
    void join(Duration timeout, boolean failFast) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long remaining = timeout == null ? Long.MAX_VALUE : toNanos(timeout);
            while (!pending.isEmpty() || !outstanding.isEmpty()) {
                if (timeout == null) {
                    changed.await();
                    continue;
                }
                if (remaining <= 0) {
                    QueueJoinTimeoutException e = new QueueJoinTimeoutException(name, timeout);
                    StubDeadLetter failure = failFast ? firstFailure() : null;
                    if (failure != null) {
                        // The failure usually explains why the queue did not drain.
                        e.addSuppressed(failure.exception());
                    }
                    throw e;
                }
                remaining = changed.awaitNanos(remaining);
            }
            StubDeadLetter failure = failFast ? firstFailure() : null;
            if (failure != null) {
                rethrow(failure);
            }
        } finally {
            lock.unlock();
        }
    }

    private StubDeadLetter firstFailure() {
        for (int i = failFastFrom; i < deadLetters.size(); i++) {
            if (deadLetters.get(i).exception() != null) {
                return deadLetters.get(i);
            }
        }
        return null;
    }

    /** Throws the exception as it is if unchecked, else wrapped in a {@link BrokerException}. */
    private void rethrow(StubDeadLetter failure) {
        Throwable e = failure.exception();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error error) {
            throw error;
        }
        Message m = failure.message();
        throw new BrokerException("Message " + m.messageId() + " of actor '" + m.actorName() + "' on queue '"
                + name + "' was dead-lettered with " + e, e);
    }

    /** Drops ready, delayed and outstanding messages (as pgmq's purge); keeps the dead letters. */
    void flush() {
        lock.lock();
        try {
            pending.clear();
            // The consumers keep working: their prefetch slots are freed, and settling a dropped delivery is ignored.
            for (Outstanding o : outstanding.values()) {
                o.owner().outstanding--;
            }
            outstanding.clear();
            failFastFrom = deadLetters.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@link #flush()} and drops the dead letters too. */
    void flushAll() {
        lock.lock();
        try {
            flush();
            deadLetters.clear();
            failFastFrom = 0;
        } finally {
            lock.unlock();
        }
    }

    List<Message> deadLetters() {
        lock.lock();
        try {
            // Undecodable bodies have no message to show; join(failFast) reports them.
            return deadLetters.stream().map(StubDeadLetter::message).filter(Objects::nonNull).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Ready and delayed messages. */
    int size() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Nanoseconds, saturated at {@link Long#MAX_VALUE} for durations too long to count in nanoseconds. */
    static long toNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow only when both have the same sign and the sum's differs.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    @Override
    public String toString() {
        return "StubQueue[" + name + "]";
    }
}
