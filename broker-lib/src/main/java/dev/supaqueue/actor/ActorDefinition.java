package dev.supaqueue.actor;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.GlobalBroker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Declares an actor from a lambda — the typed functional style:
 *
 * <pre>{@code
 * Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add")
 *         .queue("math").option(ActorOptions.MAX_RETRIES, 3).on(broker)
 *         .function(int.class, int.class, (a, b) -> a + b);
 * add.send(1, 2);          // enqueues {"args": [1, 2], ...}
 * int three = add.call(1, 2); // runs now
 * }</pre>
 *
 * <p>{@code function} declares an actor that returns a value, {@code consumer} (or {@code runnable} with no
 * arguments) one that returns nothing; each declares the actor on the broker and returns it. Parameter types
 * are classes, or {@link ArgumentType}s for generic types — all {@link ArgumentType}s when mixing. A builder is
 * not thread-safe; build one actor with it.
 */
public final class ActorDefinition {

    private final String actorName;
    private String queueName = "default";
    private int priority;
    private final Map<String, Object> options = new LinkedHashMap<>();
    private List<String> parameterNames;
    private Broker broker;

    private ActorDefinition(String actorName) {
        this.actorName = Objects.requireNonNull(actorName, "actorName");
    }

    /** Starts an actor definition; the name is the {@code actor_name} of its messages. */
    public static ActorDefinition named(String actorName) {
        return new ActorDefinition(actorName);
    }

    /** The queue its messages go to; {@code "default"} unless set. */
    public ActorDefinition queue(String queueName) {
        this.queueName = Objects.requireNonNull(queueName, "queueName");
        return this;
    }

    /** Lower runs first among messages waiting in a worker's memory; 0 unless set. */
    public ActorDefinition priority(int priority) {
        this.priority = priority;
        return this;
    }

    /**
     * An actor option under its Dramatiq name (see {@link ActorOptions}): a JSON value, an {@link Actor} for a
     * callback option, exception classes for {@code throws}. The broker refuses options no middleware knows.
     */
    public ActorDefinition option(String name, Object value) {
        options.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    /** Several options at once, as {@link #option}. */
    public ActorDefinition options(Map<String, ?> options) {
        options.forEach(this::option);
        return this;
    }

    /**
     * Names the parameters, in order, so that messages may pass them as keyword arguments (a lambda's parameter
     * names are not visible at run time).
     */
    public ActorDefinition parameterNames(String... names) {
        this.parameterNames = List.of(names);
        return this;
    }

    /** The broker to declare the actor on; the global broker ({@link GlobalBroker}) unless set. */
    public ActorDefinition on(Broker broker) {
        this.broker = Objects.requireNonNull(broker, "broker");
        return this;
    }

    // ---------------------------------------------------------------- no arguments

    public <R> Actor0<R> function(Actor0.Body<R> body) {
        return declare(new Actor0<>(actorName, queueName, priority, options, broker(), parameters(), body));
    }

    public Actor0<Void> runnable(Actor0.VoidBody body) {
        Objects.requireNonNull(body, "body");
        return function(() -> {
            body.run();
            return null;
        });
    }

    // ---------------------------------------------------------------- one argument

    public <A, R> Actor1<A, R> function(Class<A> a, Actor1.Body<A, R> body) {
        return function(ArgumentType.of(a), body);
    }

    public <A, R> Actor1<A, R> function(ArgumentType<A> a, Actor1.Body<A, R> body) {
        return declare(new Actor1<>(actorName, queueName, priority, options, broker(), parameters(a), body));
    }

    public <A> Actor1<A, Void> consumer(Class<A> a, Actor1.VoidBody<A> body) {
        return consumer(ArgumentType.of(a), body);
    }

    public <A> Actor1<A, Void> consumer(ArgumentType<A> a, Actor1.VoidBody<A> body) {
        Objects.requireNonNull(body, "body");
        return function(a, x -> {
            body.accept(x);
            return null;
        });
    }

    // ---------------------------------------------------------------- two arguments

    public <A, B, R> Actor2<A, B, R> function(Class<A> a, Class<B> b, Actor2.Body<A, B, R> body) {
        return function(ArgumentType.of(a), ArgumentType.of(b), body);
    }

    public <A, B, R> Actor2<A, B, R> function(ArgumentType<A> a, ArgumentType<B> b, Actor2.Body<A, B, R> body) {
        return declare(new Actor2<>(actorName, queueName, priority, options, broker(), parameters(a, b), body));
    }

    public <A, B> Actor2<A, B, Void> consumer(Class<A> a, Class<B> b, Actor2.VoidBody<A, B> body) {
        return consumer(ArgumentType.of(a), ArgumentType.of(b), body);
    }

    public <A, B> Actor2<A, B, Void> consumer(ArgumentType<A> a, ArgumentType<B> b, Actor2.VoidBody<A, B> body) {
        Objects.requireNonNull(body, "body");
        return function(a, b, (x, y) -> {
            body.accept(x, y);
            return null;
        });
    }

    // ---------------------------------------------------------------- three arguments

    public <A, B, C, R> Actor3<A, B, C, R> function(Class<A> a, Class<B> b, Class<C> c,
                                                    Actor3.Body<A, B, C, R> body) {
        return function(ArgumentType.of(a), ArgumentType.of(b), ArgumentType.of(c), body);
    }

    public <A, B, C, R> Actor3<A, B, C, R> function(ArgumentType<A> a, ArgumentType<B> b, ArgumentType<C> c,
                                                    Actor3.Body<A, B, C, R> body) {
        return declare(new Actor3<>(actorName, queueName, priority, options, broker(), parameters(a, b, c), body));
    }

    public <A, B, C> Actor3<A, B, C, Void> consumer(Class<A> a, Class<B> b, Class<C> c,
                                                    Actor3.VoidBody<A, B, C> body) {
        return consumer(ArgumentType.of(a), ArgumentType.of(b), ArgumentType.of(c), body);
    }

    public <A, B, C> Actor3<A, B, C, Void> consumer(ArgumentType<A> a, ArgumentType<B> b, ArgumentType<C> c,
                                                    Actor3.VoidBody<A, B, C> body) {
        Objects.requireNonNull(body, "body");
        return function(a, b, c, (x, y, z) -> {
            body.accept(x, y, z);
            return null;
        });
    }

    // ----------------------------------------------------------------

    private Broker broker() {
        return broker != null ? broker : GlobalBroker.get();
    }

    private List<ActorParameter> parameters(ArgumentType<?>... types) {
        if (parameterNames != null && parameterNames.size() != types.length) {
            throw new IllegalArgumentException("actor '" + actorName + "' has " + types.length + " parameter"
                    + (types.length == 1 ? "" : "s") + " but parameterNames gave " + parameterNames.size()
                    + " names: " + parameterNames);
        }
        List<ActorParameter> parameters = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            Objects.requireNonNull(types[i], "argument type " + (i + 1));
            parameters.add(new ActorParameter(i, parameterNames == null ? null : parameterNames.get(i),
                    types[i].type()));
        }
        return parameters;
    }

    private <T extends AbstractActor<?>> T declare(T actor) {
        actor.broker().declareActor(actor);
        return actor;
    }

    @Override
    public String toString() {
        return "ActorDefinition[" + actorName + " on queue '" + queueName + "', priority " + priority + ", options "
                + options + (parameterNames == null ? "" : ", parameters " + Arrays.toString(
                parameterNames.toArray())) + "]";
    }
}
