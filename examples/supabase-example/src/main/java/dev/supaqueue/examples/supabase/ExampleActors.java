package dev.supaqueue.examples.supabase;

import dev.supaqueue.actor.Actor2;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.Broker;
import java.io.PrintStream;

/**
 * The example's actor, {@code add(a, b)} on queue {@code default}. As an {@link ActorProvider} (listed in
 * {@code META-INF/services/dev.supaqueue.actor.ActorProvider}) it lets {@code supaqueue worker} run the same actor.
 */
public final class ExampleActors implements ActorProvider {

    /** The example's queues live under this namespace: {@code example_default} and {@code example_default_xq}. */
    public static final String NAMESPACE = "example";

    /** For the worker command: prints to standard output. */
    @Override
    public void declareActors(Broker broker) {
        add(broker, System.out);
    }

    /** Declares {@code add(a, b)}, which prints the sum and returns it. */
    public static Actor2<Integer, Integer, Integer> add(Broker broker, PrintStream out) {
        // Named parameters, so that a Python producer may also send kwargs {"a": 1, "b": 2}.
        return ActorDefinition.named("add").on(broker).parameterNames("a", "b")
                .function(int.class, int.class, (a, b) -> {
                    int sum = a + b;
                    out.println("add(" + a + ", " + b + ") = " + sum);
                    return sum;
                });
    }
}
