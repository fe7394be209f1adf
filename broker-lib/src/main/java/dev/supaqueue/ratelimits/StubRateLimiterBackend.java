package dev.supaqueue.ratelimits;

import dev.supaqueue.SupaqueueException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory backend: thread-safe, shared only within this JVM. For tests (with an injectable {@link Clock}
 * that decides when leases, windows, buckets and barriers expire) and for single-process use.
 *
 * <p>Waiting in {@link #awaitBarrier} uses real time for its timeout; the clock only decides expiry.
 */
public final class StubRateLimiterBackend implements RateLimiterBackend {

    private record Barrier(long remaining, Instant expiresAt) {
    }

    private record Bucket(long index, int hits) {
    }

    private final Clock clock;
    // One lock for everything: the stub favours obvious correctness over throughput.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition barrierChanged = lock.newCondition();
    private final Map<String, Map<String, Instant>> leases = new HashMap<>();
    private final Map<String, Deque<Instant>> windows = new HashMap<>();
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final Map<String, Barrier> barriers = new HashMap<>();

    public StubRateLimiterBackend() {
        this(Clock.systemUTC());
    }

    public StubRateLimiterBackend(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean acquireLease(String key, int limit, String holder, Duration ttl) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Map<String, Instant> held = leases.computeIfAbsent(key, k -> new HashMap<>());
            held.values().removeIf(expiresAt -> !expiresAt.isAfter(now));
            if (held.size() >= limit) {
                return false;
            }
            held.put(holder, now.plus(ttl));
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void releaseLease(String key, String holder) {
        lock.lock();
        try {
            Map<String, Instant> held = leases.get(key);
            if (held != null) {
                held.remove(holder);
                if (held.isEmpty()) {
                    leases.remove(key);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hitWindow(String key, int limit, Duration window) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Deque<Instant> hits = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
            Instant start = now.minus(window);
            while (!hits.isEmpty() && !hits.peekFirst().isAfter(start)) {
                hits.removeFirst();
            }
            if (hits.size() >= limit) {
                return false;
            }
            hits.addLast(now);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hitBucket(String key, int limit, Duration bucket) {
        lock.lock();
        try {
            long index = Math.floorDiv(clock.millis(), bucket.toMillis());
            Bucket current = buckets.get(key);
            int hits = current == null || current.index() != index ? 0 : current.hits();
            if (hits >= limit) {
                return false;
            }
            buckets.put(key, new Bucket(index, hits + 1));
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean createBarrier(String key, int parties, Duration ttl) {
        lock.lock();
        try {
            if (live(key) != null) {
                return false;
            }
            barriers.put(key, new Barrier(parties, clock.instant().plus(ttl)));
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long arriveAtBarrier(String key) {
        lock.lock();
        try {
            Barrier barrier = live(key);
            if (barrier == null) {
                throw new SupaqueueException("No barrier '" + key + "': it was never created or has expired");
            }
            if (barrier.remaining() == 0) {
                return -1;
            }
            long remaining = barrier.remaining() - 1;
            barriers.put(key, new Barrier(remaining, barrier.expiresAt()));
            if (remaining == 0) {
                barrierChanged.signalAll();
            }
            return remaining;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long barrierRemaining(String key) {
        lock.lock();
        try {
            Barrier barrier = live(key);
            return barrier == null ? -1 : barrier.remaining();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitBarrier(String key, Duration timeout) throws InterruptedException {
        long leftNs = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Barrier barrier = live(key);
                if (barrier != null && barrier.remaining() == 0) {
                    return true;
                }
                if (leftNs <= 0) {
                    return false;
                }
                leftNs = barrierChanged.awaitNanos(leftNs);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The barrier if it exists and has not expired; an expired one is forgotten. Call with the lock held. */
    private Barrier live(String key) {
        Barrier barrier = barriers.get(key);
        if (barrier != null && !barrier.expiresAt().isAfter(clock.instant())) {
            barriers.remove(key);
            return null;
        }
        return barrier;
    }

    @Override
    public String toString() {
        return "StubRateLimiterBackend";
    }
}
