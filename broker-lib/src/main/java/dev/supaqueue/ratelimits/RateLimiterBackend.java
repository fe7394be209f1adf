package dev.supaqueue.ratelimits;

import java.time.Duration;

/**
 * Where rate limiters and barriers keep their shared state. Every operation is atomic, so limiters in
 * different threads (and, for a shared store, different processes) that use the same key agree.
 *
 * <p>The four kinds of state (leases, windows, buckets, barriers) live in separate key spaces: a
 * {@link ConcurrentRateLimiter} and a {@link WindowRateLimiter} with the same key do not interfere.
 *
 * <p>Implementations: {@link StubRateLimiterBackend} (in memory, for tests and single-process use) and
 * {@link PostgresRateLimiterBackend}.
 */
public interface RateLimiterBackend {

    /**
     * Takes one of {@code limit} lease slots for {@code key} if a slot is free or its lease has expired.
     *
     * @param holder a token unique to this acquisition; pass it to {@link #releaseLease}
     * @param ttl    after this long the lease is free again even if never released (its holder died)
     * @return whether the lease was taken
     */
    boolean acquireLease(String key, int limit, String holder, Duration ttl);

    /** Gives back the lease taken by {@code holder}; does nothing if it has expired and been taken by another. */
    void releaseLease(String key, String holder);

    /**
     * Records one acquisition in the sliding window ending now, unless {@code limit} acquisitions already
     * happened within the last {@code window}.
     *
     * @return whether the acquisition was recorded (i.e. allowed)
     */
    boolean hitWindow(String key, int limit, Duration window);

    /**
     * Records one acquisition in the current fixed time bucket (buckets of length {@code bucket}, aligned to the
     * Unix epoch), unless the bucket already holds {@code limit} acquisitions.
     *
     * @return whether the acquisition was recorded (i.e. allowed)
     */
    boolean hitBucket(String key, int limit, Duration bucket);

    /**
     * Creates a barrier for {@code parties} parties unless a live one with this key exists.
     *
     * @return whether this call created it
     */
    boolean createBarrier(String key, int parties, Duration ttl);

    /**
     * Counts one party as arrived at the barrier.
     *
     * @return the number of parties still expected after this arrival ({@code 0}: this arrival cleared the
     *         barrier), or {@code -1} if the barrier had already cleared before this call
     * @throws dev.supaqueue.SupaqueueException if there is no live barrier with this key (never created, or
     *         expired after its ttl)
     */
    long arriveAtBarrier(String key);

    /** The parties the barrier still waits for ({@code 0}: cleared), or {@code -1} if there is no live barrier. */
    long barrierRemaining(String key);

    /**
     * Waits until the barrier has cleared or the timeout passes. The default polls {@link #barrierRemaining};
     * backends with a cheaper way to be woken override it.
     *
     * @return whether the barrier cleared in time
     */
    default boolean awaitBarrier(String key, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = 5;
        while (true) {
            if (barrierRemaining(key) == 0) {
                return true;
            }
            long leftNs = deadline - System.nanoTime();
            if (leftNs <= 0) {
                return false;
            }
            Thread.sleep(Math.min(pauseMs, Math.max(1, leftNs / 1_000_000)));
            // Back off to a modest poll rate so many waiting parties do not hammer the store.
            pauseMs = Math.min(pauseMs * 2, 100);
        }
    }
}
