package dev.supaqueue.ratelimits;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code limit} holders at once for a key, across threads and (with a shared backend) processes;
 * {@code limit = 1} is a mutex.
 *
 * <p>Each holder owns an expiring lease rather than a session lock, so it works through connection poolers and
 * a holder that dies without releasing frees its slot after {@code ttl}. The ttl should exceed the longest
 * expected run: work that outlives its lease no longer counts against the limit.
 */
public final class ConcurrentRateLimiter extends RateLimiter {

    /** Dramatiq's default: 15 minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    private final int limit;
    private final Duration ttl;

    public ConcurrentRateLimiter(RateLimiterBackend backend, String key, int limit) {
        this(backend, key, limit, DEFAULT_TTL);
    }

    public ConcurrentRateLimiter(RateLimiterBackend backend, String key, int limit, Duration ttl) {
        super(backend, key);
        this.limit = requirePositive("limit", limit);
        this.ttl = requirePositive("ttl", ttl);
    }

    public int limit() {
        return limit;
    }

    public Duration ttl() {
        return ttl;
    }

    @Override
    public Optional<Permit> tryAcquire() {
        String holder = UUID.randomUUID().toString();
        if (!backend.acquireLease(key, limit, holder, ttl)) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            // Closing twice must not release a slot that someone else has taken meanwhile.
            if (released.compareAndSet(false, true)) {
                backend.releaseLease(key, holder);
            }
        });
    }

    @Override
    protected String describe() {
        return "concurrent rate limiter '" + key + "' (limit " + limit + ", ttl " + ttl + ")";
    }
}
