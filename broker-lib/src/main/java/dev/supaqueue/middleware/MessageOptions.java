package dev.supaqueue.middleware;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.message.Message;
import java.util.Optional;

/**
 * Looks up a middleware option the way Dramatiq does: the message's own options first, then the options its
 * actor was declared with. The middleware's own default comes last, at the caller.
 *
 * <p>Dramatiq resolves some options with Python's {@code or} ({@code time_limit}, {@code max_age}), where 0 and
 * null fall through to the next level, and others by presence ({@code max_retries}, where an explicit 0 is
 * respected): {@link #firstTruthy} and {@link #first} follow each rule.
 */
public final class MessageOptions {

    private MessageOptions() {
    }

    /** The first level (message, then actor) that has the option with a non-null value. */
    public static Optional<Object> first(Broker broker, Message message, String name) {
        Object fromMessage = message.options().get(name);
        if (fromMessage != null) {
            return Optional.of(fromMessage);
        }
        return fromActor(broker, message, name);
    }

    /** As {@link #first}, but a value Python finds falsy (0, false, empty string) also falls through. */
    public static Optional<Object> firstTruthy(Broker broker, Message message, String name) {
        Object fromMessage = message.options().get(name);
        if (truthy(fromMessage)) {
            return Optional.of(fromMessage);
        }
        return fromActor(broker, message, name).filter(MessageOptions::truthy);
    }

    /** A numeric option as a long, when present; a value of another type is a clear error. */
    public static Optional<Long> asLong(Optional<Object> value, String name) {
        return value.map(v -> {
            if (v instanceof Number number) {
                return number.longValue();
            }
            throw new IllegalArgumentException("Option " + name + " must be a number, not " + v);
        });
    }

    private static Optional<Object> fromActor(Broker broker, Message message, String name) {
        return broker.findActor(message.actorName()).map(actor -> actor.options().get(name));
    }

    private static boolean truthy(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return false;
        }
        if (value instanceof Number number) {
            return number.doubleValue() != 0;
        }
        return !(value instanceof String text) || !text.isEmpty();
    }
}
