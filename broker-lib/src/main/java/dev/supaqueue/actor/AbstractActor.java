package dev.supaqueue.actor;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.message.Message;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every actor shares: its name, queue, priority, options and broker, turning Java arguments into messages,
 * and binding a message's JSON arguments back to Java parameters before {@link #invoke(Object[])} runs the
 * actor's code. Subclasses: {@link MethodActor} (annotated methods), {@link Actor0}..{@link Actor3} (lambdas);
 * extend it for a class-based actor, as Dramatiq's {@code GenericActor}.
 *
 * <p>Constructing an actor does not declare it; whoever creates it calls {@link Broker#declareActor(Actor)}.
 *
 * @param <R> what the actor returns; {@code Void} for nothing
 */
public abstract class AbstractActor<R> implements Actor<R> {

    private final String actorName;
    private final String queueName;
    private final int priority;
    private final Map<String, Object> options;
    private final Broker broker;
    private final ArgumentBinder binder;

    /**
     * @param options    the actor's own options (see {@link ActorOptions}); callback actors are stored as names
     * @param parameters the Java parameters that message arguments bind to, in order
     * @throws IllegalArgumentException if the name is blank or an option value is not a JSON value
     */
    protected AbstractActor(String actorName, String queueName, int priority, Map<String, ?> options,
                            Broker broker, List<ActorParameter> parameters) {
        Objects.requireNonNull(actorName, "actorName");
        if (actorName.isBlank()) {
            throw new IllegalArgumentException("an actor name must not be blank");
        }
        this.actorName = actorName;
        // The broker validates the queue name when it declares the actor.
        this.queueName = Objects.requireNonNull(queueName, "queueName");
        this.priority = priority;
        this.options = ActorOptions.normalizeForActor(options, "actor '" + actorName + "'");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.binder = new ArgumentBinder(actorName, parameters);
    }

    @Override
    public final String actorName() {
        return actorName;
    }

    @Override
    public final String queueName() {
        return queueName;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final Map<String, Object> options() {
        return options;
    }

    @Override
    public final Broker broker() {
        return broker;
    }

    /** The Java parameters that message arguments bind to. */
    public final List<ActorParameter> parameters() {
        return binder.parameters();
    }

    /** Binds message arguments to {@link #parameters()}. */
    protected final ArgumentBinder binder() {
        return binder;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The actor's own options are not copied into the message: middleware looks an option up in the
     * message, then the actor, then its own default, at run time (as Dramatiq does).
     *
     * @throws IllegalArgumentException naming the actor and the argument or option that cannot be sent
     */
    @Override
    public Message messageWithOptions(List<?> args, Map<String, ?> kwargs, Map<String, ?> options) {
        Map<String, Object> messageOptions = ActorOptions.normalize(options, "message for actor '" + actorName + "'");
        checkArguments(args == null ? List.of() : args);
        List<Object> jsonArgs;
        Map<String, Object> jsonKwargs;
        try {
            jsonArgs = ActorArguments.toJsonArgs(args);
            jsonKwargs = ActorArguments.toJsonKwargs(kwargs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("actor '" + actorName + "': " + e.getMessage(), e);
        }
        return Message.create(queueName, actorName, jsonArgs, jsonKwargs, messageOptions);
    }

    /**
     * Checks positional Java arguments before they are sent; does nothing by default (like Dramatiq, a message
     * is checked against the parameters when it runs). Typed actors check the classes their signature promises.
     *
     * @throws IllegalArgumentException if the arguments cannot be right; the message should name the actor
     */
    protected void checkArguments(List<?> args) {
    }

    /**
     * @throws IllegalArgumentException if the message is for another actor
     * @throws ArgumentBindingException if its arguments do not fit the parameters
     * @throws Exception                whatever the actor throws, unchanged
     */
    @Override
    public final R perform(Message message) throws Exception {
        Objects.requireNonNull(message, "message");
        if (!actorName.equals(message.actorName())) {
            throw new IllegalArgumentException("actor '" + actorName + "' cannot perform message "
                    + message.messageId() + " for actor '" + message.actorName() + "'");
        }
        return invoke(binder.bind(message));
    }

    /**
     * Runs the actor's code with bound arguments, one per parameter, of the parameters' types.
     *
     * @throws Exception whatever the actor's code throws, unchanged
     */
    protected abstract R invoke(Object[] arguments) throws Exception;

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + actorName + binder.signatures() + " on queue '" + queueName + "']";
    }
}
