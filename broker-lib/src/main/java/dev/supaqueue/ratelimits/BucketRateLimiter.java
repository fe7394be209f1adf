package dev.supaqueue.ratelimits;

import java.time.Duration;
import java.util.Optional;

/**
 * At most {@code limit} acquisitions per fixed time bucket of length {@code bucket}, buckets aligned to the Unix
 * epoch (Dramatiq's bucket limiter). Cheap, but allows up to {@code 2 × limit} in a short span straddling a
 * bucket boundary; use a {@link WindowRateLimiter} when that matters.
 */
public final class BucketRateLimiter extends RateLimiter {

    private final int limit;
    private final Duration bucket;

    public BucketRateLimiter(RateLimiterBackend backend, String key, int limit, Duration bucket) {
        super(backend, key);
        this.limit = requirePositive("limit", limit);
        this.bucket = requirePositive("bucket", bucket);
    }

    public int limit() {
        return limit;
    }

    public Duration bucket() {
        return bucket;
    }

    @Override
    public Optional<Permit> tryAcquire() {
        return counted(backend.hitBucket(key, limit, bucket));
    }

    @Override
    protected String describe() {
        return "bucket rate limiter '" + key + "' (" + limit + " per " + bucket + " bucket)";
    }
}
