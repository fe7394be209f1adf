package dev.supaqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Fixtures for the tests of TimeLimit, ShutdownNotifications, CurrentMessage and MetricsMiddleware: a stub broker,
 * workers stopped after the test, actors with options, and a middleware recording the outcome of every attempt.
 */
final class InterruptTesting implements AutoCloseable {

    final StubBroker broker;
    final Outcomes outcomes = new Outcomes();
    private final List<Worker> workers = new ArrayList<>();

    /** The recorder goes last, so that its after hooks run first (as Retries, in the default order). */
    InterruptTesting(Middleware... middleware) {
        List<Middleware> all = new ArrayList<>(List.of(middleware));
        all.add(outcomes);
        broker = new StubBroker(all);
    }

    Worker start(int threads) {
        Worker worker = new Worker(broker, WorkerOptions.builder().workerThreads(threads)
                .consumerTimeout(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(5)).build());
        workers.add(worker);
        worker.start();
        return worker;
    }

    /** Waits for the queue to drain, then for the worker to settle everything. */
    void drain(Worker worker) throws InterruptedException {
        broker.join("default", Duration.ofSeconds(10));
        assertThat(worker.join(Duration.ofSeconds(10))).as("worker idle").isTrue();
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.stop(Duration.ofSeconds(2));
        }
        broker.close();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @FunctionalInterface
    interface Body {
        Object run(Message message) throws Exception;
    }

    /** Declares an actor on the default queue with these actor options. */
    Actor<Object> actor(String name, Map<String, Object> options, Body body) {
        BodyActor actor = new BodyActor(broker, name, options, body);
        broker.declareActor(actor);
        return actor;
    }

    /** Options that may hold null values (Map.of cannot). */
    static Map<String, Object> options(Object... keysAndValues) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return options;
    }

    /** What after_process_message and after_skip_message saw, per attempt, in order. */
    static final class Outcomes implements Middleware {

        record Attempt(MessageProxy proxy, String actorName, Object result, Throwable exception, boolean skipped) {
        }

        final List<Attempt> attempts = new CopyOnWriteArrayList<>();

        @Override
        public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
            attempts.add(new Attempt(message, message.actorName(), result, exception, false));
        }

        @Override
        public void afterSkipMessage(Broker broker, MessageProxy message) {
            attempts.add(new Attempt(message, message.actorName(), null, null, true));
        }

        List<Attempt> of(String actorName) {
            return attempts.stream().filter(a -> a.actorName().equals(actorName)).toList();
        }

        Attempt awaitOne(String actorName) throws InterruptedException {
            await("an attempt of " + actorName, () -> !of(actorName).isEmpty());
            return of(actorName).getFirst();
        }
    }

    private static final class BodyActor implements Actor<Object> {

        private final Broker broker;
        private final String name;
        private final Map<String, Object> options;
        private final Body body;

        BodyActor(Broker broker, String name, Map<String, Object> options, Body body) {
            this.broker = broker;
            this.name = name;
            this.options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
            this.body = body;
        }

        @Override
        public String actorName() {
            return name;
        }

        @Override
        public String queueName() {
            return "default";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Map<String, Object> options() {
            return options;
        }

        @Override
        public Broker broker() {
            return broker;
        }

        @Override
        public Message messageWithOptions(List<?> args, Map<String, ?> kwargs, Map<String, ?> messageOptions) {
            return Message.create("default", name, args, kwargs, messageOptions);
        }

        @Override
        public Object perform(Message message) throws Exception {
            return body.run(message);
        }
    }
}
