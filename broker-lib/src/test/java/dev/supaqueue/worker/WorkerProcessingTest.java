package dev.supaqueue.worker;

import static dev.supaqueue.worker.WorkerTesting.await;
import static dev.supaqueue.worker.WorkerTesting.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.ArgumentBindingException;
import dev.supaqueue.broker.ActorNotFoundException;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.SkipMessage;
import dev.supaqueue.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a worker does with messages: Dramatiq's checklist items 7–16 and the failure paths. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WorkerProcessingTest {

    private final List<WorkerTesting> fixtures = new ArrayList<>();

    private WorkerTesting fixture(Middleware... middleware) {
        WorkerTesting fixture = new WorkerTesting(new StubBroker(List.of(middleware)));
        fixtures.add(fixture);
        return fixture;
    }

    @AfterEach
    void stopWorkers() {
        fixtures.forEach(WorkerTesting::stopAll);
    }

    // 9
    @Test
    void processesEveryMessageWithItsKwargs() throws Exception {
        WorkerTesting t = fixture();
        Map<String, Object> database = new ConcurrentHashMap<>();
        TestActor put = TestActor.declare(t.broker, "put", m -> {
            database.put((String) m.kwargs().get("key"), m.kwargs().get("value"));
            return null;
        });
        Worker worker = t.start();

        for (int i = 0; i < 100; i++) {
            put.sendWithOptions(List.of(), Map.of("key", "key-" + i, "value", i), null, Map.of());
        }
        t.drain(worker, "default");

        assertThat(database).hasSize(100).containsEntry("key-0", 0).containsEntry("key-99", 99);
        assertThat(worker.stats().processed()).isEqualTo(100);
        assertThat(worker.stats().inFlight()).isZero();
    }

    // 10
    @Test
    void delaysAreHonouredIndependently() throws Exception {
        WorkerTesting t = fixture();
        List<Integer> order = new CopyOnWriteArrayList<>();
        Map<Integer, Long> ranAfterMillis = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        TestActor append = TestActor.declare(t.broker, "append", m -> {
            int x = ((Number) m.args().getFirst()).intValue();
            ranAfterMillis.put(x, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            order.add(x);
            return null;
        });
        Worker worker = t.start();

        append.sendWithOptions(List.of(450), Map.of(), Duration.ofMillis(450), Map.of());
        append.sendWithOptions(List.of(300), Map.of(), Duration.ofMillis(300), Map.of());
        t.drain(worker, "default");

        assertThat(order).containsExactly(300, 450);
        assertThat(ranAfterMillis.get(300)).isGreaterThanOrEqualTo(300);
        assertThat(ranAfterMillis.get(450)).isGreaterThanOrEqualTo(450);
    }

    // 11
    @Test
    void unknownActorIsDeadLetteredAndTheWorkerGoesOn() throws Exception {
        WorkerTesting t = fixture();
        AtomicInteger calls = new AtomicInteger();
        TestActor known = TestActor.declare(t.broker, "known", m -> calls.incrementAndGet());
        Worker worker = t.start();

        Message orphan = t.broker.enqueue(Message.create("default", "missing", List.of(), Map.of(), Map.of()));
        assertThatThrownBy(() -> t.broker.join("default", Duration.ofSeconds(5), true))
                .isInstanceOf(ActorNotFoundException.class)
                .hasMessageContaining("missing");

        assertThat(t.broker.deadLetters("default")).extracting(Message::messageId)
                .containsExactly(orphan.messageId());
        known.send();
        t.broker.join("default", Duration.ofSeconds(5));
        assertThat(worker.join(Duration.ofSeconds(5))).isTrue();
        assertThat(calls).hasValue(1);
        WorkerStats stats = worker.stats();
        assertThat(stats.failed()).isEqualTo(1);
        assertThat(stats.deadLettered()).isEqualTo(1);
        assertThat(stats.actors()).containsOnlyKeys("known");
    }

    // 12, as far as the worker is concerned: it runs a message whatever its eta (delays are the broker's job)
    @Test
    void nullOrNonNumericEtaRunsAtOnce() throws Exception {
        WorkerTesting t = fixture();
        List<Object> ran = new CopyOnWriteArrayList<>();
        TestActor actor = TestActor.declare(t.broker, "actor", m -> ran.add(m.args().getFirst()));
        Worker worker = t.start();
        Map<String, Object> nullEta = new HashMap<>();
        nullEta.put("eta", null);

        t.broker.enqueue(actor.messageWithOptions(List.of("null"), Map.of(), nullEta));
        t.broker.enqueue(actor.messageWithOptions(List.of("text"), Map.of(), Map.of("eta", "soon")));
        t.drain(worker, "default");

        assertThat(ran).containsExactlyInAnyOrder("null", "text");
    }

    // 13
    @Test
    void lowerPriorityNumbersRunFirst() throws Exception {
        WorkerTesting t = fixture();
        List<String> calls = new CopyOnWriteArrayList<>();
        TestActor hi = TestActor.declare(t.broker, "hi", "default", 0, m -> calls.add("hi"));
        TestActor lo = TestActor.declare(t.broker, "lo", "default", 10, m -> calls.add("lo"));
        Worker worker = t.start(options().workerThreads(1).prefetch(20));
        worker.pauseWorkerThreads();

        for (int i = 0; i < 10; i++) {
            lo.send();
            hi.send();
        }
        await("20 messages in memory", () -> worker.waitingCount() == 20);
        assertThat(calls).isEmpty();
        worker.resume();
        t.drain(worker, "default");

        assertThat(calls).containsExactlyElementsOf(
                concat(Collections.nCopies(10, "hi"), Collections.nCopies(10, "lo")));
    }

    // 14
    @Test
    void equalPrioritiesRunInArrivalOrder() throws Exception {
        WorkerTesting t = fixture();
        List<String> calls = new CopyOnWriteArrayList<>();
        TestActor a = TestActor.declare(t.broker, "a", m -> calls.add("a" + m.args().getFirst()));
        TestActor b = TestActor.declare(t.broker, "b", m -> calls.add("b" + m.args().getFirst()));
        Worker worker = t.start(options().workerThreads(1).prefetch(20));
        worker.pauseWorkerThreads();

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            a.send(i);
            b.send(i);
            sent.add("a" + i);
            sent.add("b" + i);
        }
        await("20 messages in memory", () -> worker.waitingCount() == 20);
        worker.resume();
        t.drain(worker, "default");

        assertThat(calls).containsExactlyElementsOf(sent);
    }

    // 15
    @Test
    void pausedWorkerRunsNothingUntilResumed() throws Exception {
        WorkerTesting t = fixture();
        AtomicInteger calls = new AtomicInteger();
        TestActor actor = TestActor.declare(t.broker, "track", m -> calls.incrementAndGet());
        Worker worker = t.start();
        worker.pause();
        assertThat(worker.isPaused()).isTrue();

        actor.send();
        Thread.sleep(300);
        assertThat(calls).hasValue(0);

        worker.resume();
        t.drain(worker, "default");
        assertThat(calls).hasValue(1);
        assertThat(worker.isPaused()).isFalse();
    }

    // 15
    @Test
    void consumesOnlyWhitelistedQueuesIncludingLaterDeclaredOnes() throws Exception {
        WorkerTesting t = fixture();
        List<String> calls = new CopyOnWriteArrayList<>();
        t.broker.declareQueue("a");
        t.broker.declareQueue("other");
        Worker worker = t.start(options().queues("a", "b"));
        TestActor inB = TestActor.declare(t.broker, "in_b", "b", 0, m -> calls.add("b"));
        TestActor inC = TestActor.declare(t.broker, "in_c", "c", 0, m -> calls.add("c"));

        assertThat(worker.consumedQueues()).containsExactly("a", "b");
        inB.send();
        inC.send();
        t.drain(worker, "b");
        Thread.sleep(300);

        assertThat(calls).containsExactly("b");
        assertThat(t.broker.queueSize("c")).isEqualTo(1);
    }

    @Test
    void allQueuesByDefaultIncludingOnesDeclaredWhileRunning() throws Exception {
        WorkerTesting t = fixture();
        AtomicInteger calls = new AtomicInteger();
        t.broker.declareQueue("early");
        Worker worker = t.start();
        TestActor late = TestActor.declare(t.broker, "late", "late_queue", 0, m -> calls.incrementAndGet());

        late.send();
        t.drain(worker, "late_queue");

        assertThat(calls).hasValue(1);
        assertThat(worker.consumedQueues()).containsExactly("early", "late_queue");
    }

    // 16
    @Test
    void prefetchCapsTheMessagesInMemory() throws Exception {
        WorkerTesting t = fixture();
        AtomicInteger calls = new AtomicInteger();
        TestActor actor = TestActor.declare(t.broker, "actor", m -> calls.incrementAndGet());
        Worker worker = t.start(options().prefetch(5));
        worker.pauseWorkerThreads();

        for (int i = 0; i < 15; i++) {
            actor.send(i);
        }
        await("5 messages in memory", () -> worker.waitingCount() == 5);
        Thread.sleep(200);

        assertThat(worker.waitingCount()).isEqualTo(5);
        assertThat(worker.stats().inFlight()).isEqualTo(5);
        assertThat(t.broker.queueSize("default")).isEqualTo(10);
        assertThat(calls).hasValue(0);

        worker.resume();
        t.drain(worker, "default");
        assertThat(calls).hasValue(15);
    }

    // 7
    @Test
    void exceptionsInHooksDoNotFailTheMessage() throws Exception {
        AtomicInteger hookCalls = new AtomicInteger();
        Middleware faulty = new Middleware() {
            @Override
            public void beforeProcessMessage(Broker broker, MessageProxy message) {
                hookCalls.incrementAndGet();
                throw new IllegalStateException("before_process_message is broken");
            }

            @Override
            public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
                hookCalls.incrementAndGet();
                throw new IllegalStateException("after_process_message is broken");
            }

            @Override
            public void beforeAck(Broker broker, MessageProxy message) {
                hookCalls.incrementAndGet();
                throw new IllegalStateException("before_ack is broken");
            }

            @Override
            public void afterAck(Broker broker, MessageProxy message) {
                hookCalls.incrementAndGet();
                throw new IllegalStateException("after_ack is broken");
            }
        };
        WorkerTesting t = fixture(faulty);
        AtomicInteger calls = new AtomicInteger();
        TestActor actor = TestActor.declare(t.broker, "actor", m -> calls.incrementAndGet());
        Worker worker = t.start();

        actor.send();
        t.drain(worker, "default");

        assertThat(calls).hasValue(1);
        assertThat(hookCalls).hasValue(4);
        assertThat(t.broker.deadLetters("default")).isEmpty();
        assertThat(worker.stats().processed()).isEqualTo(1);
    }

    // 8
    @Test
    void skippedMessageDoesNotRunTheActorAndIsAcked() throws Exception {
        Recorder recorder = new Recorder(false);
        WorkerTesting t = fixture(recorder);
        AtomicInteger calls = new AtomicInteger();
        TestActor actor = TestActor.declare(t.broker, "actor", m -> calls.incrementAndGet());
        Worker worker = t.start();

        actor.send();
        t.drain(worker, "default");

        assertThat(calls).hasValue(0);
        assertThat(recorder.events).containsExactly("skip", "ack");
        assertThat(t.broker.deadLetters("default")).isEmpty();
        assertThat(worker.stats().skipped()).isEqualTo(1);
        assertThat(worker.stats().actor("actor").skipped()).isEqualTo(1);
    }

    // 8, with fail()
    @Test
    void skippedAndFailedMessageIsDeadLettered() throws Exception {
        Recorder recorder = new Recorder(true);
        WorkerTesting t = fixture(recorder);
        AtomicInteger calls = new AtomicInteger();
        TestActor actor = TestActor.declare(t.broker, "actor", m -> calls.incrementAndGet());
        Worker worker = t.start();

        Message sent = actor.send();
        t.drain(worker, "default");

        assertThat(calls).hasValue(0);
        assertThat(recorder.events).containsExactly("skip", "nack");
        assertThat(t.broker.deadLetters("default")).extracting(Message::messageId).containsExactly(sent.messageId());
        assertThat(worker.stats().deadLettered()).isEqualTo(1);
    }

    @Test
    void argumentBindingFailureIsDeadLetteredAtOnce() throws Exception {
        Recorder recorder = new Recorder(null);
        WorkerTesting t = fixture(recorder);
        AtomicInteger attempts = new AtomicInteger();
        TestActor actor = TestActor.declare(t.broker, "typed", m -> {
            attempts.incrementAndGet();
            throw new ArgumentBindingException("parameter 'count' expects an int, got \"three\"");
        });
        Worker worker = t.start();

        Message sent = actor.send("three");
        assertThatThrownBy(() -> t.drain(worker, "default"))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessageContaining("count");

        assertThat(attempts).hasValue(1);
        // The dead letter is visible before the worker thread runs the after_nack hook that records "nack".
        WorkerTesting.await("the nack hook", () -> recorder.events.contains("nack"));
        assertThat(recorder.events).containsExactly(
                "process failed=true ArgumentBindingException", "nack");
        assertThat(t.broker.deadLetters("default")).extracting(Message::messageId).containsExactly(sent.messageId());
        assertThat(worker.stats().actor("typed").failed()).isEqualTo(1);
    }

    // Without Retries, as Dramatiq: logged, then acked
    @Test
    void unhandledExceptionIsLoggedAndAcked() throws Exception {
        Recorder recorder = new Recorder(null);
        WorkerTesting t = fixture(recorder);
        TestActor actor = TestActor.declare(t.broker, "explode", m -> {
            throw new IllegalStateException("boom");
        });
        Worker worker = t.start();

        Message sent;
        try (LogCapture log = new LogCapture()) {
            sent = actor.send();
            t.drain(worker, "default");
            assertThat(log.text()).contains("ERROR", "Failed to process message " + sent.messageId(),
                    "actor 'explode'", "IllegalStateException: boom");
        }

        assertThat(recorder.events).containsExactly("process failed=false IllegalStateException", "ack");
        assertThat(t.broker.deadLetters("default")).isEmpty();
        // Checklist 44: the proxy keeps no exception once processed.
        assertThat(recorder.lastProxy.get().exception()).isNull();
        assertThat(worker.stats().failed()).isEqualTo(1);
        assertThat(worker.stats().processed()).isZero();
    }

    @Test
    void countsOutcomesPerActor() throws Exception {
        Middleware skipSkippy = new Middleware() {
            @Override
            public void beforeProcessMessage(Broker broker, MessageProxy message) {
                if (message.actorName().equals("skippy")) {
                    throw new SkipMessage("not today");
                }
            }
        };
        WorkerTesting t = fixture(skipSkippy);
        TestActor ok = TestActor.declare(t.broker, "ok", m -> {
            Thread.sleep(2);
            return "fine";
        });
        TestActor bad = TestActor.declare(t.broker, "bad", m -> {
            throw new IllegalArgumentException("expected by the test");
        });
        TestActor skippy = TestActor.declare(t.broker, "skippy", m -> null);
        Worker worker = t.start();

        for (int i = 0; i < 3; i++) {
            ok.send();
        }
        bad.send();
        bad.send();
        skippy.send();
        t.drain(worker, "default");

        WorkerStats stats = worker.stats();
        assertThat(stats.processed()).isEqualTo(3);
        assertThat(stats.failed()).isEqualTo(2);
        assertThat(stats.skipped()).isEqualTo(1);
        assertThat(stats.deadLettered()).isZero();
        assertThat(stats.running()).isZero();
        assertThat(stats.waiting()).isZero();
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.actor("ok").processed()).isEqualTo(3);
        assertThat(stats.actor("ok").meanRunTime()).isGreaterThanOrEqualTo(Duration.ofMillis(2));
        assertThat(stats.actor("bad")).extracting(ActorStats::failed, ActorStats::attempts).containsExactly(2L, 2L);
        assertThat(stats.actor("skippy").skipped()).isEqualTo(1);
        assertThat(stats.actor("never")).isEqualTo(ActorStats.NONE);
    }

    @Test
    void knowsWhichThreadRunsWhichMessage() throws Exception {
        WorkerTesting t = fixture();
        AtomicReference<Worker> workerRef = new AtomicReference<>();
        AtomicReference<String> seenId = new AtomicReference<>();
        AtomicReference<List<RunningMessage>> seenRunning = new AtomicReference<>();
        TestActor actor = TestActor.declare(t.broker, "introspect", m -> {
            Worker w = workerRef.get();
            seenId.set(w.currentMessage(Thread.currentThread()).map(MessageProxy::messageId).orElse(null));
            seenRunning.set(w.runningMessages());
            return null;
        });
        Worker worker = t.start();
        workerRef.set(worker);

        Message sent = actor.send();
        t.drain(worker, "default");

        assertThat(seenId).hasValue(sent.messageId());
        assertThat(seenRunning.get()).singleElement().satisfies(r -> {
            assertThat(r.message().messageId()).isEqualTo(sent.messageId());
            assertThat(r.thread().getName()).startsWith("supaqueue-worker-");
        });
        assertThat(worker.currentMessage(Thread.currentThread())).isEmpty();
        assertThat(worker.runningMessages()).isEmpty();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Records processing outcomes and settlements. With {@code skip} non-null it skips every message, failing it
     * too when {@code skip} is true.
     */
    private static final class Recorder implements Middleware {

        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicReference<MessageProxy> lastProxy = new AtomicReference<>();
        private final Boolean skip;

        Recorder(Boolean skip) {
            this.skip = skip;
        }

        @Override
        public void beforeProcessMessage(Broker broker, MessageProxy message) {
            if (skip != null) {
                if (skip) {
                    message.fail();
                }
                throw new SkipMessage("skipped by the test");
            }
        }

        @Override
        public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
            // The exception is stuffed before the after hooks run.
            String stuffed = message.exception() == exception ? "" : " (not stuffed)";
            events.add("process failed=" + message.failed() + " "
                    + (exception == null ? "ok" : exception.getClass().getSimpleName()) + stuffed);
        }

        @Override
        public void afterSkipMessage(Broker broker, MessageProxy message) {
            events.add("skip");
        }

        @Override
        public void afterAck(Broker broker, MessageProxy message) {
            lastProxy.set(message);
            events.add("ack");
        }

        @Override
        public void afterNack(Broker broker, MessageProxy message) {
            lastProxy.set(message);
            events.add("nack");
        }
    }
}
