package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end: a worker on a {@link SupabaseBroker} with LISTEN (the default on a direct connection) starts a
 * message sent to its idle queue at once, woken by the insert notification rather than by its next poll. On the
 * compat schema this needs revision 2; on a real pgmq, 1.7.
 */
@PgmqIntegrationTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NotifyWakesWorkerIT {

    private static final Logger log = LoggerFactory.getLogger(NotifyWakesWorkerIT.class);

    /** Far above the wake-up time required below, so only a notification can explain a fast start. */
    private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(5);
    private static final long REQUIRED_START_MILLIS = 1_000;

    @Test
    void aWorkerStartsAMessageSentToItsIdleQueueWellWithinItsPollInterval(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        SupabaseBrokerSettings settings = db.brokerSettings().namespace(queues.newNamespace())
                .maxPollInterval(MAX_POLL_INTERVAL).build();
        assertThat(settings.listenAllowed()).as("a direct connection allows LISTEN").isTrue();
        try (SupabaseBroker broker = new SupabaseBroker(settings, List.of())) {
            if (db.pgmq().flavour() == PgmqFlavour.SUPAQUEUE_COMPAT) {
                assertThat(broker.client().supports(PgmqFeature.NOTIFY_INSERT)).isTrue();
            }
            assumeTrue(broker.client().supports(PgmqFeature.NOTIFY_INSERT),
                    broker.client().installation().describe() + " has no insert notifications (pgmq 1.7)");

            Map<Integer, Long> startedAtNanos = new ConcurrentHashMap<>();
            Actor1<Integer, Void> probe = ActorDefinition.named("probe").on(broker)
                    .consumer(Integer.class, n -> startedAtNanos.put(n, System.nanoTime()));
            broker.declareQueue("default");
            assertThat(notifyTriggers(db, broker.pgmqQueue("default"))).as("declaring enabled notifications")
                    .isOne();

            // Each Consumer.next() begins with a read, so a consumer timeout of the default 1 s would poll every
            // second whatever the poll interval: a long one lets the consumer back off to MAX_POLL_INTERVAL.
            try (Worker worker = new Worker(broker, WorkerOptions.builder().consumerTimeout(Duration.ofSeconds(30))
                    .shutdownTimeout(Duration.ofSeconds(1)).build())) {
                worker.start();
                probe.send(0);
                awaitStarted(startedAtNanos, 0, Duration.ofSeconds(10));
                // Then the queue stays idle for seconds: the consumer has backed off to waits of seconds, and its
                // LISTEN is long in place. Two different idle times, so that polling alone could not be fast twice
                // by luck (a poll-only run of this test started them after about 4.6 s and 3.1 s).
                for (int n = 1; n <= 2; n++) {
                    Thread.sleep(n == 1 ? 5_500 : 7_000);
                    long sentAt = System.nanoTime();
                    probe.send(n);
                    awaitStarted(startedAtNanos, n, MAX_POLL_INTERVAL.multipliedBy(3));
                    long startedAfterMillis = (startedAtNanos.get(n) - sentAt) / 1_000_000;
                    log.info("Message {} to the idle queue started after {} ms (max poll interval {} ms)", n,
                            startedAfterMillis, MAX_POLL_INTERVAL.toMillis());
                    assertThat(startedAfterMillis).as("message %d started after (ms), woken by NOTIFY", n)
                            .isLessThan(REQUIRED_START_MILLIS);
                }
            }
        }
    }

    private static void awaitStarted(Map<Integer, Long> started, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!started.containsKey(n)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("message " + n + " did not start within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    private static long notifyTriggers(TestDatabaseServer db, String pgmqQueue) throws Exception {
        try (var connection = db.connect();
             var count = connection.prepareStatement("""
                     SELECT count(*) FROM pg_catalog.pg_trigger
                     WHERE tgrelid = to_regclass(format('pgmq.%I', 'q_' || ?::text)) AND NOT tgisinternal""")) {
            count.setString(1, pgmqQueue);
            try (var row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
