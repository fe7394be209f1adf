package dev.supaqueue.worker;

import static dev.supaqueue.worker.SupabaseWorkers.await;
import static dev.supaqueue.worker.SupabaseWorkers.millisSince;
import static dev.supaqueue.worker.SupabaseWorkers.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.Actor0;
import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.Actor2;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.QueueJoinTimeoutException;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link Worker} on a {@link SupabaseBroker} against a real PostgreSQL, with actors declared through
 * {@link ActorDefinition}: processing, delays, {@code join}, and messages written by Python Dramatiq.
 */
@PgmqIntegrationTest
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerOnSupabaseIT {

    @Test
    void everyMessageIsProcessedExactlyOnceWithItsKwargs(TestDatabaseServer db, TestQueues queues) throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            SupabaseBroker broker = t.broker();
            Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
            Map<String, Integer> values = new ConcurrentHashMap<>();
            Actor2<String, Integer, Void> put = ActorDefinition.named("put").parameterNames("key", "value")
                    .on(broker).consumer(String.class, Integer.class, (key, value) -> {
                        runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        values.put(key, value);
                    });

            // Half waits in the queue before the worker starts, half arrives while it runs.
            for (int i = 0; i < 75; i++) {
                put.sendWithOptions(List.of(), Map.of("key", "key-" + i, "value", i), null, Map.of());
            }
            Worker worker = t.start(broker, options().workerThreads(4));
            for (int i = 75; i < 150; i++) {
                put.sendWithOptions(List.of(), Map.of("key", "key-" + i, "value", i), null, Map.of());
            }
            broker.join("default", Duration.ofSeconds(20));
            assertThat(worker.join(Duration.ofSeconds(5))).as("worker idle").isTrue();

            assertThat(runs).hasSize(150);
            assertThat(runs).allSatisfy((key, count) -> assertThat(count.get()).as(key).isEqualTo(1));
            for (int i = 0; i < 150; i++) {
                assertThat(values).containsEntry("key-" + i, i);
            }
            assertThat(worker.stats().processed()).isEqualTo(150);
            assertThat(worker.stats().failed()).isZero();
            assertThat(worker.stats().inFlight()).isZero();
            assertThat(broker.queueLength("default")).isZero();
            assertThat(broker.deadLetterCount("default")).isZero();
        }
    }

    @Test
    void delaysAreHonouredIndependentlyAndAnUndelayedMessageRunsFirst(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            SupabaseBroker broker = t.broker();
            List<Integer> order = new CopyOnWriteArrayList<>();
            Map<Integer, Long> ranAtNanos = new ConcurrentHashMap<>();
            Actor1<Integer, Void> append = ActorDefinition.named("append").on(broker)
                    .consumer(Integer.class, delay -> {
                        ranAtNanos.put(delay, System.nanoTime());
                        order.add(delay);
                    });
            Worker worker = t.start(broker, options().workerThreads(4));

            // The longest delay is sent first: each message keeps its own delay.
            Map<Integer, Long> sentAtNanos = new ConcurrentHashMap<>();
            for (int delay : new int[] {700, 300, 0}) {
                sentAtNanos.put(delay, System.nanoTime());
                append.sendWithOptions(List.of(delay), Map.of(), Duration.ofMillis(delay), Map.of());
            }
            await("three messages", Duration.ofSeconds(5), () -> order.size() == 3);

            assertThat(order).containsExactly(0, 300, 700);
            for (int delay : new int[] {300, 700}) {
                long waited = (ranAtNanos.get(delay) - sentAtNanos.get(delay)) / 1_000_000;
                // A few ms of slack for the database clock against System.nanoTime().
                assertThat(waited).as("message delayed by %d ms ran after", delay)
                        .isGreaterThanOrEqualTo(delay - 5L).isLessThan(delay + 1_500L);
            }
            assertThat((ranAtNanos.get(0) - sentAtNanos.get(0)) / 1_000_000).as("undelayed message ran after")
                    .isLessThan(300L);
            assertThat(worker.stats().processed()).isEqualTo(3);
        }
    }

    @Test
    void joinTimesOutWhileAMessageIsInFlightAndReturnsOnceItIsProcessed(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            SupabaseBroker broker = t.broker();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Actor0<Void> block = ActorDefinition.named("block").on(broker).runnable(() -> {
                started.countDown();
                release.await();
            });
            Worker worker = t.start(broker, options());
            block.send();
            assertThat(started.await(5, TimeUnit.SECONDS)).as("the worker started the task").isTrue();

            long before = System.nanoTime();
            assertThatThrownBy(() -> broker.join("default", Duration.ofMillis(500)))
                    .isInstanceOf(QueueJoinTimeoutException.class)
                    .hasMessageContaining("default");
            assertThat(millisSince(before)).as("join waited its timeout").isGreaterThanOrEqualTo(500L);
            assertThat(broker.queueLength("default")).as("the message is in flight, not gone").isEqualTo(1);

            Thread releaser = Thread.ofVirtual().start(() -> {
                sleep(300);
                release.countDown();
            });
            long joining = System.nanoTime();
            broker.join("default", Duration.ofSeconds(10));
            long joinedAfter = millisSince(joining);
            releaser.join();

            assertThat(joinedAfter).as("join returned once the task was acked").isBetween(250L, 3_000L);
            assertThat(worker.join(Duration.ofSeconds(5))).isTrue();
            assertThat(worker.stats().processed()).isEqualTo(1);
        }
    }

    @Test
    void aMessageWrittenByPythonDramatiqIsProcessedByAJavaActor(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            SupabaseBroker broker = t.broker();
            Map<String, Integer> results = new ConcurrentHashMap<>();
            Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").parameterNames("x", "y").on(broker)
                    .function(int.class, int.class, (x, y) -> {
                        results.merge(x + "+" + y, x + y, (a, b) -> {
                            throw new AssertionError("ran twice: " + x + "+" + y);
                        });
                        return x + y;
                    });
            assertThat(add.queueName()).isEqualTo("default");

            // Exactly what Python Dramatiq's JSONEncoder produces for add.send(1, 2) and add.send(x=40, y=2):
            // json.dumps(message.asdict(), separators=(",", ":")).
            long now = System.currentTimeMillis();
            String positional = "{\"queue_name\":\"default\",\"actor_name\":\"add\",\"args\":[1,2],\"kwargs\":{},"
                    + "\"options\":{},\"message_id\":\"" + UUID.randomUUID() + "\",\"message_timestamp\":" + now + "}";
            String keywords = "{\"queue_name\":\"default\",\"actor_name\":\"add\",\"args\":[],"
                    + "\"kwargs\":{\"x\":40,\"y\":2},\"options\":{},\"message_id\":\"" + UUID.randomUUID()
                    + "\",\"message_timestamp\":" + now + "}";
            try (Connection connection = db.connect()) {
                PgmqSql.send(connection, broker.pgmqQueue("default"), positional);
                PgmqSql.send(connection, broker.pgmqQueue("default"), keywords);
            }
            Worker worker = t.start(broker, options());

            await("both results", Duration.ofSeconds(5), () -> results.size() == 2);
            broker.join("default", Duration.ofSeconds(5));
            assertThat(worker.join(Duration.ofSeconds(5))).isTrue();

            assertThat(results).containsExactlyInAnyOrderEntriesOf(Map.of("1+2", 3, "40+2", 42));
            assertThat(worker.stats().processed()).isEqualTo(2);
            assertThat(worker.stats().actors().get("add").processed()).isEqualTo(2);
            assertThat(broker.deadLetterCount("default")).isZero();
            // And the reverse direction decodes too: what Java enqueues is the same seven-field dict.
            Message javaMessage = add.message(1, 2);
            assertThat(javaMessage.toMap().keySet()).containsExactlyElementsOf(Message.KEYS);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
