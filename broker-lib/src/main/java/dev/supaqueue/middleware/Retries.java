package dev.supaqueue.middleware;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.message.Message;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-enqueues the messages whose actor failed, with exponential backoff, as Dramatiq's {@code Retries}; once the
 * retries run out the message is dead-lettered and the {@code on_retry_exhausted} actor, if any, is told.
 *
 * <p>On each failure (not on success, nor for a message already {@linkplain MessageProxy#failed() failed}):
 * <ol>
 *   <li>an exception listed in {@code throws} (message, else actor) dead-letters the message without retry;</li>
 *   <li>otherwise {@code options.retries} is incremented and {@code traceback} and {@code requeue_timestamp} are
 *       written;</li>
 *   <li>the message is retried if {@code retry_when(retriesSoFar, exception)} says so (actor, else middleware),
 *       or, without it, while the retries made so far are fewer than {@code max_retries} (message, actor,
 *       middleware; an explicit 0 means a single attempt): {@code max_retries = 3} gives 4 attempts;</li>
 *   <li>a retry is a copy of the message (same id and timestamp) enqueued with a delay — the {@link Retry}'s own,
 *       else the backoff of {@link #computeBackoff} — while the failed delivery is acknowledged.</li>
 * </ol>
 */
public final class Retries implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(Retries.class);

    /** Actor option: a {@link RetryWhen} that decides instead of {@code max_retries}. */
    public static final String RETRY_WHEN = ActorOptions.RETRY_WHEN;
    /** Message option written here: failed attempts so far. */
    public static final String RETRIES = "retries";
    /** Message option written here: the stack trace of the last failure. */
    public static final String TRACEBACK = "traceback";
    /** Message option written here: the time of the last failure, in ms since the epoch. */
    public static final String REQUEUE_TIMESTAMP = "requeue_timestamp";

    public static final int DEFAULT_MAX_RETRIES = 20;
    public static final long DEFAULT_MIN_BACKOFF_MS = 15_000;
    /** Also the longest backoff allowed at all, as in Dramatiq. */
    public static final long DEFAULT_MAX_BACKOFF_MS = Duration.ofDays(7).toMillis();

    /** Frames kept in {@code traceback}, as Dramatiq's {@code format_exc(limit=30)}. */
    static final int TRACEBACK_FRAMES = 30;
    /** Keeps a huge exception message from bloating every retried message. */
    private static final int TRACEBACK_LINE_CHARS = 1_000;
    /** Beyond 2^32 the backoff is capped anyway; this keeps the shift from overflowing. */
    private static final int MAX_EXPONENT = 32;

    /** Decides whether a failed message is retried, instead of {@code max_retries}. */
    @FunctionalInterface
    public interface RetryWhen {
        /**
         * @param retries   how many retries were made before this failure: 0 on the first failure
         * @param exception what the actor threw
         * @return true to retry the message
         */
        boolean shouldRetry(int retries, Throwable exception);
    }

    private final int maxRetries;
    private final long minBackoffMs;
    private final long maxBackoffMs;
    private final RetryWhen retryWhen;
    private final Clock clock;

    /** Dramatiq's defaults: 20 retries, backoff from 15 s up to 7 days. */
    public Retries() {
        this(DEFAULT_MAX_RETRIES, DEFAULT_MIN_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS, null);
    }

    public Retries(int maxRetries) {
        this(maxRetries, DEFAULT_MIN_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS, null);
    }

    public Retries(int maxRetries, long minBackoffMs, long maxBackoffMs) {
        this(maxRetries, minBackoffMs, maxBackoffMs, null);
    }

    /**
     * @param maxRetries   retries allowed for messages and actors that set no {@code max_retries}
     * @param minBackoffMs the first backoff; 0 means the default of 15 s here (as in Dramatiq; a message or an
     *                     actor may set 0 to retry at once)
     * @param maxBackoffMs the longest backoff, at most 7 days
     * @param retryWhen    decides instead of {@code max_retries} for actors that set no {@code retry_when}; null
     *                     for none
     */
    public Retries(int maxRetries, long minBackoffMs, long maxBackoffMs, RetryWhen retryWhen) {
        this(maxRetries, minBackoffMs, maxBackoffMs, retryWhen, Clock.systemUTC());
    }

    private Retries(int maxRetries, long minBackoffMs, long maxBackoffMs, RetryWhen retryWhen, Clock clock) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        if (minBackoffMs < 0 || maxBackoffMs < 0) {
            throw new IllegalArgumentException("Backoffs must not be negative: minBackoffMs " + minBackoffMs
                    + ", maxBackoffMs " + maxBackoffMs);
        }
        this.maxRetries = maxRetries;
        this.minBackoffMs = minBackoffMs == 0 ? DEFAULT_MIN_BACKOFF_MS : minBackoffMs;
        this.maxBackoffMs = Math.min(maxBackoffMs, DEFAULT_MAX_BACKOFF_MS);
        this.retryWhen = retryWhen;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxRetries() {
        return maxRetries;
    }

    public long minBackoffMs() {
        return minBackoffMs;
    }

    public long maxBackoffMs() {
        return maxBackoffMs;
    }

    @Override
    public Set<String> actorOptions() {
        return Set.of(ActorOptions.MAX_RETRIES, ActorOptions.MIN_BACKOFF, ActorOptions.MAX_BACKOFF, RETRY_WHEN,
                ActorOptions.THROWS, ActorOptions.ON_RETRY_EXHAUSTED);
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
        // A message failed already (say its arguments cannot bind) would fail the same way again.
        if (exception == null || message.failed()) {
            return;
        }
        try {
            if (matchesThrows(broker, message.message(), exception)) {
                log.info("Message {} of actor '{}' failed with {}, which the actor throws on purpose;"
                                + " dead-lettering it without retry", message.messageId(), message.actorName(),
                        exception.getClass().getName());
                message.fail();
                return;
            }
            retryOrGiveUp(broker, message, exception);
        } catch (RuntimeException e) {
            // A bad option value or a failed enqueue: dead-letter rather than ack, so the message is not lost.
            log.error("Could not retry message {} of actor '{}'; dead-lettering it", message.messageId(),
                    message.actorName(), e);
            message.fail();
        }
    }

    private void retryOrGiveUp(Broker broker, MessageProxy message, Throwable exception) {
        Message failed = message.message();
        int retriesSoFar = Math.toIntExact(MessageOptions.asLong(
                Optional.ofNullable(failed.options().get(RETRIES)), RETRIES).orElse(0L));
        Map<String, Object> update = new LinkedHashMap<>();
        update.put(RETRIES, retriesSoFar + 1);
        update.put(TRACEBACK, traceback(exception));
        update.put(REQUEUE_TIMESTAMP, clock.millis());
        message.updateOptions(update);

        long maxRetriesHere = MessageOptions.asLong(
                MessageOptions.first(broker, failed, ActorOptions.MAX_RETRIES), ActorOptions.MAX_RETRIES)
                .orElse((long) maxRetries);
        RetryWhen when = retryWhen(broker, failed);
        boolean retry = when != null ? when.shouldRetry(retriesSoFar, exception) : retriesSoFar < maxRetriesHere;
        if (!retry) {
            giveUp(broker, message, retriesSoFar, maxRetriesHere);
            return;
        }

        Duration delay;
        if (exception instanceof Retry requested && requested.delay().isPresent()) {
            delay = requested.delay().get();
        } else {
            long min = backoffOption(broker, failed, ActorOptions.MIN_BACKOFF, minBackoffMs);
            long max = Math.min(backoffOption(broker, failed, ActorOptions.MAX_BACKOFF, maxBackoffMs),
                    DEFAULT_MAX_BACKOFF_MS);
            delay = Duration.ofMillis(computeBackoff(retriesSoFar + 1, min, max, ThreadLocalRandom.current()));
        }
        log.info("Retrying message {} of actor '{}' in {} ms (retry {}{})", message.messageId(),
                message.actorName(), delay.toMillis(), retriesSoFar + 1,
                when != null ? "" : " of " + maxRetriesHere);
        broker.enqueue(message.message(), delay);
    }

    private void giveUp(Broker broker, MessageProxy message, int retriesSoFar, long maxRetriesHere) {
        log.warn("Retries exceeded for message {}.", message.messageId());
        message.fail();
        Object target = MessageOptions.firstTruthy(broker, message.message(), ActorOptions.ON_RETRY_EXHAUSTED)
                .orElse(null);
        if (target == null) {
            return;
        }
        try {
            if (!(target instanceof String actorName)) {
                throw new IllegalArgumentException("Option " + ActorOptions.ON_RETRY_EXHAUSTED
                        + " must name an actor, not " + target);
            }
            Actor<?> callback = broker.getActor(actorName);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put(RETRIES, retriesSoFar);
            info.put(ActorOptions.MAX_RETRIES, maxRetriesHere);
            // Built as a plain message (as Callbacks does): the arguments are already JSON, and a typed callback
            // actor would refuse a Map where it declares a Message parameter.
            broker.enqueue(Message.create(callback.queueName(), callback.actorName(),
                    List.of(message.message().toMap(), info), Map.of(), Map.of()));
        } catch (RuntimeException e) {
            // The message is dead-lettered either way; only the notification is lost.
            log.error("Could not send the {} callback '{}' for message {}", ActorOptions.ON_RETRY_EXHAUSTED, target,
                    message.messageId(), e);
        }
    }

    private long backoffOption(Broker broker, Message message, String name, long fallback) {
        // A message or actor may ask for 0 (retry at once); negative values make no sense and mean 0.
        return Math.max(0, MessageOptions.asLong(MessageOptions.first(broker, message, name), name).orElse(fallback));
    }

    private RetryWhen retryWhen(Broker broker, Message message) {
        // Only the actor or the middleware: a function cannot travel inside a message.
        Object fromActor = broker.findActor(message.actorName()).map(a -> a.options().get(RETRY_WHEN)).orElse(null);
        if (fromActor == null) {
            return retryWhen;
        }
        if (fromActor instanceof RetryWhen when) {
            return when;
        }
        throw new IllegalArgumentException("Actor option " + RETRY_WHEN + " of actor '" + message.actorName()
                + "' must be a " + RetryWhen.class.getName() + ", not a " + fromActor.getClass().getName());
    }

    /**
     * Whether an exception is one the message's (else its actor's) {@code throws} option lists: its class, a
     * superclass or an interface it implements, by fully qualified name. Never throws: the worker can use it to
     * log such an expected failure at INFO rather than ERROR.
     */
    public static boolean matchesThrows(Broker broker, Message message, Throwable exception) {
        Set<String> declared = exceptionNames(message.options().get(ActorOptions.THROWS));
        if (declared.isEmpty()) {
            declared = broker.findActor(message.actorName())
                    .map(a -> exceptionNames(a.options().get(ActorOptions.THROWS)))
                    .orElse(Set.of());
        }
        if (declared.isEmpty() || exception == null) {
            return false;
        }
        Deque<Class<?>> pending = new ArrayDeque<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        pending.add(exception.getClass());
        while (!pending.isEmpty()) {
            Class<?> type = pending.poll();
            if (!seen.add(type)) {
                continue;
            }
            if (declared.contains(type.getName())) {
                return true;
            }
            if (type.getSuperclass() != null) {
                pending.add(type.getSuperclass());
            }
            pending.addAll(List.of(type.getInterfaces()));
        }
        return false;
    }

    /**
     * {@code throws} as class names: a name, a class, or a collection of them (what ActorOptions produces). Other
     * values are ignored, so that this never throws while the worker decides how to log a failure.
     */
    private static Set<String> exceptionNames(Object value) {
        Set<String> names = new LinkedHashSet<>();
        for (Object item : value instanceof Collection<?> items ? items : Collections.singletonList(value)) {
            switch (item) {
                case String name when !name.isEmpty() -> names.add(name);
                case Class<?> type -> names.add(type.getName());
                case null, default -> {
                }
            }
        }
        return names;
    }

    /**
     * The delay before retry number {@code retries} (1 for the first): {@code base = minBackoffMs × 2^(retries−1)},
     * then a uniformly random value in {@code [base, 2 × base]}, where the upper end is capped at
     * {@code maxBackoffMs} and the range always spans at least the upper half of its upper end. So the first retry
     * waits at least {@code minBackoffMs} (when below half the cap), no wait exceeds {@code maxBackoffMs}, and
     * messages that failed together spread out even once the cap is reached. 0 for a zero minimum or maximum.
     */
    static long computeBackoff(int retries, long minBackoffMs, long maxBackoffMs, RandomGenerator random) {
        if (minBackoffMs <= 0 || maxBackoffMs <= 0) {
            return 0;
        }
        int exponent = Math.min(Math.max(retries - 1, 0), MAX_EXPONENT);
        long base = minBackoffMs > (Long.MAX_VALUE >> exponent) ? Long.MAX_VALUE : minBackoffMs << exponent;
        long upper = base > maxBackoffMs / 2 ? maxBackoffMs : base * 2;
        long lower = Math.min(base, upper / 2);
        return lower + random.nextLong(upper - lower + 1);
    }

    /**
     * The stack trace as Java prints it, with its causes, keeping {@value #TRACEBACK_FRAMES} frames in all.
     */
    static String traceback(Throwable exception) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int framesLeft = TRACEBACK_FRAMES;
        String prefix = "";
        for (Throwable t = exception; t != null && seen.add(t); t = t.getCause()) {
            String line = String.valueOf(t);
            if (line.length() > TRACEBACK_LINE_CHARS) {
                line = line.substring(0, TRACEBACK_LINE_CHARS) + "...";
            }
            text.append(prefix).append(line).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            int shown = Math.min(frames.length, framesLeft);
            for (int i = 0; i < shown; i++) {
                text.append("\tat ").append(frames[i]).append('\n');
            }
            if (shown < frames.length) {
                text.append("\t... ").append(frames.length - shown).append(" more\n");
            }
            framesLeft -= shown;
            prefix = "Caused by: ";
        }
        return text.toString();
    }

    /** Builds a {@link Retries}; every setting defaults to Dramatiq's. */
    public static final class Builder {

        private int maxRetries = DEFAULT_MAX_RETRIES;
        private long minBackoffMs = DEFAULT_MIN_BACKOFF_MS;
        private long maxBackoffMs = DEFAULT_MAX_BACKOFF_MS;
        private RetryWhen retryWhen;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Zero means the default of 15 s, as in Dramatiq. */
        public Builder minBackoff(Duration minBackoff) {
            this.minBackoffMs = Objects.requireNonNull(minBackoff, "minBackoff").toMillis();
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoffMs = Objects.requireNonNull(maxBackoff, "maxBackoff").toMillis();
            return this;
        }

        public Builder retryWhen(RetryWhen retryWhen) {
            this.retryWhen = retryWhen;
            return this;
        }

        /** The clock of {@code requeue_timestamp} (for tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Retries build() {
            return new Retries(maxRetries, minBackoffMs, maxBackoffMs, retryWhen, clock);
        }
    }
}
