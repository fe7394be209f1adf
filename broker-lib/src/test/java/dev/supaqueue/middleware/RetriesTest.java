package dev.supaqueue.middleware;

import static dev.supaqueue.middleware.StubWorkers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.Actor0;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.actor.ArgumentBindingException;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@link Retries} middleware on a stub broker and a worker: Dramatiq's checklist items 19–25. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RetriesTest {

    /** Small backoffs keep the suite fast; the middleware's own would wait 15 s. */
    private static final Map<String, Object> FAST = Map.of(ActorOptions.MIN_BACKOFF, 10, ActorOptions.MAX_BACKOFF, 50);

    private static Map<String, Object> fast(Map<String, ?> more) {
        Map<String, Object> options = new LinkedHashMap<>(FAST);
        options.putAll(more);
        return options;
    }

    /** A callback actor that records its calls' arguments. */
    private static List<List<Object>> exhaustedCalls(StubBroker broker) {
        List<List<Object>> calls = new CopyOnWriteArrayList<>();
        OptionsActor.declare(broker, "exhausted", Map.of(), m -> {
            calls.add(m.args());
            return null;
        });
        return calls;
    }

    // 19, 25

    @Test
    void aMessageThatFailsAFewTimesEventuallySucceedsWithoutExhaustion() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            List<List<Object>> exhausted = exhaustedCalls(t.broker);
            AtomicInteger attempts = new AtomicInteger();
            OptionsActor flaky = OptionsActor.declare(t.broker, "flaky",
                    fast(Map.of(ActorOptions.ON_RETRY_EXHAUSTED, "exhausted")), m -> {
                        if (attempts.incrementAndGet() <= 3) {
                            throw new IllegalStateException("failure " + attempts.get());
                        }
                        return m.options().get(Retries.RETRIES);
                    });
            t.start();
            flaky.send();
            t.drain("default");

            assertThat(attempts).hasValue(4);
            assertThat(t.broker.deadLetters("default")).isEmpty();
            assertThat(exhausted).as("on_retry_exhausted never sent on eventual success").isEmpty();
        }
    }

    @Test
    void maxRetriesThreeMeansFourAttemptsThenTheDeadLetterQueueAndOneExhaustedCallback() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            List<List<Object>> exhausted = exhaustedCalls(t.broker);
            AtomicInteger attempts = new AtomicInteger();
            OptionsActor failing = OptionsActor.declare(t.broker, "failing",
                    fast(Map.of(ActorOptions.MAX_RETRIES, 3, ActorOptions.ON_RETRY_EXHAUSTED, "exhausted")), m -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("always fails");
                    });
            t.start();
            Message sent = failing.send();
            t.drain("default");

            assertThat(attempts).hasValue(4);
            List<Message> dead = t.broker.deadLetters("default");
            assertThat(dead).hasSize(1);
            Message deadLetter = dead.getFirst();
            assertThat(deadLetter.messageId()).isEqualTo(sent.messageId());
            assertThat(deadLetter.messageTimestamp()).isEqualTo(sent.messageTimestamp());
            assertThat(deadLetter.options()).containsEntry(Retries.RETRIES, 4);
            assertThat((String) deadLetter.options().get(Retries.TRACEBACK))
                    .startsWith("java.lang.IllegalStateException: always fails\n\tat ");

            assertThat(exhausted).as("on_retry_exhausted sent exactly once").hasSize(1);
            List<Object> args = exhausted.getFirst();
            @SuppressWarnings("unchecked")
            Map<String, Object> messageDict = (Map<String, Object>) args.get(0);
            assertThat(messageDict).containsEntry("message_id", sent.messageId())
                    .containsEntry("actor_name", "failing");
            assertThat(args.get(1)).isEqualTo(Map.of("retries", 3, "max_retries", 3));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4})
    void aMessagesMaxRetriesOverridesTheActors(int maxRetries) throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            AtomicInteger attempts = new AtomicInteger();
            OptionsActor failing = OptionsActor.declare(t.broker, "failing", fast(Map.of(ActorOptions.MAX_RETRIES, 2)),
                    m -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("always fails");
                    });
            t.start();
            failing.sendWithOptions(List.of(), Map.of(), null, Map.of(ActorOptions.MAX_RETRIES, maxRetries));
            t.drain("default");

            assertThat(attempts).hasValue(maxRetries + 1);
            assertThat(t.broker.deadLetters("default")).singleElement()
                    .satisfies(m -> assertThat(m.options()).containsEntry(Retries.RETRIES, maxRetries + 1));
        }
    }

    @Test
    void theMiddlewaresMaxRetriesAppliesWhenNeitherMessageNorActorSetsOne() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries(1, 10, 20))) {
            AtomicInteger attempts = new AtomicInteger();
            OptionsActor failing = OptionsActor.declare(t.broker, "failing", Map.of(), m -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("always fails");
            });
            t.start();
            failing.send();
            t.drain("default");

            assertThat(attempts).hasValue(2);
            assertThat(t.broker.deadLetters("default")).hasSize(1);
        }
    }

    // 20

    @ParameterizedTest
    @ValueSource(strings = {ActorOptions.MIN_BACKOFF, ActorOptions.MAX_BACKOFF})
    void aZeroBackoffRetriesAtOnce(String zeroOption) throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            AtomicInteger attempts = new AtomicInteger();
            OptionsActor failing = OptionsActor.declare(t.broker, "failing",
                    Map.of(ActorOptions.MAX_RETRIES, 10, zeroOption, 0), m -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("always fails");
                    });
            t.start();
            long start = System.nanoTime();
            failing.send();
            t.drain("default");
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(attempts).hasValue(11);
            // Dramatiq's bound is 200 ms; generous here for a loaded 2-core machine.
            assertThat(elapsedMs).as("10 retries without backoff").isLessThan(2_000);
        }
    }

    @Test
    void aMiddlewareLevelZeroMinBackoffMeansTheDefault() {
        assertThat(new Retries(20, 0, 1_000).minBackoffMs()).isEqualTo(Retries.DEFAULT_MIN_BACKOFF_MS);
        assertThat(Retries.builder().minBackoff(Duration.ZERO).build().minBackoffMs())
                .isEqualTo(Retries.DEFAULT_MIN_BACKOFF_MS);
        assertThat(new Retries(20, 10, Long.MAX_VALUE).maxBackoffMs()).isEqualTo(Retries.DEFAULT_MAX_BACKOFF_MS);
    }

    // 21

    @Test
    void anActorsRetryWhenOverridesMaxRetries() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            List<Integer> seen = new CopyOnWriteArrayList<>();
            AtomicInteger attempts = new AtomicInteger();
            Retries.RetryWhen lessThanThree = (retries, exception) -> {
                seen.add(retries);
                return retries < 3 && exception instanceof IllegalStateException;
            };
            OptionsActor failing = OptionsActor.declare(t.broker, "failing",
                    fast(Map.of(ActorOptions.MAX_RETRIES, 0, Retries.RETRY_WHEN, lessThanThree)), m -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("always fails");
                    });
            t.start();
            failing.sendWithOptions(List.of(), Map.of(), null, Map.of(ActorOptions.MAX_RETRIES, 0));
            t.drain("default");

            assertThat(attempts).hasValue(4);
            assertThat(seen).containsExactly(0, 1, 2, 3);
            assertThat(t.broker.deadLetters("default")).hasSize(1);
        }
    }

    @Test
    void aRetryWhenDeclaredWithActorDefinitionIsUsedButCannotTravelInAMessage() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            AtomicInteger attempts = new AtomicInteger();
            Retries.RetryWhen twice = (retries, exception) -> retries < 2;
            Actor0<Void> defined = ActorDefinition.named("defined")
                    .option(ActorOptions.MIN_BACKOFF, 10).option(ActorOptions.MAX_BACKOFF, 20)
                    .option(Retries.RETRY_WHEN, twice).on(t.broker)
                    .runnable(() -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("always fails");
                    });
            t.start();
            defined.send();
            t.drain("default");

            assertThat(attempts).hasValue(3);
            assertThatThrownBy(() -> defined.sendWithOptions(List.of(), Map.of(), null,
                    Map.of(Retries.RETRY_WHEN, twice)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Retries.RETRY_WHEN);
        }
    }

    @Test
    void theMiddlewaresRetryWhenAppliesToActorsWithoutOne() throws Exception {
        Retries retries = Retries.builder().maxRetries(0).minBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(20)).retryWhen((n, e) -> n < 2).build();
        try (StubWorkers t = new StubWorkers(retries)) {
            AtomicInteger attempts = new AtomicInteger();
            OptionsActor failing = OptionsActor.declare(t.broker, "failing", Map.of(), m -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("always fails");
            });
            t.start();
            failing.send();
            t.drain("default");

            assertThat(attempts).hasValue(3);
        }
    }

    // 22

    /** A marker interface that {@code throws} can name. */
    interface Permanent {
    }

    static final class PermanentFailure extends RuntimeException implements Permanent {
        PermanentFailure() {
            super("will never work");
        }
    }

    @Test
    void anExceptionTheActorThrowsOnPurposeIsDeadLetteredWithoutRetryAndLoggedAtInfo() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries());
             LogCapture logs = new LogCapture()) {
            AtomicInteger attempts = new AtomicInteger();
            // Declared through ActorDefinition: a class becomes its name; the subclass thrown matches it.
            var actor = ActorDefinition.named("strict").option(ActorOptions.THROWS, IllegalArgumentException.class)
                    .on(t.broker).runnable(() -> {
                        attempts.incrementAndGet();
                        throw new NumberFormatException("not a number");
                    });
            t.start();
            Message sent = actor.send();
            t.drain("default");

            assertThat(attempts).hasValue(1);
            assertThat(t.broker.deadLetters("default")).singleElement().satisfies(m -> {
                assertThat(m.messageId()).isEqualTo(sent.messageId());
                assertThat(m.options()).doesNotContainKey(Retries.RETRIES);
            });
            assertThat(logs.linesAt("INFO")).anyMatch(line -> line.contains(sent.messageId())
                    && line.contains("java.lang.NumberFormatException"));
            assertThat(logs.linesAt("ERROR")).as("error lines").isEmpty();
            assertThat(logs.linesAt("WARN")).as("warning lines").isEmpty();
        }
    }

    @Test
    void aMessagesThrowsMatchesSuperclassesAndInterfacesByName() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            AtomicInteger attempts = new AtomicInteger();
            OptionsActor actor = OptionsActor.declare(t.broker, "strict", FAST, m -> {
                attempts.incrementAndGet();
                throw new PermanentFailure();
            });
            t.start();
            actor.sendWithOptions(List.of(), Map.of(), null, Map.of(ActorOptions.THROWS, List.of(Permanent.class.getName())));
            t.drain("default");

            assertThat(attempts).hasValue(1);
            assertThat(t.broker.deadLetters("default")).hasSize(1);
        }
        StubBroker broker = new StubBroker(List.of(new Retries()));
        OptionsActor plain = OptionsActor.declare(broker, "plain", Map.of(), m -> null);
        Message withThrows = plain.messageWithOptions(List.of(), Map.of(),
                Map.of(ActorOptions.THROWS, List.of(RuntimeException.class.getName())));
        assertThat(Retries.matchesThrows(broker, withThrows, new PermanentFailure())).isTrue();
        assertThat(Retries.matchesThrows(broker, withThrows, new Exception("checked"))).isFalse();
        assertThat(Retries.matchesThrows(broker, plain.message(), new PermanentFailure())).isFalse();
    }

    // 23

    @Test
    void aRetryIsNotLoggedAsAnErrorButCountsTowardMaxRetries() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries());
             LogCapture logs = new LogCapture()) {
            AtomicInteger attempts = new AtomicInteger();
            OptionsActor retrying = OptionsActor.declare(t.broker, "retrying",
                    fast(Map.of(ActorOptions.MAX_RETRIES, 2)), m -> {
                        attempts.incrementAndGet();
                        throw new Retry();
                    });
            t.start();
            retrying.send();
            t.drain("default");

            assertThat(attempts).hasValue(3);
            assertThat(t.broker.deadLetters("default")).singleElement()
                    .satisfies(m -> assertThat(m.options()).containsEntry(Retries.RETRIES, 3));
            assertThat(logs.linesAt("ERROR")).as("error lines").isEmpty();
        }
    }

    @Test
    void aRetrysDelayReplacesTheBackoff() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            List<Long> startedAt = new CopyOnWriteArrayList<>();
            // The actor's own backoff is long: only the Retry's delay can make the second attempt come soon.
            OptionsActor retrying = OptionsActor.declare(t.broker, "retrying",
                    Map.of(ActorOptions.MIN_BACKOFF, 30_000), m -> {
                        startedAt.add(System.nanoTime());
                        if (startedAt.size() == 1) {
                            throw new Retry(Duration.ofMillis(100));
                        }
                        return null;
                    });
            t.start();
            retrying.send();
            await("the second attempt", () -> startedAt.size() == 2);
            t.drain("default");

            long gapMs = TimeUnit.NANOSECONDS.toMillis(startedAt.get(1) - startedAt.get(0));
            // Dramatiq expects 100–150 ms; the upper bound is generous for a loaded machine.
            assertThat(gapMs).isBetween(100L, 1_000L);
            assertThat(t.broker.deadLetters("default")).isEmpty();
        }
    }

    @Test
    void retryRejectsANegativeDelay() {
        assertThatThrownBy(() -> new Retry(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThat(new Retry().delay()).isEmpty();
        assertThat(new Retry(Duration.ofMillis(5)).delay()).contains(Duration.ofMillis(5));
    }

    // 24

    @Test
    void everyRetryCarriesALaterRequeueTimestamp() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            List<Message> seen = new CopyOnWriteArrayList<>();
            OptionsActor failing = OptionsActor.declare(t.broker, "failing", fast(Map.of(ActorOptions.MAX_RETRIES, 3)),
                    m -> {
                        seen.add(m);
                        Thread.sleep(2); // the first failure comes at least a millisecond after the creation
                        throw new IllegalStateException("always fails");
                    });
            t.start();
            Message sent = failing.send();
            t.drain("default");

            assertThat(seen).hasSize(4);
            assertThat(seen.getFirst().options()).doesNotContainKeys(Retries.RETRIES, Retries.REQUEUE_TIMESTAMP);
            List<Long> timestamps = new ArrayList<>();
            for (int i = 1; i < seen.size(); i++) {
                Message retry = seen.get(i);
                assertThat(retry.messageId()).isEqualTo(sent.messageId());
                assertThat(retry.messageTimestamp()).isEqualTo(sent.messageTimestamp());
                assertThat(retry.options()).containsEntry(Retries.RETRIES, i).containsKey(Retries.TRACEBACK);
                timestamps.add(((Number) retry.options().get(Retries.REQUEUE_TIMESTAMP)).longValue());
            }
            assertThat(timestamps.getFirst()).isGreaterThan(sent.messageTimestamp());
            assertThat(timestamps).isSorted().doesNotHaveDuplicates();
        }
    }

    // What the middleware leaves alone

    @Test
    void aSuccessfulMessageIsLeftAlone() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            List<Message> seen = new CopyOnWriteArrayList<>();
            OptionsActor fine = OptionsActor.declare(t.broker, "fine", FAST, m -> {
                seen.add(m);
                return "ok";
            });
            t.start();
            fine.send();
            t.drain("default");

            assertThat(seen).singleElement().satisfies(m -> assertThat(m.options()).isEmpty());
            assertThat(t.broker.deadLetters("default")).isEmpty();
        }
    }

    @Test
    void aMessageAlreadyFailedIsNotRetried() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            AtomicInteger attempts = new AtomicInteger();
            // The worker fails messages whose arguments do not bind; a retry would fail the same way.
            OptionsActor binding = OptionsActor.declare(t.broker, "binding", FAST, m -> {
                attempts.incrementAndGet();
                throw new ArgumentBindingException("parameter 'count' expects an int, got \"three\"");
            });
            t.start();
            binding.send();
            t.drain("default");

            assertThat(attempts).hasValue(1);
            assertThat(t.broker.deadLetters("default")).singleElement()
                    .satisfies(m -> assertThat(m.options()).doesNotContainKey(Retries.RETRIES));
        }
    }

    @Test
    void aTypedActorWhoseArgumentsDoNotBindIsDeadLetteredAtOnce() throws Exception {
        try (StubWorkers t = new StubWorkers(new Retries())) {
            AtomicInteger runs = new AtomicInteger();
            ActorDefinition.named("count").options(FAST).on(t.broker).consumer(Integer.class, n -> runs.incrementAndGet());
            t.start();
            t.broker.enqueue(Message.create("default", "count", List.of("three"), Map.of(), Map.of()));
            t.drain("default");

            assertThat(runs).hasValue(0);
            assertThat(t.broker.deadLetters("default")).hasSize(1);
        }
    }

    @Test
    void aBadOptionValueDeadLettersTheMessageInsteadOfLosingIt() {
        StubBroker broker = new StubBroker(List.of(new Retries()));
        OptionsActor actor = OptionsActor.declare(broker, "odd", Map.of(ActorOptions.MAX_RETRIES, "three"), m -> null);
        MessageProxy proxy = new MessageProxy(actor.message(), 1, 1);
        new Retries().afterProcessMessage(broker, proxy, null, new IllegalStateException("boom"));
        assertThat(proxy.failed()).isTrue();
    }

    // Backoff and traceback

    @Test
    void theBackoffGrowsExponentiallyWithJitterAndStaysWithinItsCap() {
        RandomGenerator random = new SplittableRandom(42);
        for (int i = 0; i < 1_000; i++) {
            assertThat(Retries.computeBackoff(1, 100, 1_000_000, random)).isBetween(100L, 200L);
            assertThat(Retries.computeBackoff(2, 100, 1_000_000, random)).isBetween(200L, 400L);
            assertThat(Retries.computeBackoff(4, 100, 1_000_000, random)).isBetween(800L, 1_600L);
            // Capped: spread over the upper half of the cap, never beyond it.
            assertThat(Retries.computeBackoff(10, 100, 1_000, random)).isBetween(500L, 1_000L);
            assertThat(Retries.computeBackoff(1_000, 15_000, Retries.DEFAULT_MAX_BACKOFF_MS, random))
                    .isBetween(Retries.DEFAULT_MAX_BACKOFF_MS / 2, Retries.DEFAULT_MAX_BACKOFF_MS);
            assertThat(Retries.computeBackoff(3, 0, 1_000, random)).isZero();
            assertThat(Retries.computeBackoff(3, 100, 0, random)).isZero();
        }
        // The jitter does spread the values.
        long distinct = IntStream.range(0, 100)
                .mapToLong(i -> Retries.computeBackoff(1, 1_000, 1_000_000, random)).distinct().count();
        assertThat(distinct).isGreaterThan(50);
    }

    @Test
    void theTracebackKeepsThirtyFramesAndTheCauses() {
        RuntimeException deep = recurse(60);
        String traceback = Retries.traceback(new IllegalStateException("outer", deep));
        assertThat(traceback).startsWith("java.lang.IllegalStateException: outer\n\tat ");
        assertThat(traceback).contains("Caused by: java.lang.RuntimeException: deep");
        assertThat(traceback.lines().filter(line -> line.startsWith("\tat "))).hasSize(Retries.TRACEBACK_FRAMES);
        assertThat(traceback).contains(" more\n");
    }

    private static RuntimeException recurse(int depth) {
        return depth == 0 ? new RuntimeException("deep") : recurse(depth - 1);
    }
}
