package dev.supaqueue.actor;

import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The actors that {@link Actors#register} declared for one object or class, by name, in declaration order. */
public final class ActorGroup implements Iterable<MethodActor<?>> {

    private final Map<String, MethodActor<?>> actors;

    ActorGroup(List<MethodActor<?>> actors) {
        Map<String, MethodActor<?>> byName = new LinkedHashMap<>();
        for (MethodActor<?> actor : actors) {
            byName.put(actor.actorName(), actor);
        }
        this.actors = Collections.unmodifiableMap(byName);
    }

    /** @throws IllegalArgumentException if the group has no actor of this name */
    public MethodActor<?> get(String actorName) {
        MethodActor<?> actor = actors.get(actorName);
        if (actor == null) {
            throw new IllegalArgumentException("no actor named '" + actorName + "' here; the actors are "
                    + actors.keySet());
        }
        return actor;
    }

    /**
     * The actor with its result type, so that {@link MethodActor#call} returns {@code R}.
     *
     * @param resultType the method's return type, boxed; {@code Void.class} for void
     * @throws IllegalArgumentException if there is no such actor, or its method returns something else
     */
    @SuppressWarnings("unchecked") // checked against the method's return type just before
    public <R> MethodActor<R> get(String actorName, Class<R> resultType) {
        MethodActor<?> actor = get(actorName);
        Class<?> returned = MethodType.methodType(actor.method().getReturnType()).wrap().returnType();
        if (!resultType.isAssignableFrom(returned)) {
            throw new IllegalArgumentException("actor '" + actorName + "' returns " + returned.getSimpleName()
                    + ", not " + resultType.getSimpleName());
        }
        return (MethodActor<R>) actor;
    }

    public List<MethodActor<?>> actors() {
        return List.copyOf(actors.values());
    }

    public Set<String> names() {
        return actors.keySet();
    }

    public int size() {
        return actors.size();
    }

    @Override
    public Iterator<MethodActor<?>> iterator() {
        return actors.values().iterator();
    }

    @Override
    public String toString() {
        return "ActorGroup" + actors.keySet();
    }
}
