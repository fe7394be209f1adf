package dev.supaqueue.actor;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.message.Message;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A task that runs on a worker when a message naming it arrives, as a Dramatiq actor.
 *
 * <p>Sending builds a {@link Message} from Java arguments (converted to JSON values) and enqueues it on
 * {@link #broker()}; a worker later calls {@link #perform(Message)}, which binds the message's JSON
 * arguments to the actor's Java parameters and runs it. Delivery is at-least-once: an actor may run more
 * than once for one message, so it should be idempotent.
 *
 * @param <R> what the actor returns (for results and pipelines); {@code Void} for none
 */
public interface Actor<R> {

    /** Unique on its broker; the {@code actor_name} of its messages. */
    String actorName();

    /** The Dramatiq queue name its messages go to (without the broker's namespace). */
    String queueName();

    /** Lower runs first among messages waiting in one worker's memory; 0 by default. */
    int priority();

    /** Middleware options declared on the actor, such as {@code max_retries} (unmodifiable). */
    Map<String, Object> options();

    /** The broker this actor is declared on. */
    Broker broker();

    /**
     * Builds a message without sending it. {@code args} and {@code kwargs} are converted to JSON values;
     * {@code options} are per-message options (they take precedence over the actor's own at run time).
     *
     * @throws IllegalArgumentException if an argument cannot be represented as JSON
     */
    Message messageWithOptions(List<?> args, Map<String, ?> kwargs, Map<String, ?> options);

    /**
     * Runs the actor for a message: binds its arguments to the Java parameters and invokes it.
     *
     * @throws ArgumentBindingException if the message's arguments do not fit the actor's parameters
     * @throws Exception whatever the actor itself throws
     */
    R perform(Message message) throws Exception;

    /** Builds a message with these positional arguments, without sending it. */
    default Message message(Object... args) {
        return messageWithOptions(Arrays.asList(args), Map.of(), Map.of());
    }

    /** Sends a message with these positional arguments; returns the message as enqueued. */
    default Message send(Object... args) {
        return broker().enqueue(message(args));
    }

    /** Sends a message with arguments, keyword arguments, a delay (null for none) and per-message options. */
    default Message sendWithOptions(List<?> args, Map<String, ?> kwargs, Duration delay, Map<String, ?> options) {
        return broker().enqueue(messageWithOptions(args, kwargs, options), delay);
    }
}
