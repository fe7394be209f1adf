package dev.supaqueue.ratelimits;

import java.time.Duration;
import java.util.Objects;

/**
 * A barrier for a known number of parties, shared through a {@link RateLimiterBackend}: it clears when the
 * N-th party arrives. Used for group completion callbacks, where the child that clears it enqueues the callbacks.
 *
 * <p>An arrival is never taken back, also when {@link #await(Duration)} times out. The barrier expires after
 * {@code ttl} from its creation; arriving at an expired barrier is an error.
 */
public final class Barrier {

    /** Dramatiq's default: 15 minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    private final RateLimiterBackend backend;
    private final String key;
    private final Duration ttl;

    public Barrier(RateLimiterBackend backend, String key) {
        this(backend, key, DEFAULT_TTL);
    }

    public Barrier(RateLimiterBackend backend, String key, Duration ttl) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.key = RateLimiter.requireKey(key);
        this.ttl = RateLimiter.requirePositive("ttl", ttl);
    }

    public String key() {
        return key;
    }

    /**
     * Creates the barrier for {@code parties} parties.
     *
     * @return whether this call created it ({@code false}: a live barrier with this key already exists, and is
     *         left as it is)
     */
    public boolean create(int parties) {
        return backend.createBarrier(key, RateLimiter.requirePositive("parties", parties), ttl);
    }

    /**
     * Arrives without waiting.
     *
     * @return whether this arrival was the one that cleared the barrier (exactly one arrival gets {@code true})
     */
    public boolean arrive() {
        return backend.arriveAtBarrier(key) == 0;
    }

    /**
     * Arrives and waits until all parties have arrived or the timeout passes.
     *
     * @return whether the barrier cleared in time
     * @throws dev.supaqueue.SupaqueueException if there is no live barrier with this key
     */
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long remaining = backend.arriveAtBarrier(key);
        if (remaining <= 0) {
            return true;
        }
        return backend.awaitBarrier(key, timeout);
    }

    /** The parties still expected ({@code 0}: cleared), or {@code -1} if there is no live barrier. */
    public long remaining() {
        return backend.barrierRemaining(key);
    }

    @Override
    public String toString() {
        return "barrier '" + key + "' (ttl " + ttl + ")";
    }
}
