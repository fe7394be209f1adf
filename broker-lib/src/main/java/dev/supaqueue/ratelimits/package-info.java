/**
 * Rate limiters and barriers (Dramatiq's {@code dramatiq.rate_limits}): {@link dev.supaqueue.ratelimits.ConcurrentRateLimiter}
 * (at most N at once, expiring leases), {@link dev.supaqueue.ratelimits.WindowRateLimiter} (N per sliding window),
 * {@link dev.supaqueue.ratelimits.BucketRateLimiter} (N per fixed time bucket) and
 * {@link dev.supaqueue.ratelimits.Barrier} (clears on the N-th arrival), over a
 * {@link dev.supaqueue.ratelimits.RateLimiterBackend}: in memory ({@link dev.supaqueue.ratelimits.StubRateLimiterBackend})
 * or in PostgreSQL ({@link dev.supaqueue.ratelimits.PostgresRateLimiterBackend}).
 *
 * <p>A refused acquisition throws {@link dev.supaqueue.ratelimits.RateLimitExceeded}, which the {@code Retries}
 * middleware retries like any other failure.
 */
package dev.supaqueue.ratelimits;
