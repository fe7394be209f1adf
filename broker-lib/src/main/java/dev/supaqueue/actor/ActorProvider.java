package dev.supaqueue.actor;

import dev.supaqueue.broker.Broker;

/**
 * Declares an application's actors on a broker, so that a process that did not write them — the {@code worker}
 * command ({@code dev.supaqueue.cli.Supaqueue worker}), an embedded worker in the console — can run them.
 *
 * <p>Implement it in a public class with a public no-argument constructor and name that class, one per line, in
 * {@code META-INF/services/dev.supaqueue.actor.ActorProvider} on the class path; the command loads every provider
 * it finds with {@link java.util.ServiceLoader}:
 *
 * <pre>{@code
 * public final class MyActors implements ActorProvider {
 *     @Override
 *     public void declareActors(Broker broker) {
 *         Actors.register(broker, new Mailer());
 *         ActorDefinition.named("add").on(broker).parameterNames("a", "b")
 *                 .function(int.class, int.class, (a, b) -> a + b);
 *     }
 * }
 * }</pre>
 *
 * <p>Declare the actors on the broker given (not on {@link dev.supaqueue.broker.GlobalBroker}): the worker consumes
 * the queues of the actors declared there. A provider may be called once per broker, so it keeps no broker-specific
 * state in static fields.
 */
public interface ActorProvider {

    /**
     * Declares this provider's actors on the broker.
     *
     * @throws RuntimeException if an actor cannot be declared (a duplicate name, a bad queue name, ...); the worker
     *                          command then refuses to start
     */
    void declareActors(Broker broker);
}
