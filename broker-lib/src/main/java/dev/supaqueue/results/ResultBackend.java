package dev.supaqueue.results;

import dev.supaqueue.message.Message;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the {@link Results} middleware stores what actors return, and where callers read it back — Dramatiq's
 * {@code ResultBackend}. Results are keyed by {@link #keys()} and kept for a time-to-live.
 *
 * <p>Implementations provide {@link #store}, {@link #storeFailure} and {@link #peek}; the blocking reads poll
 * {@link #peek} with a growing, jittered delay as Dramatiq does ({@code compute_backoff(attempts, factor=100)}:
 * 100–200 ms at first, doubling, at most {@value #MAX_POLL_DELAY_MS} ms).
 */
public interface ResultBackend {

    /** Dramatiq's default timeout of a blocking get. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The longest pause between two polls of a blocking get (Dramatiq's compute_backoff default cap). */
    long MAX_POLL_DELAY_MS = 2000;

    /** How this backend keys results. */
    ResultKeys keys();

    /**
     * Stores what the actor returned for a message, replacing what was stored for it before.
     *
     * @param resultJson a JSON value (see {@code ActorArguments.toJsonValue})
     * @param ttl        how long to keep it; positive
     */
    void store(Message message, Object resultJson, Duration ttl);

    /**
     * Stores a final failure, in Dramatiq's format (see {@link StoredResult#failure}).
     *
     * @param exceptionType    the exception's simple class name, as Python's {@code type(e).__name__}
     * @param exceptionMessage its message ("" for none)
     */
    void storeFailure(Message message, String exceptionType, String exceptionMessage, Duration ttl);

    /** What is stored for the message, if anything that has not expired; never waits. */
    Optional<StoredResult> peek(Message message);

    /**
     * What is stored for the message, without waiting.
     *
     * @throws ResultMissing if nothing is stored (yet)
     */
    default StoredResult get(Message message) {
        return peek(message).orElseThrow(() -> new ResultMissing(describe(message) + " has no stored result"));
    }

    /**
     * Waits until something is stored for the message, polling with backoff.
     *
     * @throws ResultTimeout if nothing was stored within {@code timeout}
     * @throws ResultError   if the thread is interrupted while waiting (its interrupt status is kept)
     */
    default StoredResult get(Message message, Duration timeout) {
        Objects.requireNonNull(message, "message");
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, not " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 0; ; attempt++) {
            Optional<StoredResult> stored = peek(message);
            if (stored.isPresent()) {
                return stored.get();
            }
            long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMs <= 0) {
                throw new ResultTimeout(describe(message) + " stored no result within " + timeout.toMillis() + " ms");
            }
            try {
                // Never sleep past the deadline: one last poll happens right at it.
                Thread.sleep(Math.min(pollDelayMillis(attempt), remainingMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ResultError("Interrupted while waiting for the result of " + describe(message), e);
            }
        }
    }

    /**
     * The result bound to a Java type, without waiting.
     *
     * @throws ResultMissing if nothing is stored
     * @throws ResultFailure if the actor failed
     */
    default <T> T getResult(Message message, Class<T> type) {
        return get(message).value(type);
    }

    /**
     * The result bound to a Java type, waiting up to {@code timeout} for it.
     *
     * @throws ResultTimeout if nothing was stored in time
     * @throws ResultFailure if the actor failed
     */
    default <T> T getResult(Message message, Duration timeout, Class<T> type) {
        return get(message, timeout).value(type);
    }

    /** As {@link #getResult(Message, Duration, Class)} for a generic type such as {@code List<Integer>}. */
    default Object getResult(Message message, Duration timeout, Type type) {
        return get(message, timeout).value(type);
    }

    /** Dramatiq's compute_backoff(attempt, factor=100): 100 × 2^attempt ms with jitter ×U(1, 2), capped. */
    static long pollDelayMillis(int attempt) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long base = 100L << Math.min(Math.max(attempt, 0), 10);
        long delay = (long) (base * (1 + random.nextDouble()));
        if (delay > MAX_POLL_DELAY_MS) {
            // As Dramatiq: once capped, spread polls over the upper half of the cap so waiters do not align.
            delay = (long) (MAX_POLL_DELAY_MS * (0.5 + random.nextDouble() / 2));
        }
        return delay;
    }

    private static String describe(Message message) {
        return "Message " + message.messageId() + " of actor '" + message.actorName() + "'";
    }
}
