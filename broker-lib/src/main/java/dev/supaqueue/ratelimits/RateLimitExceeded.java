package dev.supaqueue.ratelimits;

import dev.supaqueue.SupaqueueException;

/**
 * Thrown by {@link RateLimiter#acquire()} and {@link RateLimiter#run} when the limit is reached.
 *
 * <p>It is an ordinary {@link SupaqueueException}, so an actor that lets it propagate is retried by the
 * {@code Retries} middleware with its usual backoff (Dramatiq does the same with its {@code RateLimitExceeded}).
 */
public class RateLimitExceeded extends SupaqueueException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public RateLimitExceeded(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The key of the limiter that refused. */
    public String key() {
        return key;
    }
}
