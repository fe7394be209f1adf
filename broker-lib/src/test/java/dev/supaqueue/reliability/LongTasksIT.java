package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks that run three times the visibility timeout, with a second worker (its own broker and pool) polling the
 * same queue and free to take anything that becomes visible: the heartbeat keeps each running task hidden, so
 * none runs twice. A message read by a "crashed" reader that never heartbeats shows the timeout really is short:
 * it comes back after the visibility timeout and runs once.
 */
@PgmqIntegrationTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LongTasksIT {

    private static final Logger log = LoggerFactory.getLogger(LongTasksIT.class);
    private static final Duration VISIBILITY = Duration.ofSeconds(2);
    /** Three visibility timeouts and a bit: without the heartbeat each would reappear twice while it runs. */
    private static final long TASK_MILLIS = 3 * VISIBILITY.toMillis() + 500;
    private static final int LONG_TASKS = 3;
    private static final int ABANDONED = 1000;

    @Test
    void aLongTaskRunsOnceWhileItsWorkerLivesEvenWithAnotherWorkerPolling(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (Brokers t = new Brokers(db, queues)) {
            Map<Integer, Integer> starts = new ConcurrentHashMap<>();
            Map<Integer, String> ranOn = new ConcurrentHashMap<>();
            List<Integer> ticks = new CopyOnWriteArrayList<>();
            SupabaseBroker first = t.broker(b -> b.visibilityTimeout(VISIBILITY));
            SupabaseBroker second = t.broker(b -> b.visibilityTimeout(VISIBILITY));
            Actor1<Integer, Void> slow = null;
            Actor1<Integer, Void> tick = null;
            for (SupabaseBroker broker : List.of(first, second)) {
                String name = broker == first ? "first" : "second";
                Actor1<Integer, Void> declared = ActorDefinition.named("slow").on(broker).consumer(Integer.class, i -> {
                    starts.merge(i, 1, Integer::sum);
                    ranOn.merge(i, name, (a, b) -> a + "," + b);
                    if (i != ABANDONED) {
                        Thread.sleep(TASK_MILLIS);
                    }
                });
                Actor1<Integer, Void> quick = ActorDefinition.named("tick").on(broker)
                        .consumer(Integer.class, ticks::add);
                slow = slow == null ? declared : slow;
                tick = tick == null ? quick : tick;
            }

            long started = System.nanoTime();
            for (int i = 0; i < LONG_TASKS; i++) {
                slow.send(i);
            }
            // Two threads each: with three long tasks at least one thread is always free to steal a message whose
            // visibility lapsed.
            Worker one = t.start(first, Brokers.options().workerThreads(2).prefetch(2));
            Worker two = t.start(second, Brokers.options().workerThreads(2).prefetch(2));
            Brokers.await("all long tasks to start", Duration.ofSeconds(10), () -> starts.size() == LONG_TASKS);

            // A reader that takes a message and dies: nobody heartbeats it, so it is back after the visibility timeout.
            long abandonedId;
            // Sent and read in one transaction: a free worker thread must not see the message before it is hidden.
            try (Connection connection = db.connect()) {
                connection.setAutoCommit(false);
                abandonedId = PgmqSql.send(connection, first.pgmqQueue("default"),
                        new MessageCodec().encode(slow.message(ABANDONED)));
                assertThat(PgmqSql.read(connection, first.pgmqQueue("default"), (int) VISIBILITY.toSeconds(), 1))
                        .extracting(PgmqSql.MessageRow::msgId).contains(abandonedId);
                connection.commit();
            }
            // Short tasks all through: the workers keep reading while the long ones run.
            int tickCount = 0;
            while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(TASK_MILLIS)) {
                tick.send(tickCount++);
                Thread.sleep(250);
            }
            first.join("default", Duration.ofSeconds(20));
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            // Anything that would run twice would have been visible again by now and taken by an idle thread.
            Thread.sleep(VISIBILITY.toMillis());

            assertThat(starts).as("each long task started exactly once (ran on %s)", ranOn)
                    .isEqualTo(Map.of(0, 1, 1, 1, 2, 1, ABANDONED, 1));
            assertThat(ticks).hasSize(tickCount);
            assertThat(elapsedMillis).as("the long tasks ran side by side").isLessThan(2 * TASK_MILLIS + 5_000);
            assertThat(one.isRunning() && two.isRunning()).isTrue();
            log.info("long tasks: {} tasks of {} ms with vt {} s, {} ticks, ran on {}, drained in {} ms;"
                            + " worker stats {} / {}", LONG_TASKS, TASK_MILLIS, VISIBILITY.toSeconds(), tickCount,
                    ranOn, elapsedMillis, one.stats().processed(), two.stats().processed());
        }
    }
}
