package dev.supaqueue.broker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes a waiting consumer early: on a NOTIFY for its queue, or when an ack frees an in-flight slot.
 * A signal that arrives while nobody waits is remembered, so it is never lost between a read and the wait.
 */
final class QueueWakeup {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;

    void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} for a signal; returns whether one came (and consumes it). */
    boolean await(long millis) throws InterruptedException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
        lock.lock();
        try {
            while (!pending && remaining > 0) {
                remaining = signalled.awaitNanos(remaining);
            }
            boolean woke = pending;
            pending = false;
            return woke;
        } finally {
            lock.unlock();
        }
    }
}
