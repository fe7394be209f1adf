package dev.supaqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MetricsMiddlewareTest {

    private static final class Recorder implements MetricsListener {

        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Duration> durations = new CopyOnWriteArrayList<>();

        @Override
        public void onMessageEnqueued(String actorName, String queueName, Duration delay) {
            events.add("enqueued " + actorName + " " + queueName + " " + delay.toMillis());
        }

        @Override
        public void onMessageRetried(String actorName, String queueName) {
            events.add("retried " + actorName);
        }

        @Override
        public void onMessageStarted(String actorName, String queueName) {
            events.add("started " + actorName);
        }

        @Override
        public void onMessageProcessed(String actorName, String queueName, Duration duration, Outcome outcome) {
            events.add("processed " + actorName + " " + queueName + " " + outcome);
            if (actorName.equals("sleeps")) {
                durations.add(duration);
            }
        }

        @Override
        public void onMessageDeadLettered(String actorName, String queueName) {
            events.add("dead-lettered " + actorName);
            // A faulty listener, even one throwing a SkipMessage, changes nothing.
            throw new SkipMessage("listener bug");
        }
    }

    /** Skips and dead-letters the actor named "rejected", as AgeLimit does. */
    private static final class Rejecter implements Middleware {

        @Override
        public void beforeProcessMessage(Broker broker, MessageProxy message) {
            if (message.actorName().equals("rejected")) {
                message.fail();
                throw new SkipMessage("rejected on purpose");
            }
        }
    }

    @Test
    void theListenerReceivesEveryEvent() throws Exception {
        Recorder recorder = new Recorder();
        try (InterruptTesting t = new InterruptTesting(new MetricsMiddleware(recorder), new Rejecter())) {
            Actor<Object> sleeps = t.actor("sleeps", Map.of(), m -> {
                Thread.sleep(50);
                return "ok";
            });
            Actor<Object> fails = t.actor("fails", Map.of(), m -> {
                throw new IllegalStateException("boom");
            });
            Actor<Object> rejected = t.actor("rejected", Map.of(), m -> null);
            Worker worker = t.start(1);

            sleeps.send();
            t.drain(worker);
            fails.send();
            t.drain(worker);
            rejected.send();
            t.drain(worker);
            sleeps.sendWithOptions(List.of(), Map.of(), Duration.ofMillis(10), Map.of("retries", 1));
            t.drain(worker);

            // after_enqueue runs once the message is stored, so it may come after the worker started on it.
            assertThat(recorder.events).containsExactlyInAnyOrder(
                    "enqueued sleeps default 0", "started sleeps", "processed sleeps default SUCCEEDED",
                    "enqueued fails default 0", "started fails", "processed fails default FAILED",
                    "enqueued rejected default 0", "started rejected", "processed rejected default SKIPPED",
                    "dead-lettered rejected",
                    "enqueued sleeps default 10", "retried sleeps", "started sleeps",
                    "processed sleeps default SUCCEEDED");
            assertThat(recorder.events.stream().filter(e -> !e.startsWith("enqueued") && !e.startsWith("retried")))
                    .containsExactly("started sleeps", "processed sleeps default SUCCEEDED",
                            "started fails", "processed fails default FAILED",
                            "started rejected", "processed rejected default SKIPPED", "dead-lettered rejected",
                            "started sleeps", "processed sleeps default SUCCEEDED");
            assertThat(recorder.events).containsSubsequence("enqueued sleeps default 10", "retried sleeps");
            assertThat(recorder.durations).hasSize(2)
                    .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(45), Duration.ofSeconds(3)));
            assertThat(t.broker.deadLetters("default")).hasSize(1);
        }
    }

    @Test
    void startedAndProcessedStayPairedWhenAnEarlierMiddlewareSkips() throws Exception {
        Recorder recorder = new Recorder();
        // The Rejecter runs first, so the metrics middleware's before hook never sees the message.
        try (InterruptTesting t = new InterruptTesting(new Rejecter(), new MetricsMiddleware(recorder))) {
            Actor<Object> rejected = t.actor("rejected", Map.of(), m -> null);
            Worker worker = t.start(1);
            rejected.send();
            t.drain(worker);
            assertThat(recorder.events).containsExactlyInAnyOrder("enqueued rejected default 0", "started rejected",
                    "processed rejected default SKIPPED", "dead-lettered rejected");
            assertThat(recorder.events).containsSubsequence("started rejected",
                    "processed rejected default SKIPPED", "dead-lettered rejected");
        }
    }
}
