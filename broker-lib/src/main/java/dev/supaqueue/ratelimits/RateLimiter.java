package dev.supaqueue.ratelimits;

import java.util.Objects;
import java.util.Optional;

/**
 * A limit on how often (or how many at once) some work may run, shared through a {@link RateLimiterBackend}.
 *
 * <p>The Java counterpart of Dramatiq's {@code with limiter.acquire(raise_on_failure=...)}:
 * <pre>{@code
 * limiter.run(() -> callTheApi());               // throws RateLimitExceeded when the limit is reached
 * boolean ran = limiter.tryRun(() -> refresh()); // false instead
 * try (RateLimiter.Permit permit = limiter.acquire()) { ... }
 * }</pre>
 * An actor that lets {@link RateLimitExceeded} propagate is retried later by the {@code Retries} middleware.
 */
public abstract class RateLimiter {

    /** Work that returns a value and may throw a checked exception of type {@code E}. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T call() throws E;
    }

    /** What an acquisition holds; closing it gives back whatever must be given back (e.g. a lease). */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private static final Permit NOTHING_TO_RELEASE = () -> { };

    protected final RateLimiterBackend backend;
    protected final String key;

    protected RateLimiter(RateLimiterBackend backend, String key) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.key = requireKey(key);
    }

    static String requireKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isBlank()) {
            throw new IllegalArgumentException("A rate limiter key must not be blank");
        }
        return key;
    }

    static int requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, was " + value);
        }
        return value;
    }

    static java.time.Duration requirePositive(String what, java.time.Duration value) {
        Objects.requireNonNull(value, what);
        if (value.toMillis() < 1) {
            throw new IllegalArgumentException(what + " must be at least 1 ms, was " + value);
        }
        return value;
    }

    /** The key shared by all limiters that count together. */
    public final String key() {
        return key;
    }

    /**
     * Tries to acquire once, without waiting.
     *
     * @return a permit to close when the work is done, or empty when the limit is reached
     */
    public abstract Optional<Permit> tryAcquire();

    /**
     * Acquires without waiting, or throws.
     *
     * @throws RateLimitExceeded when the limit is reached
     */
    public final Permit acquire() {
        return tryAcquire().orElseThrow(() -> new RateLimitExceeded(key, describe() + " is exhausted"));
    }

    /**
     * Runs {@code work} if the limit allows it, giving the permit back afterwards (also when it throws).
     *
     * @throws RateLimitExceeded when the limit is reached; {@code work} did not run
     */
    public final <T, E extends Exception> T run(Work<T, E> work) throws E {
        Objects.requireNonNull(work, "work");
        try (Permit permit = acquire()) {
            return work.call();
        }
    }

    /**
     * Runs {@code work} if the limit allows it.
     *
     * @return whether it ran; {@code false} when the limit is reached
     */
    public final boolean tryRun(Runnable work) {
        Objects.requireNonNull(work, "work");
        Optional<Permit> permit = tryAcquire();
        if (permit.isEmpty()) {
            return false;
        }
        try (Permit held = permit.get()) {
            work.run();
        }
        return true;
    }

    /** For permits that hold nothing (window and bucket limiters count, they do not hold). */
    static Optional<Permit> counted(boolean allowed) {
        return allowed ? Optional.of(NOTHING_TO_RELEASE) : Optional.empty();
    }

    /** The limiter in words, for errors and logs. */
    protected abstract String describe();

    @Override
    public String toString() {
        return describe();
    }
}
