package dev.supaqueue.benchmarks.jmh;

import dev.supaqueue.actor.ActorGroup;
import dev.supaqueue.actor.ActorMethod;
import dev.supaqueue.actor.Actors;
import dev.supaqueue.actor.ArgumentBinder;
import dev.supaqueue.actor.MethodActor;
import dev.supaqueue.benchmarks.jmh.Fixtures.Order;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.message.Message;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The actor side of a message, through the public API on annotated actors ({@link Actors#register}) of a
 * {@link StubBroker}: Java arguments to a {@link Message} (every send), and a message's JSON arguments back to
 * Java parameters (every delivery), alone ({@link ArgumentBinder#bind}) and with the reflective call
 * ({@code perform}). One {@link #shape} per kind of parameter list.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ActorBenchmark {

    /** The actors, one per shape; each returns something computed from every argument it was given. */
    public static class Shapes {

        @ActorMethod
        public long primitives(int count, long id, double ratio, boolean urgent) {
            return count + id + (long) ratio + (urgent ? 1 : 0);
        }

        @ActorMethod
        public int strings(String to, String subject, String body) {
            return to.length() + subject.length() + body.length();
        }

        @ActorMethod
        public int record(Order order) {
            return order.items().size() + order.tags().size();
        }

        @ActorMethod
        public int collections(List<Integer> ids, Map<String, Double> prices) {
            return ids.size() + prices.size();
        }

        @ActorMethod
        public int keywords(String to, int retries, Optional<String> cc) {
            return to.length() + retries + cc.map(String::length).orElse(0);
        }
    }

    /**
     * primitives: (int, long, double, boolean); strings: three Strings; record: an {@link Order} of 5 line items
     * (nested records, a list, a map); collections: {@code List<Integer>} of 20 and {@code Map<String, Double>}
     * of 10; keywords: (String, int, Optional&lt;String&gt;) given as kwargs, the Optional left out.
     */
    @Param({"primitives", "strings", "record", "collections", "keywords"})
    public String shape;

    private StubBroker broker;
    private MethodActor<?> actor;
    private ArgumentBinder binder;
    private List<Object> javaArgs;
    private Map<String, Object> javaKwargs;
    private Message message;

    @Setup
    public void setUp() throws Exception {
        broker = new StubBroker();
        ActorGroup group = Actors.register(broker, new Shapes());
        actor = group.get(shape);
        binder = new ArgumentBinder(actor.actorName(), actor.parameters());
        javaArgs = List.of();
        javaKwargs = Map.of();
        switch (shape) {
            case "primitives" -> javaArgs = List.of(7, 123_456_789_012L, 0.75, true);
            case "strings" -> javaArgs = List.of("ada@example.com", "Your invoice INV-2041",
                    "Dear Ada,\nplease find attached the invoice for November.\nKind regards");
            case "record" -> javaArgs = List.of(Fixtures.order(5));
            case "collections" -> javaArgs = List.of(Fixtures.ids(20), Fixtures.prices(10));
            case "keywords" -> javaKwargs = Map.of("to", "ada@example.com", "retries", 3);
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        message = actor.messageWithOptions(javaArgs, javaKwargs, Map.of());
        // Fail here, not in the measurement, if a shape does not bind.
        actor.perform(message);
    }

    @TearDown
    public void tearDown() {
        broker.close();
    }

    /** Java arguments to a message: conversion to JSON values, a fresh id and timestamp, the deep copy. */
    @Benchmark
    public Message message() {
        return actor.messageWithOptions(javaArgs, javaKwargs, Map.of());
    }

    /** A message's JSON arguments to the Java arguments of the call. */
    @Benchmark
    public Object[] bind() {
        return binder.bind(message);
    }

    /** Binding and the reflective call of the actor method, as a worker runs a message. */
    @Benchmark
    public Object perform() throws Exception {
        return actor.perform(message);
    }
}
