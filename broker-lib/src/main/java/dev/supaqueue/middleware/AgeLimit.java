package dev.supaqueue.middleware;

import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letters messages older than {@code max_age} milliseconds instead of running them, as Dramatiq's
 * {@code AgeLimit}. The age counts from {@code message_timestamp}, the creation of the message, which retries
 * keep: so {@code max_age} also bounds how long a message keeps being retried.
 *
 * <p>{@code max_age} is looked up in the message, then the actor, then this middleware, where 0 (like an absent
 * value) falls through to the next level, as Python's {@code or} does; without any, messages never expire.
 */
public final class AgeLimit implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(AgeLimit.class);

    private final Long maxAgeMs;
    private final Clock clock;

    /** No default limit: only messages or actors with {@code max_age} expire. */
    public AgeLimit() {
        this(null);
    }

    /** @param maxAgeMs the limit for messages and actors that set none, in ms; null or 0 for none */
    public AgeLimit(Long maxAgeMs) {
        this(maxAgeMs, Clock.systemUTC());
    }

    /** As {@link #AgeLimit(Long)}, reading the time from {@code clock} (for tests). */
    public AgeLimit(Long maxAgeMs, Clock clock) {
        if (maxAgeMs != null && maxAgeMs < 0) {
            throw new IllegalArgumentException("maxAgeMs must not be negative: " + maxAgeMs);
        }
        this.maxAgeMs = maxAgeMs;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The middleware's own limit, if any. */
    public Optional<Long> maxAgeMs() {
        return Optional.ofNullable(maxAgeMs).filter(age -> age > 0);
    }

    @Override
    public Set<String> actorOptions() {
        return Set.of(ActorOptions.MAX_AGE);
    }

    @Override
    public void beforeProcessMessage(Broker broker, MessageProxy message) {
        Optional<Long> maxAge = MessageOptions.asLong(
                MessageOptions.firstTruthy(broker, message.message(), ActorOptions.MAX_AGE), ActorOptions.MAX_AGE)
                .or(this::maxAgeMs);
        if (maxAge.isEmpty()) {
            return;
        }
        long age = clock.millis() - message.message().messageTimestamp();
        if (age >= maxAge.get()) {
            log.warn("Message {} of actor '{}' is {} ms old, past its age limit of {} ms; dead-lettering it without"
                    + " running it", message.messageId(), message.actorName(), age, maxAge.get());
            message.fail();
            throw new SkipMessage("Message " + message.messageId() + " exceeded its age limit of " + maxAge.get()
                    + " ms");
        }
    }
}
