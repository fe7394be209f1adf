package dev.supaqueue.ratelimits;

import java.time.Duration;
import java.util.Optional;

/**
 * At most {@code limit} acquisitions within any {@code window}: a <em>sliding</em> window ending at the moment of
 * each acquisition (not a fixed calendar window, so there is no burst of {@code 2 × limit} across a boundary).
 *
 * <p>The backend remembers the time of each acquisition in the window, so the cost per acquisition grows with
 * {@code limit}; for limits in the many thousands prefer a {@link BucketRateLimiter}.
 */
public final class WindowRateLimiter extends RateLimiter {

    private final int limit;
    private final Duration window;

    public WindowRateLimiter(RateLimiterBackend backend, String key, int limit, Duration window) {
        super(backend, key);
        this.limit = requirePositive("limit", limit);
        this.window = requirePositive("window", window);
    }

    public int limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }

    @Override
    public Optional<Permit> tryAcquire() {
        return counted(backend.hitWindow(key, limit, window));
    }

    @Override
    protected String describe() {
        return "window rate limiter '" + key + "' (" + limit + " per " + window + ", sliding)";
    }
}
