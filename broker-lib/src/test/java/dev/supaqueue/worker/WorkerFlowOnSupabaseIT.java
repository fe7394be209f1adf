package dev.supaqueue.worker;

import static dev.supaqueue.worker.SupabaseWorkers.await;
import static dev.supaqueue.worker.SupabaseWorkers.millisSince;
import static dev.supaqueue.worker.SupabaseWorkers.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.pgmq.QueueMetrics;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Flow control on a real PostgreSQL: the prefetch caps what a worker holds, and a graceful stop gives back the rest. */
@PgmqIntegrationTest
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerFlowOnSupabaseIT {

    @Test
    void prefetchCapsWhatAPausedWorkerReadsAndTheRestStaysInTheQueue(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            SupabaseBroker broker = t.broker();
            Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
            Actor1<Integer, Void> item = ActorDefinition.named("item").on(broker)
                    .consumer(Integer.class, i -> runs.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet());
            for (int i = 0; i < 15; i++) {
                item.send(i);
            }
            Worker worker = t.worker(broker, options().workerThreads(2).prefetch(5));
            worker.pauseWorkerThreads();
            worker.start();

            await("5 messages in the worker's memory", Duration.ofSeconds(5), () -> worker.waitingCount() == 5);
            // Several consumer timeouts: a consumer that over-read would have done it by now.
            Thread.sleep(500);
            assertThat(worker.waitingCount()).isEqualTo(5);
            assertThat(worker.stats().inFlight()).isEqualTo(5);
            assertThat(runs).isEmpty();
            QueueMetrics metrics = broker.client().metrics(broker.pgmqQueue("default"));
            assertThat(metrics.queueLength()).as("all 15 still in pgmq, 5 of them hidden").isEqualTo(15);
            if (metrics.visibleLength().isPresent()) {
                assertThat(metrics.queueVisibleLength()).as("queue_visible_length").isEqualTo(10L);
            } else {
                assertThat(broker.client().read(broker.pgmqQueue("default"), 0, 100)).as("visible rows").hasSize(10);
            }

            worker.resume();
            broker.join("default", Duration.ofSeconds(10));
            assertThat(worker.join(Duration.ofSeconds(5))).isTrue();
            assertThat(runs).hasSize(15).allSatisfy((i, count) -> assertThat(count.get()).as("runs of %d", i)
                    .isEqualTo(1));
        }
    }

    @Test
    void aGracefulStopUnderLoadGivesBackWhatHasNotStartedAndANewWorkerDrainsTheRest(TestDatabaseServer db,
                                                                                     TestQueues queues)
            throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
            // A long visibility timeout: anything the stop failed to give back would stall the second worker.
            Duration vt = Duration.ofSeconds(30);
            SupabaseBroker first = t.broker(vt);
            Actor1<Integer, Void> work = ActorDefinition.named("work").on(first).consumer(Integer.class, i -> {
                Thread.sleep(20);
                runs.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
            });
            for (int i = 0; i < 200; i++) {
                work.send(i);
            }
            Worker firstWorker = t.start(first, options().workerThreads(4));
            await("half of the messages", Duration.ofSeconds(15), () -> runs.size() >= 100);

            long stopping = System.nanoTime();
            firstWorker.stop(Duration.ofSeconds(5));
            long stopMillis = millisSince(stopping);
            int doneByFirst = runs.size();
            assertThat(firstWorker.isRunning()).isFalse();
            assertThat(firstWorker.stats().inFlight()).as("nothing left unsettled").isZero();
            assertThat(stopMillis).as("stop took").isLessThan(2_000L);
            first.close(); // the first process exits

            SupabaseBroker second = t.broker(vt);
            ActorDefinition.named("work").on(second).consumer(Integer.class, i -> {
                Thread.sleep(20);
                runs.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
            });
            long draining = System.nanoTime();
            Worker secondWorker = t.start(second, options().workerThreads(4));
            second.join("default", Duration.ofSeconds(10));
            long drainMillis = millisSince(draining);
            assertThat(secondWorker.join(Duration.ofSeconds(5))).isTrue();

            System.out.printf("graceful stop: first worker ran %d of 200, stop took %d ms; the second drained %d in"
                    + " %d ms%n", doneByFirst, stopMillis, secondWorker.stats().processed(), drainMillis);
            assertThat(drainMillis).as("the rest was drained without waiting for the 30 s visibility timeout")
                    .isLessThan(5_000L);
            assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 200).boxed().toList());
            assertThat(runs).as("a graceful stop neither loses nor repeats a message")
                    .allSatisfy((i, count) -> assertThat(count.get()).as("runs of %d", i).isEqualTo(1));
            assertThat(firstWorker.stats().processed() + secondWorker.stats().processed()).isEqualTo(200);
            assertThat(second.queueLength("default")).isZero();
            assertThat(second.deadLetterCount("default")).isZero();
        }
    }
}
