package dev.supaqueue.actor;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.message.Message;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A functional actor of no arguments, made by {@link ActorDefinition}.
 *
 * <p>The inherited untyped {@code send(Object...)} stays available; it refuses any argument at run time.
 *
 * @param <R> what the actor returns; {@code Void} for nothing
 */
public final class Actor0<R> extends AbstractActor<R> {

    /** The actor's code; may throw anything, which a worker treats as the message's failure. */
    @FunctionalInterface
    public interface Body<R> {
        R apply() throws Exception;
    }

    /** The code of an actor that returns nothing. */
    @FunctionalInterface
    public interface VoidBody {
        void run() throws Exception;
    }

    private final Body<R> body;

    Actor0(String actorName, String queueName, int priority, Map<String, ?> options, Broker broker,
           List<ActorParameter> parameters, Body<R> body) {
        super(actorName, queueName, priority, options, broker, parameters);
        this.body = Objects.requireNonNull(body, "body");
    }

    /** Builds a message with these arguments, without sending it. */
    public Message message() {
        return messageWithOptions(List.of(), Map.of(), Map.of());
    }

    /** Sends a message with these arguments; returns the message as enqueued. */
    public Message send() {
        return broker().enqueue(message());
    }

    /**
     * Runs the actor now, in this thread, without a broker or a message (no JSON round trip), as calling a
     * Dramatiq actor does.
     *
     * @throws Exception whatever the actor throws
     */
    public R call() throws Exception {
        return body.apply();
    }

    @Override
    protected void checkArguments(List<?> args) {
        binder().checkJavaValues(args, false);
    }

    @Override
    protected R invoke(Object[] arguments) throws Exception {
        return body.apply();
    }
}
