package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.MiddlewareException;
import dev.supaqueue.middleware.SkipMessage;
import dev.supaqueue.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Middleware on the broker: hook order, positions, failures, late registration (DRAMATIQ.md §1.2, §7 items 5–8). */
class BrokerMiddlewareTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    /** Distinct classes, because positions and duplicates are by class. */
    static class First extends RecordingMiddleware {
        First(String label, List<String> calls) {
            super(label, calls);
        }
    }

    static class Second extends RecordingMiddleware {
        Second(String label, List<String> calls) {
            super(label, calls);
        }
    }

    static class Third extends RecordingMiddleware {
        Third(String label, List<String> calls) {
            super(label, calls);
        }
    }

    /** Throws from every hook it overrides, as a buggy middleware would. */
    static class Faulty implements Middleware {
        @Override
        public void beforeDeclareQueue(Broker broker, String queueName) {
            throw new IllegalStateException("faulty beforeDeclareQueue");
        }

        @Override
        public void afterDeclareQueue(Broker broker, String queueName) {
            throw new IllegalStateException("faulty afterDeclareQueue");
        }

        @Override
        public void beforeEnqueue(Broker broker, Message message, Duration delay) {
            throw new IllegalStateException("faulty beforeEnqueue");
        }

        @Override
        public void afterEnqueue(Broker broker, Message message, Duration delay) {
            throw new IllegalStateException("faulty afterEnqueue");
        }

        @Override
        public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
            throw new MiddlewareException("even a MiddlewareException is swallowed in an after hook");
        }
    }

    private static Message message(String queue) {
        return Message.create(queue, "act", List.of(1), Map.of(), Map.of());
    }

    @Test
    void beforeHooksRunInListOrderAndAfterHooksInReverse() {
        StubBroker broker = new StubBroker(List.of(
                new RecordingMiddleware("A", calls), new RecordingMiddleware("B", calls),
                new RecordingMiddleware("C", calls)));

        broker.declareQueue("q");
        broker.enqueue(message("q"));

        assertThat(calls).containsExactly(
                "A:beforeDeclareQueue(q)", "B:beforeDeclareQueue(q)", "C:beforeDeclareQueue(q)",
                "C:afterDeclareQueue(q)", "B:afterDeclareQueue(q)", "A:afterDeclareQueue(q)",
                "A:beforeEnqueue(q, 0ms)", "B:beforeEnqueue(q, 0ms)", "C:beforeEnqueue(q, 0ms)",
                "C:afterEnqueue(q, 0ms)", "B:afterEnqueue(q, 0ms)", "A:afterEnqueue(q, 0ms)");
    }

    @Test
    void emitBeforeAndEmitAfterFollowTheSameOrderForAnyHook() {
        StubBroker broker = new StubBroker(List.of(
                new RecordingMiddleware("A", calls), new RecordingMiddleware("B", calls)));
        MessageProxy proxy = new MessageProxy(message("q"), 1, 1);

        broker.emitBefore("process_message", m -> m.beforeProcessMessage(broker, proxy));
        broker.emitAfter("process_message", m -> m.afterProcessMessage(broker, proxy, null, null));

        String id = proxy.messageId();
        assertThat(calls).containsExactly("A:beforeProcessMessage(" + id + ")", "B:beforeProcessMessage(" + id + ")",
                "B:afterProcessMessage(" + id + ")", "A:afterProcessMessage(" + id + ")");
    }

    @Test
    void anEmptyListMeansNoMiddleware() {
        assertThat(new StubBroker(List.of()).middleware()).isEmpty();
        assertThat(new StubBroker().middleware()).isEmpty();
        assertThat(new StubBroker().actorOptions()).isEmpty();
    }

    @Test
    void addMiddlewareAppends() {
        RecordingMiddleware a = new First("A", calls);
        RecordingMiddleware b = new Second("B", calls);
        StubBroker broker = new StubBroker(List.of(a));

        broker.addMiddleware(b);

        assertThat(broker.middleware()).containsExactly(a, b);
    }

    @Test
    void addMiddlewareBeforeAndAfterInsertNextToTheFirstInstanceOfTheReferenceClass() {
        First first1 = new First("F1", calls);
        Second second = new Second("S", calls);
        First first2 = new First("F2", calls);
        StubBroker broker = new StubBroker(List.of(first1, second, first2));

        Third before = new Third("before", calls);
        broker.addMiddlewareBefore(before, Second.class);
        assertThat(broker.middleware()).containsExactly(first1, before, second, first2);

        Third after = new Third("after", calls);
        broker.addMiddlewareAfter(after, First.class);
        assertThat(broker.middleware()).containsExactly(first1, after, before, second, first2);

        // A superclass matches its subclasses: the first RecordingMiddleware is first1.
        RecordingMiddleware front = new RecordingMiddleware("front", calls);
        broker.addMiddlewareBefore(front, RecordingMiddleware.class);
        assertThat(broker.middleware()).containsExactly(front, first1, after, before, second, first2);
    }

    @Test
    void insertedMiddlewareTakesItsPlaceInHookOrder() {
        StubBroker broker = new StubBroker(List.of(new First("A", calls), new Second("C", calls)));
        broker.addMiddlewareAfter(new Third("B", calls), First.class);

        broker.declareQueue("q");

        assertThat(calls).containsExactly(
                "A:beforeDeclareQueue(q)", "B:beforeDeclareQueue(q)", "C:beforeDeclareQueue(q)",
                "C:afterDeclareQueue(q)", "B:afterDeclareQueue(q)", "A:afterDeclareQueue(q)");
    }

    @Test
    void anUnknownReferenceIsAnIllegalArgumentAndAddsNothing() {
        First first = new First("A", calls);
        StubBroker broker = new StubBroker(List.of(first));

        assertThatThrownBy(() -> broker.addMiddlewareBefore(new Second("B", calls), Third.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Third.class.getName());
        assertThatThrownBy(() -> broker.addMiddlewareAfter(new Second("B", calls), Third.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Third.class.getName());
        assertThat(broker.middleware()).containsExactly(first);
    }

    @Test
    void aSecondMiddlewareOfTheSameClassIsAddedWithAWarning() {
        First one = new First("A", calls);
        First two = new First("B", calls);
        StubBroker broker = new StubBroker(List.of(one));

        String log = captureStderr(() -> broker.addMiddleware(two));

        assertThat(broker.middleware()).containsExactly(one, two);
        assertThat(log).contains("WARN").contains(First.class.getName()).contains("already on the broker");
    }

    @Test
    void differentClassesAreAddedWithoutAWarning() {
        StubBroker broker = new StubBroker(List.of(new First("A", calls)));

        String log = captureStderr(() -> broker.addMiddleware(new Second("B", calls)));

        assertThat(log).doesNotContain("WARN");
    }

    @Test
    void anExceptionInAHookIsSwallowedAndTheOtherMiddlewareAreStillCalled() {
        StubBroker broker = new StubBroker(List.of(
                new RecordingMiddleware("A", calls), new Faulty(), new RecordingMiddleware("C", calls)));

        assertThatCode(() -> broker.declareQueue("q")).doesNotThrowAnyException();
        Message enqueued = broker.enqueue(message("q"));

        assertThat(enqueued).isNotNull();
        assertThat(broker.queueSize("q")).isEqualTo(1);
        assertThat(broker.isDeclared("q")).isTrue();
        assertThat(calls).containsExactly(
                "A:beforeDeclareQueue(q)", "C:beforeDeclareQueue(q)",
                "C:afterDeclareQueue(q)", "A:afterDeclareQueue(q)",
                "A:beforeEnqueue(q, 0ms)", "C:beforeEnqueue(q, 0ms)",
                "C:afterEnqueue(q, 0ms)", "A:afterEnqueue(q, 0ms)");
    }

    @Test
    void everyExceptionInAnAfterHookIsSwallowed() {
        StubBroker broker = new StubBroker(List.of(new RecordingMiddleware("A", calls), new Faulty()));
        MessageProxy proxy = new MessageProxy(message("q"), 1, 1);

        assertThatCode(() -> broker.emitAfter("process_message",
                m -> m.afterProcessMessage(broker, proxy, null, null))).doesNotThrowAnyException();
        assertThat(calls).containsExactly("A:afterProcessMessage(" + proxy.messageId() + ")");
    }

    @Test
    void skipMessageFromABeforeHookPropagatesAndStopsTheDispatch() {
        Middleware skipper = new Middleware() {
            @Override
            public void beforeProcessMessage(Broker broker, MessageProxy message) {
                throw new SkipMessage("too old");
            }
        };
        StubBroker broker = new StubBroker(List.of(
                new RecordingMiddleware("A", calls), skipper, new RecordingMiddleware("C", calls)));
        MessageProxy proxy = new MessageProxy(message("q"), 1, 1);

        assertThatThrownBy(() -> broker.emitBefore("process_message", m -> m.beforeProcessMessage(broker, proxy)))
                .isInstanceOf(SkipMessage.class)
                .hasMessage("too old");
        assertThat(calls).containsExactly("A:beforeProcessMessage(" + proxy.messageId() + ")");
    }

    @Test
    void aMiddlewareExceptionFromBeforeEnqueuePropagatesAndNothingIsStored() {
        Middleware refuser = new Middleware() {
            @Override
            public void beforeEnqueue(Broker broker, Message message, Duration delay) {
                throw new MiddlewareException("no enqueues today");
            }
        };
        StubBroker broker = new StubBroker(List.of(
                new RecordingMiddleware("A", calls), refuser, new RecordingMiddleware("C", calls)));
        broker.declareQueue("q");
        calls.clear();

        assertThatThrownBy(() -> broker.enqueue(message("q")))
                .isInstanceOf(MiddlewareException.class)
                .hasMessage("no enqueues today");
        assertThat(broker.queueSize("q")).isZero();
        assertThat(calls).containsExactly("A:beforeEnqueue(q, 0ms)");
    }

    @Test
    void aMiddlewareAddedLateSeesWhatWasDeclaredBefore() {
        StubBroker broker = new StubBroker();
        TestActor.declare(broker, "first", "q1");
        broker.declareQueue("q2");
        TestActor.declare(broker, "second", "q1");

        broker.addMiddleware(new RecordingMiddleware("late", calls));

        // Only after-hooks are replayed: actors, then queues, in declaration order.
        assertThat(calls).containsExactly(
                "late:afterDeclareActor(first)", "late:afterDeclareActor(second)",
                "late:afterDeclareQueue(q1)", "late:afterDeclareQueue(q2)");
    }

    @Test
    void aMiddlewareAddedLateThenSeesNewDeclarationsAsUsual() {
        StubBroker broker = new StubBroker();
        broker.addMiddleware(new RecordingMiddleware("late", calls));

        broker.declareQueue("q");

        assertThat(calls).containsExactly("late:beforeDeclareQueue(q)", "late:afterDeclareQueue(q)");
    }

    @Test
    void actorOptionsAreTheUnionOverTheMiddleware() {
        StubBroker broker = new StubBroker(List.of(
                new First("A", calls) {
                    @Override
                    public Set<String> actorOptions() {
                        return Set.of("max_retries", "min_backoff");
                    }
                },
                new RecordingMiddleware("B", calls, Set.of("time_limit", "max_retries"))));

        assertThat(broker.actorOptions()).containsExactlyInAnyOrder("max_retries", "min_backoff", "time_limit");

        broker.addMiddleware(new RecordingMiddleware("C", calls, Set.of("max_age")));

        assertThat(broker.actorOptions())
                .containsExactlyInAnyOrder("max_retries", "min_backoff", "time_limit", "max_age");
        // An actor may now use the late middleware's option.
        assertThatCode(() -> broker.declareActor(new TestActor(broker, "aged", "q", Map.of("max_age", 1000))))
                .doesNotThrowAnyException();
    }

    /**
     * What the broker logs while {@code action} runs. slf4j-simple, the test binding, writes to whatever
     * {@code System.err} is at the time of each call.
     */
    private static String captureStderr(Runnable action) {
        try (LogCapture log = new LogCapture()) {
            action.run();
            return log.text();
        }
    }
}
