package dev.supaqueue.actor;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.message.Message;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A functional actor of one argument, made by {@link ActorDefinition}: {@link #send} and {@link #call} take
 * typed arguments.
 *
 * <p>The inherited untyped {@code send(Object...)} stays available (for Dramatiq-style code); it checks the
 * classes of its arguments at run time instead.
 *
 * @param <A> the type of argument 1
 * @param <R> what the actor returns; {@code Void} for nothing
 */
public final class Actor1<A, R> extends AbstractActor<R> {

    /** The actor's code; may throw anything, which a worker treats as the message's failure. */
    @FunctionalInterface
    public interface Body<A, R> {
        R apply(A a) throws Exception;
    }

    /** The code of an actor that returns nothing. */
    @FunctionalInterface
    public interface VoidBody<A> {
        void accept(A a) throws Exception;
    }

    private final Body<A, R> body;

    Actor1(String actorName, String queueName, int priority, Map<String, ?> options, Broker broker,
           List<ActorParameter> parameters, Body<A, R> body) {
        super(actorName, queueName, priority, options, broker, parameters);
        this.body = Objects.requireNonNull(body, "body");
    }

    /** Builds a message with these arguments, without sending it. */
    public Message message(A a) {
        return messageWithOptions(Arrays.asList(new Object[] {a}), Map.of(), Map.of());
    }

    /** Sends a message with these arguments; returns the message as enqueued. */
    public Message send(A a) {
        return broker().enqueue(message(a));
    }

    /**
     * Runs the actor now, in this thread, without a broker or a message (no JSON round trip), as calling a
     * Dramatiq actor does.
     *
     * @throws Exception whatever the actor throws
     */
    public R call(A a) throws Exception {
        return body.apply(a);
    }

    @Override
    protected void checkArguments(List<?> args) {
        binder().checkJavaValues(args, false);
    }

    @Override
    @SuppressWarnings("unchecked") // bound to the parameter types declared with the actor
    protected R invoke(Object[] arguments) throws Exception {
        return body.apply((A) arguments[0]);
    }
}
