package dev.supaqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.LogCapture;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@link AgeLimit} middleware: Dramatiq's checklist items 18 and 26. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AgeLimitTest {

    /** A message created {@code ageMs} ago, as if it had waited in the queue that long. */
    private static Message createdAgo(String actorName, long ageMs, Map<String, ?> options) {
        Message fresh = Message.create("default", actorName, List.of(), Map.of(), options);
        return new Message(fresh.queueName(), fresh.actorName(), fresh.args(), fresh.kwargs(), fresh.options(),
                fresh.messageId(), fresh.messageTimestamp() - ageMs);
    }

    // 18

    @Test
    void anActorsMaxAgeSkipsAndDeadLettersOldMessagesAndRunsFreshOnes() throws Exception {
        try (StubWorkers t = new StubWorkers(new AgeLimit());
             LogCapture logs = new LogCapture()) {
            List<String> ran = new CopyOnWriteArrayList<>();
            OptionsActor actor = OptionsActor.declare(t.broker, "limited", Map.of(ActorOptions.MAX_AGE, 1_000), m -> {
                ran.add(m.messageId());
                return null;
            });
            t.start();
            Message old = t.broker.enqueue(createdAgo("limited", 5_000, Map.of()));
            Message fresh = actor.send();
            t.drain("default");

            assertThat(ran).containsExactly(fresh.messageId());
            assertThat(t.broker.deadLetters("default")).extracting(Message::messageId)
                    .containsExactly(old.messageId());
            assertThat(logs.linesAt("WARN")).anyMatch(line -> line.contains(old.messageId())
                    && line.contains("age limit of 1000 ms"));
        }
    }

    @Test
    void aMessagesMaxAgeSkipsAndDeadLettersIt() throws Exception {
        try (StubWorkers t = new StubWorkers(new AgeLimit())) {
            AtomicInteger runs = new AtomicInteger();
            OptionsActor.declare(t.broker, "unlimited", Map.of(), m -> runs.incrementAndGet());
            t.start();
            Message old = t.broker.enqueue(createdAgo("unlimited", 5_000, Map.of(ActorOptions.MAX_AGE, 1_000)));
            t.broker.enqueue(createdAgo("unlimited", 5_000, Map.of()));
            t.drain("default");

            assertThat(runs).as("only the message without max_age runs").hasValue(1);
            assertThat(t.broker.deadLetters("default")).extracting(Message::messageId)
                    .containsExactly(old.messageId());
        }
    }

    @Test
    void theLimitIsLookedUpInTheMessageThenTheActorThenTheMiddlewareAndZeroFallsThrough() {
        long now = 1_000_000;
        Clock clock = Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
        StubBroker broker = new StubBroker(List.of(new AgeLimit()));
        OptionsActor limited = OptionsActor.declare(broker, "limited", Map.of(ActorOptions.MAX_AGE, 100), m -> null);
        OptionsActor unlimited = OptionsActor.declare(broker, "unlimited", Map.of(), m -> null);
        AgeLimit none = new AgeLimit(null, clock);
        AgeLimit middlewareLimit = new AgeLimit(50L, clock);

        // The actor's 100 ms: reached exactly at 100 ms.
        assertThat(expires(none, broker, limited, 99, Map.of())).isFalse();
        assertThat(expires(none, broker, limited, 100, Map.of())).isTrue();
        // The message's own limit wins over the actor's...
        assertThat(expires(none, broker, limited, 150, Map.of(ActorOptions.MAX_AGE, 200))).isFalse();
        assertThat(expires(none, broker, limited, 50, Map.of(ActorOptions.MAX_AGE, 20))).isTrue();
        // ...unless it is 0, which falls through as in Python's `or`.
        assertThat(expires(none, broker, limited, 150, Map.of(ActorOptions.MAX_AGE, 0))).isTrue();
        // The middleware's limit applies when neither sets one; the actor's wins over it.
        assertThat(expires(middlewareLimit, broker, unlimited, 60, Map.of())).isTrue();
        assertThat(expires(middlewareLimit, broker, limited, 60, Map.of())).isFalse();
        // Without any limit, nothing expires.
        assertThat(expires(none, broker, unlimited, 100_000, Map.of())).isFalse();
        assertThat(expires(new AgeLimit(0L, clock), broker, unlimited, 100_000, Map.of())).isFalse();
    }

    private static boolean expires(AgeLimit ageLimit, StubBroker broker, OptionsActor actor, long ageMs,
                                   Map<String, ?> options) {
        long now = 1_000_000;
        Message created = actor.messageWithOptions(List.of(), Map.of(), options);
        Message message = new Message(created.queueName(), created.actorName(), created.args(), created.kwargs(),
                created.options(), created.messageId(), now - ageMs);
        MessageProxy proxy = new MessageProxy(message, 1, 1);
        try {
            ageLimit.beforeProcessMessage(broker, proxy);
        } catch (SkipMessage skip) {
            assertThat(proxy.failed()).as("a skipped message is failed").isTrue();
            return true;
        }
        assertThat(proxy.failed()).isFalse();
        return false;
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatThrownBy(() -> new AgeLimit(-1L)).isInstanceOf(IllegalArgumentException.class);
    }

    // 26

    @Test
    void maxAgeBoundsTheTotalTimeOfRetries() throws Exception {
        try (StubWorkers t = new StubWorkers(new AgeLimit(), new Retries())) {
            AtomicInteger attempts = new AtomicInteger();
            OptionsActor failing = OptionsActor.declare(t.broker, "failing", Map.of(ActorOptions.MAX_AGE, 300,
                    ActorOptions.MAX_RETRIES, 1_000, ActorOptions.MIN_BACKOFF, 20, ActorOptions.MAX_BACKOFF, 40), m -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("always fails");
                    });
            t.start();
            long start = System.nanoTime();
            Message sent = failing.send();
            t.drain("default");
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            // Retries every 20–40 ms stop once the message is 300 ms old, far before 1000 retries.
            assertThat(elapsedMs).isBetween(300L, 3_000L);
            assertThat(attempts.get()).isBetween(2, 30);
            assertThat(t.broker.deadLetters("default")).singleElement().satisfies(m -> {
                assertThat(m.messageId()).isEqualTo(sent.messageId());
                assertThat(((Number) m.options().get(Retries.RETRIES)).intValue()).isEqualTo(attempts.get());
            });
        }
    }
}
