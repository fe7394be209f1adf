package dev.supaqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor0;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.pgmq.PgmqMessage;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Retries} on a {@link SupabaseBroker}: retries are delayed by pgmq and exhausted ones dead-lettered. */
@PgmqIntegrationTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetriesOnSupabaseIT {

    private static final long MIN_BACKOFF_MS = 200;

    @Test
    void retriesAreDelayedByPgmqAndTheExhaustedMessageIsDeadLetteredAndReportedOnce(TestDatabaseServer db,
                                                                                      TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(namespace)
                .maxPollInterval(Duration.ofMillis(200)).build(), List.of(new Retries()));
        Worker worker = null;
        try {
            List<List<Object>> exhausted = new CopyOnWriteArrayList<>();
            ActorDefinition.named("exhausted").on(broker).consumer(Object.class, Object.class,
                    (message, info) -> exhausted.add(List.of(message, info)));
            List<Long> attemptsAt = new CopyOnWriteArrayList<>();
            Actor0<Void> failing = ActorDefinition.named("failing").on(broker)
                    .options(Map.of(ActorOptions.MAX_RETRIES, 3, ActorOptions.MIN_BACKOFF, MIN_BACKOFF_MS,
                            ActorOptions.MAX_BACKOFF, 10_000, ActorOptions.ON_RETRY_EXHAUSTED, "exhausted"))
                    .runnable(() -> {
                        attemptsAt.add(System.nanoTime());
                        throw new IllegalStateException("attempt " + attemptsAt.size() + " fails");
                    });
            worker = new Worker(broker, WorkerOptions.builder().workerThreads(2)
                    .consumerTimeout(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(5)).build());
            worker.start();

            Message sent = failing.send();
            broker.join("default", Duration.ofSeconds(30));
            assertThat(worker.join(Duration.ofSeconds(10))).as("worker idle").isTrue();

            assertThat(attemptsAt).as("max_retries 3: four attempts").hasSize(4);
            List<Long> gapsMs = new ArrayList<>();
            for (int i = 1; i < attemptsAt.size(); i++) {
                gapsMs.add(TimeUnit.NANOSECONDS.toMillis(attemptsAt.get(i) - attemptsAt.get(i - 1)));
            }
            for (int retry = 1; retry <= 3; retry++) {
                // Retry n waits between min × 2^(n−1) and twice that; the pgmq delay is never cut short, and
                // polling (200 ms) and a loaded machine may add to it.
                long lower = MIN_BACKOFF_MS << (retry - 1);
                assertThat(gapsMs.get(retry - 1)).as("gap before retry %d (all gaps %s)", retry, gapsMs)
                        .isBetween(lower, 2 * lower + 1_500);
            }

            assertThat(broker.deadLetterQueue("default")).isEqualTo(namespace + "_default_xq");
            List<PgmqMessage> dead = broker.client().read(broker.deadLetterQueue("default"), 60, 10);
            assertThat(dead).hasSize(1);
            Message deadLetter = new MessageCodec().decode(dead.getFirst().message());
            assertThat(deadLetter.messageId()).isEqualTo(sent.messageId());
            assertThat(deadLetter.messageTimestamp()).isEqualTo(sent.messageTimestamp());
            assertThat(((Number) deadLetter.options().get(Retries.RETRIES)).intValue()).isEqualTo(4);
            assertThat((String) deadLetter.options().get(Retries.TRACEBACK))
                    .startsWith("java.lang.IllegalStateException: attempt 4 fails\n\tat ");
            assertThat(((Number) deadLetter.options().get(Retries.REQUEUE_TIMESTAMP)).longValue())
                    .isGreaterThanOrEqualTo(sent.messageTimestamp());

            assertThat(exhausted).as("on_retry_exhausted sent once").hasSize(1);
            @SuppressWarnings("unchecked")
            Map<String, Object> messageDict = (Map<String, Object>) exhausted.getFirst().get(0);
            assertThat(messageDict).containsEntry("message_id", sent.messageId());
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) exhausted.getFirst().get(1);
            assertThat(((Number) info.get("retries")).intValue()).isEqualTo(3);
            assertThat(((Number) info.get("max_retries")).intValue()).isEqualTo(3);
            assertThat(broker.queueLength("default")).isZero();
        } finally {
            if (worker != null) {
                worker.stop(Duration.ofSeconds(2));
            }
            broker.close();
        }
    }
}
