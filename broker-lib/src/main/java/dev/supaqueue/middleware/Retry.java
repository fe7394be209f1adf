package dev.supaqueue.middleware;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown by an actor to ask for its message to run again later, as Dramatiq's {@code Retry}: it is an expected
 * outcome, so it is not reported as an error, but the {@link Retries} middleware still counts it toward
 * {@code max_retries}. With a delay, the retry runs after that delay instead of the computed backoff.
 */
public class Retry extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration delay;

    /** A retry after the usual backoff. */
    public Retry() {
        this("Retry requested", null);
    }

    /** A retry after the usual backoff, with a reason for the logs and the message's traceback. */
    public Retry(String message) {
        this(message, null);
    }

    /** A retry after {@code delay} (zero or more; null for the usual backoff). */
    public Retry(Duration delay) {
        this(delay == null ? "Retry requested" : "Retry requested in " + delay.toMillis() + " ms", delay);
    }

    /**
     * @param delay how long to wait before the retry, zero or more; null for the usual backoff
     * @throws IllegalArgumentException if the delay is negative
     */
    public Retry(String message, Duration delay) {
        super(Objects.requireNonNullElse(message, "Retry requested"));
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("A retry delay must not be negative: " + delay);
        }
        this.delay = delay;
    }

    /** The requested delay; empty for the usual backoff. */
    public Optional<Duration> delay() {
        return Optional.ofNullable(delay);
    }
}
