package dev.supaqueue.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.Actor0;
import dev.supaqueue.actor.Actor2;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.composition.Pipeline;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.DefaultMiddleware;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.SkipMessage;
import dev.supaqueue.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DRAMATIQ.md checklist 32–35 with the stub broker and the stub result backend. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResultsMiddlewareTest {

    private final StubResultBackend backend = new StubResultBackend();

    private ResultsFixture fixture(Middleware... extra) {
        // Appended after Retries, as Dramatiq's documentation does.
        return new ResultsFixture(DefaultMiddleware.with(extra));
    }

    @Test
    void storesAndGetsResultsBlockingAndNot() throws Exception {
        try (ResultsFixture f = fixture(new Results(backend))) {
            Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").on(f.broker)
                    .option(ActorOptions.STORE_RESULTS, true).function(Integer.class, Integer.class, Integer::sum);
            Message message = add.send(1, 2);
            assertThatThrownBy(() -> backend.get(message)).isInstanceOf(ResultMissing.class)
                    .hasMessageContaining(message.messageId());
            f.start();
            assertThat(backend.getResult(message, Duration.ofSeconds(10), Integer.class)).isEqualTo(3);
            assertThat(backend.getResult(message, Integer.class)).as("non-blocking, once stored").isEqualTo(3);
            assertThat(backend.get(message).json()).isEqualTo(3);
        }
    }

    @Test
    void blockingGetTimesOut() {
        Message never = Message.create("default", "nobody", List.of(), Map.of(), Map.of());
        long start = System.nanoTime();
        assertThatThrownBy(() -> backend.get(never, Duration.ofMillis(300))).isInstanceOf(ResultTimeout.class)
                .isInstanceOf(ResultError.class).hasMessageContaining("300 ms");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).isBetween(290L, 3000L);
    }

    @Test
    void resultsAreBoundToGenericTypes() throws Exception {
        try (ResultsFixture f = fixture(new Results(backend, true, null))) {
            Actor0<List<Integer>> list = ActorDefinition.named("list").on(f.broker).function(() -> List.of(1, 2));
            Message message = list.send();
            f.start();
            Object value = backend.getResult(message, Duration.ofSeconds(10),
                    ActorTypes.LIST_OF_LONG);
            assertThat(value).isEqualTo(List.of(1L, 2L));
            assertThatThrownBy(() -> backend.getResult(message, Boolean.class)).isInstanceOf(ResultError.class)
                    .hasMessageContaining("java.lang.Boolean");
        }
    }

    @Test
    void finalFailuresAreStoredInDramatiqsFormat() throws Exception {
        try (ResultsFixture f = fixture(new Results(backend))) {
            Actor0<Integer> fail = ActorDefinition.named("fail").on(f.broker).option(ActorOptions.STORE_RESULTS, true)
                    .option(ActorOptions.MAX_RETRIES, 0).function(() -> {
                        throw new IllegalStateException("boom");
                    });
            Message message = fail.send();
            f.start();
            StoredResult stored = backend.get(message, Duration.ofSeconds(10));
            assertThat(stored.isFailure()).isTrue();
            assertThat(stored.json()).isEqualTo(Map.of("__t", "dramatiq.results.Result",
                    "exn", Map.of("type", "IllegalStateException", "msg", "boom")));
            assertThatThrownBy(() -> backend.getResult(message, Integer.class)).isInstanceOfSatisfying(
                    ResultFailure.class, e -> {
                        assertThat(e).hasMessage("actor raised IllegalStateException: boom");
                        assertThat(e.origExcType()).isEqualTo("IllegalStateException");
                        assertThat(e.origExcMsg()).isEqualTo("boom");
                    });
        }
    }

    @Test
    void aRetriedFailureStoresNothingAndTheLaterSuccessIsStored() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (ResultsFixture f = fixture(new Results(backend))) {
            Actor0<String> flaky = ActorDefinition.named("flaky").on(f.broker)
                    .options(Map.of(ActorOptions.STORE_RESULTS, true, ActorOptions.MAX_RETRIES, 3,
                            ActorOptions.MIN_BACKOFF, 10, ActorOptions.MAX_BACKOFF, 20))
                    .function(() -> {
                        if (attempts.incrementAndGet() < 3) {
                            throw new IllegalStateException("not yet");
                        }
                        return "done";
                    });
            Message message = flaky.send();
            f.start();
            assertThat(backend.getResult(message, Duration.ofSeconds(10), String.class)).isEqualTo("done");
            assertThat(attempts).hasValue(3);
        }
    }

    @Test
    void aFailedAttemptThatWillBeRetriedStoresNothing() {
        Results results = new Results(backend, true, null);
        try (StubBroker broker = new StubBroker(List.of(results))) {
            Message message = Message.create("default", "any", List.of(), Map.of(), Map.of());
            MessageProxy proxy = new MessageProxy(message, 1, 1);
            results.afterProcessMessage(broker, proxy, null, new IllegalStateException("retry me"));
            assertThat(backend.peek(message)).isEmpty();
            // Once dead-lettered, the failure is final and stored.
            proxy.stuffException(new IllegalStateException("retry me"));
            proxy.fail();
            results.afterNack(broker, proxy);
            assertThat(backend.get(message).failure()).get().extracting(ResultFailure::origExcMsg)
                    .isEqualTo("retry me");
        }
    }

    @Test
    void exhaustedRetriesStoreTheLastFailure() throws Exception {
        try (ResultsFixture f = fixture(new Results(backend, true, null))) {
            Actor0<Integer> fail = ActorDefinition.named("fail").on(f.broker)
                    .options(Map.of(ActorOptions.MAX_RETRIES, 2, ActorOptions.MIN_BACKOFF, 10,
                            ActorOptions.MAX_BACKOFF, 20))
                    .function(() -> {
                        throw new UnsupportedOperationException();
                    });
            Message message = fail.send();
            f.start();
            f.drain("default");
            assertThatThrownBy(() -> backend.getResult(message, Integer.class))
                    .isInstanceOf(ResultFailure.class).hasMessage("actor raised UnsupportedOperationException: ");
            assertThat(f.broker.deadLetters("default")).hasSize(1);
        }
    }

    @Test
    void anAgeLimitSkipStoresASkipMessageFailure() throws Exception {
        try (ResultsFixture f = fixture(new Results(backend))) {
            Actor0<Integer> old = ActorDefinition.named("old").on(f.broker)
                    .options(Map.of(ActorOptions.STORE_RESULTS, true, ActorOptions.MAX_AGE, 1000))
                    .function(() -> 1);
            Message fresh = old.message();
            Message stale = new Message(fresh.queueName(), fresh.actorName(), fresh.args(), fresh.kwargs(),
                    fresh.options(), fresh.messageId(), fresh.messageTimestamp() - 60_000);
            f.broker.enqueue(stale);
            f.start();
            assertThatThrownBy(() -> backend.getResult(stale, Duration.ofSeconds(10), Integer.class))
                    .isInstanceOfSatisfying(ResultFailure.class,
                            e -> assertThat(e.origExcType()).isEqualTo("SkipMessage"));
        }
    }

    @Test
    void aSkipWithoutFailStoresNull() throws Exception {
        Middleware skipper = new Middleware() {
            @Override
            public void beforeProcessMessage(Broker broker, MessageProxy message) {
                throw new SkipMessage("not today");
            }
        };
        try (ResultsFixture f = fixture(new Results(backend), skipper)) {
            Actor0<Integer> skipped = ActorDefinition.named("skipped").on(f.broker)
                    .option(ActorOptions.STORE_RESULTS, true).function(() -> 1);
            Message message = skipped.send();
            f.start();
            StoredResult stored = backend.get(message, Duration.ofSeconds(10));
            assertThat(stored.isFailure()).isFalse();
            assertThat(stored.value()).isNull();
        }
    }

    @Test
    void warnsWhenAValueIsDroppedButNotForPipelinesOrStoredResults() throws Exception {
        try (LogCapture log = new LogCapture();
             ResultsFixture f = fixture(new Results(backend))) {
            Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").on(f.broker)
                    .function(Integer.class, Integer.class, Integer::sum);
            Actor2<Integer, Integer, Integer> kept = ActorDefinition.named("kept").on(f.broker)
                    .option(ActorOptions.STORE_RESULTS, true).function(Integer.class, Integer.class, Integer::sum);
            Pipeline.pipeline(List.of(add.message(1, 2), kept.message(3)), f.broker).run();
            f.start();
            f.drain("default");
            assertThat(log.text()).doesNotContain("store_results is not set");
            add.send(1, 1);
            f.drain("default");
            assertThat(log.text()).contains("Actor 'add' returned a value that is not null, but store_results is"
                    + " not set");
        }
    }

    @Test
    void theMessageOptionOverridesTheActorOption() throws Exception {
        try (ResultsFixture f = fixture(new Results(backend))) {
            Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").on(f.broker)
                    .function(Integer.class, Integer.class, Integer::sum);
            Message message = f.broker.enqueue(add.messageWithOptions(List.of(2, 2), Map.of(),
                    Map.of(ActorOptions.STORE_RESULTS, true, ActorOptions.RESULT_TTL, 60_000)));
            f.start();
            assertThat(backend.getResult(message, Duration.ofSeconds(10), Integer.class)).isEqualTo(4);
        }
    }

    @Test
    void keysAreMd5ByDefaultAndReadableWhenAsked() throws Exception {
        StubResultBackend readable = new StubResultBackend(ResultKeys.readable(), java.time.Clock.systemUTC());
        Message message = Message.create("default.DQ", "add", List.of(), Map.of(), Map.of());
        String plain = "dramatiq-results:default:add:" + message.messageId();
        assertThat(ResultKeys.readable().keyOf(message)).isEqualTo(plain);
        String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(ResultKeys.md5().keyOf(message)).isEqualTo(md5).hasSize(32);
        readable.store(message, 5, Duration.ofMinutes(1));
        backend.store(message, 5, Duration.ofMinutes(1));
        assertThat(readable.keySet()).containsExactly(plain);
        assertThat(backend.keySet()).containsExactly(md5);
        assertThat(ResultKeys.md5("other").keyOf(message)).isNotEqualTo(md5);
    }

    @Test
    void theStubHonoursTheTtlOnItsClock() {
        ResultsFixture.MutableClock clock = new ResultsFixture.MutableClock();
        StubResultBackend stub = new StubResultBackend(ResultKeys.md5(), clock);
        Message message = Message.create("default", "add", List.of(), Map.of(), Map.of());
        stub.store(message, Map.of("a", 1), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(9));
        assertThat(stub.peek(message)).get().extracting(StoredResult::json).isEqualTo(Map.of("a", 1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(stub.peek(message)).isEmpty();
        assertThatThrownBy(() -> stub.store(message, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> stub.store(message, new Object(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBackendIsInferredFromTheBrokerElseAClearError() {
        Results results = new Results(backend);
        try (StubBroker with = new StubBroker(List.of(results)); StubBroker without = new StubBroker(List.of())) {
            assertThat(Results.backendOf(with)).isSameAs(backend);
            assertThatThrownBy(() -> Results.backendOf(without)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no Results middleware");
        }
        assertThatThrownBy(() -> new Results(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("result backend");
    }

    @Test
    void pipelineResultsAreEachStepsResult() throws Exception {
        try (ResultsFixture f = fixture(new Results(backend, true, null))) {
            Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").on(f.broker)
                    .function(Integer.class, Integer.class, Integer::sum);
            Pipeline pipeline = Pipeline.pipeline(List.of(add.message(1, 2), add.message(3), add.message(4)),
                    f.broker);
            assertThat(pipeline.completedCount(backend)).isZero();
            pipeline.run();
            f.start();
            assertThat(pipeline.getResult(Duration.ofSeconds(10), Integer.class)).isEqualTo(10);
            assertThat(pipeline.getResults(Duration.ofSeconds(10))).containsExactly(3, 6, 10);
            assertThat(pipeline.completedCount(backend)).isEqualTo(3);
            assertThat(pipeline.completed(backend)).isTrue();
        }
    }

    @Test
    void aPipelineWhoseStepFailedRaisesTheFailure() throws Exception {
        try (ResultsFixture f = fixture(new Results(backend, true, null))) {
            Actor2<Integer, Integer, Integer> div = ActorDefinition.named("div").on(f.broker)
                    .option(ActorOptions.MAX_RETRIES, 0).function(Integer.class, Integer.class, (a, b) -> a / b);
            Pipeline pipeline = Pipeline.pipeline(List.of(div.message(0, 3), div.message(6)), f.broker).run();
            f.start();
            f.drain("default");
            assertThatThrownBy(() -> pipeline.getResults(backend, Duration.ofSeconds(1)))
                    .isInstanceOf(ResultFailure.class).hasMessageStartingWith("actor raised ArithmeticException");
            assertThatThrownBy(() -> pipeline.completedCount(backend)).isInstanceOf(ResultFailure.class);
        }
    }

    /** Generic types for result binding. */
    static final class ActorTypes {
        static final java.lang.reflect.Type LIST_OF_LONG = new com.fasterxml.jackson.core.type.TypeReference<
                List<Long>>() { }.getType();

        private ActorTypes() {
        }
    }
}
