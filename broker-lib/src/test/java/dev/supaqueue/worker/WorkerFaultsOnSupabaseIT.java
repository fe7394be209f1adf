package dev.supaqueue.worker;

import static dev.supaqueue.worker.SupabaseWorkers.await;
import static dev.supaqueue.worker.SupabaseWorkers.millisSince;
import static dev.supaqueue.worker.SupabaseWorkers.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.BrokerConnectionException;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.pgmq.QueueMetrics;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults on a real PostgreSQL: a task longer than the visibility timeout, a worker that dies with messages in
 * flight, and the loss of every connection while messages stream through.
 */
@PgmqIntegrationTest
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class WorkerFaultsOnSupabaseIT {

    private static final Duration VT = Duration.ofSeconds(1);

    @Test
    void aTaskLongerThanThreeVisibilityTimeoutsRunsOnceWhileItsWorkerLives(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
            AtomicInteger ranOnSecond = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);

            SupabaseBroker firstBroker = t.broker(VT);
            Actor1<String, Void> slow = ActorDefinition.named("slow").on(firstBroker).consumer(String.class, id -> {
                runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                started.countDown();
                Thread.sleep(3_500);
                finished.countDown();
            });
            SupabaseBroker secondBroker = t.broker(VT);
            ActorDefinition.named("slow").on(secondBroker).consumer(String.class, id -> {
                runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                ranOnSecond.incrementAndGet();
            });

            Worker first = t.start(firstBroker, options().workerThreads(1));
            slow.send("long");
            assertThat(started.await(5, TimeUnit.SECONDS)).as("the first worker started the task").isTrue();
            // Another worker polls the same queue for the whole task (about every 100 ms).
            Worker second = t.start(secondBroker, options().workerThreads(2));

            assertThat(finished.await(6, TimeUnit.SECONDS)).isTrue();
            firstBroker.join("default", Duration.ofSeconds(5));
            assertThat(first.join(Duration.ofSeconds(5))).isTrue();
            // Past another visibility timeout: a copy hidden by a stale vt would show up now.
            Thread.sleep(VT.toMillis() + 300);

            assertThat(runs).containsOnlyKeys("long");
            assertThat(runs.get("long").get()).as("executions").isEqualTo(1);
            assertThat(ranOnSecond.get()).as("executions on the second worker").isZero();
            assertThat(second.stats().processed() + second.stats().failed()).isZero();
            assertThat(first.stats().processed()).isEqualTo(1);
            assertThat(secondBroker.queueLength("default")).isZero();
        }
    }

    /**
     * A JVM cannot kill a worker's threads (Thread.stop is gone), so a crash is simulated by closing the worker's
     * broker under it without stopping the worker: the heartbeat stops, the pool closes, the consumer delivers no
     * more, and the two messages the worker holds (one running, blocked for good; one waiting in its memory) are
     * neither acked nor given back — as after {@code kill -9}. The dead worker's consumer thread must idle, not spin
     * on its closed consumer.
     */
    @Test
    void aKilledWorkersMessagesAreRedeliveredAfterTheVisibilityTimeoutToAnotherWorker(TestDatabaseServer db,
                                                                                       TestQueues queues)
            throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            CountDownLatch victimStarted = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            List<Integer> completedByVictim = new CopyOnWriteArrayList<>();
            Map<Integer, AtomicInteger> survivorRuns = new ConcurrentHashMap<>();
            Map<Integer, Long> survivorRanAtNanos = new ConcurrentHashMap<>();

            SupabaseBroker victimBroker = t.broker(VT);
            Actor1<Integer, Void> job = ActorDefinition.named("job").on(victimBroker).consumer(Integer.class, i -> {
                victimStarted.countDown();
                never.await();
                completedByVictim.add(i);
            });
            SupabaseBroker survivorBroker = t.broker(VT);
            ActorDefinition.named("job").on(survivorBroker).consumer(Integer.class, i -> {
                survivorRuns.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
                survivorRanAtNanos.put(i, System.nanoTime());
            });

            Worker victim = t.start(victimBroker, options().workerThreads(1).prefetch(2));
            for (int i = 0; i < 6; i++) {
                job.send(i);
            }
            assertThat(victimStarted.await(5, TimeUnit.SECONDS)).isTrue();
            await("a second message waiting in the victim's memory", Duration.ofSeconds(5),
                    () -> victim.waitingCount() == 1);
            // A few heartbeats, so the held messages' visibility has been extended at least once.
            Thread.sleep(700);
            QueueMetrics holding = victimBroker.client().metrics(victimBroker.pgmqQueue("default"));
            assertThat(holding.queueLength()).isEqualTo(6);
            if (holding.visibleLength().isPresent()) {
                assertThat(holding.queueVisibleLength()).as("visible while the victim holds 2").isEqualTo(4L);
            }

            List<Thread> victimConsumers = consumerThreads();
            victimBroker.close();
            long killedAt = System.nanoTime();
            long victimCpuAtKill = cpuNanos(victimConsumers);
            assertThat(victim.isRunning()).as("the worker itself was not stopped").isTrue();

            Worker survivor = t.start(survivorBroker, options().workerThreads(2));
            await("all 6 messages processed by the survivor", Duration.ofSeconds(8),
                    () -> survivorRuns.size() == 6);
            survivorBroker.join("default", Duration.ofSeconds(5));
            long recoveredAfter = millisSince(killedAt);
            long victimCpuMillis = (cpuNanos(victimConsumers) - victimCpuAtKill) / 1_000_000;

            assertThat(survivorRuns).containsOnlyKeys(0, 1, 2, 3, 4, 5)
                    .allSatisfy((i, count) -> assertThat(count.get()).as("survivor runs of %d", i).isEqualTo(1));
            // The two held messages are the first two; they could only come back once their vt lapsed.
            for (int held : new int[] {0, 1}) {
                long after = (survivorRanAtNanos.get(held) - killedAt) / 1_000_000;
                assertThat(after).as("message %d redelivered after the kill, ms", held)
                        .isGreaterThanOrEqualTo(VT.toMillis() / 3 * 2 - 50).isLessThan(VT.toMillis() + 3_000);
            }
            assertThat(completedByVictim).isEmpty();
            assertThat(survivor.stats().processed()).isEqualTo(6);
            assertThat(survivorBroker.queueLength("default")).isZero();
            assertThat(survivorBroker.deadLetterCount("default")).isZero();
            assertThat(victimCpuMillis).as("CPU used by the dead worker's consumer thread in %d ms", recoveredAfter)
                    .isLessThan(recoveredAfter / 4);
            System.out.printf("killed worker: its 2 messages were back and processed %d ms after the kill; its"
                    + " consumer thread used %d ms of CPU meanwhile%n", recoveredAfter, victimCpuMillis);
            // The fixture stops the victim: its blocked task is interrupted and abandoned, never acked.
        }
    }

    @Test
    void theWorkerReconnectsAfterEveryConnectionIsTerminatedAndNoAcknowledgedSendIsLost(TestDatabaseServer db,
                                                                                         TestQueues queues)
            throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            Set<String> processed = ConcurrentHashMap.newKeySet();
            AtomicInteger executions = new AtomicInteger();
            SupabaseBroker workerBroker = t.broker(Duration.ofSeconds(2));
            ActorDefinition.named("tick").on(workerBroker).consumer(String.class, id -> {
                Thread.sleep(5);
                processed.add(id);
                executions.incrementAndGet();
            });
            SupabaseBroker producerBroker = t.broker(Duration.ofSeconds(2));
            Actor1<String, Void> tick = ActorDefinition.named("tick").on(producerBroker)
                    .consumer(String.class, id -> {
                        throw new AssertionError("the producer's actor never runs");
                    });
            Worker worker = t.start(workerBroker, options().workerThreads(4));

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> refused = ConcurrentHashMap.newKeySet();
            List<Throwable> unexpected = new CopyOnWriteArrayList<>();
            int total = 400;
            Thread producer = Thread.ofPlatform().name("test-producer").start(() -> {
                for (int i = 0; i < total; i++) {
                    String id = "m-" + i;
                    try {
                        tick.send(id);
                        acknowledged.add(id);
                    } catch (BrokerConnectionException e) {
                        refused.add(id);
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                    sleepQuietly(5);
                }
            });

            await("a stream of processed messages", Duration.ofSeconds(10), () -> processed.size() >= 60);
            int terminated;
            try (Connection admin = db.connect()) {
                assertThat(supaqueueBackends(admin)).as("the brokers' connections are named supaqueue")
                        .isGreaterThanOrEqualTo(2);
                terminated = terminateSupaqueueBackends(admin);
                Thread.sleep(300);
                // While they reconnect: a second blow, to the fresh connections.
                terminated += terminateSupaqueueBackends(admin);
            }
            int processedAtTheCut = processed.size();
            producer.join(Duration.ofSeconds(20));
            assertThat(producer.isAlive()).as("producer finished").isFalse();

            await("every acknowledged send processed", Duration.ofSeconds(15),
                    () -> processed.containsAll(acknowledged));
            workerBroker.join("default", Duration.ofSeconds(10));
            assertThat(worker.join(Duration.ofSeconds(5))).isTrue();

            System.out.printf("connection loss: %d backends terminated after %d processed; %d sends acknowledged,"
                            + " %d refused with BrokerConnectionException; %d processed (%d executions)%n",
                    terminated, processedAtTheCut, acknowledged.size(), refused.size(), processed.size(),
                    executions.get());
            assertThat(terminated).as("terminated backends").isPositive();
            assertThat(unexpected).as("enqueue either succeeds or throws BrokerConnectionException").isEmpty();
            assertThat(acknowledged.size() + refused.size()).isEqualTo(total);
            assertThat(processed).as("no acknowledged send is lost").containsAll(acknowledged);
            Set<String> attempted = new java.util.HashSet<>(acknowledged);
            attempted.addAll(refused);
            assertThat(attempted).as("nothing processed that was never sent").containsAll(processed);
            assertThat(processed.size()).as("processed after the reconnect").isGreaterThan(processedAtTheCut);
            assertThat(worker.isRunning()).isTrue();
            assertThat(workerBroker.queueLength("default")).isZero();
            assertThat(workerBroker.deadLetterCount("default")).isZero();
        }
    }

    private static List<Thread> consumerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("supaqueue-consumer-")).toList();
    }

    /** CPU time of these threads (0 where the JVM does not measure it). */
    private static long cpuNanos(List<Thread> threads) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            return 0;
        }
        return threads.stream().mapToLong(thread -> Math.max(0, mx.getThreadCpuTime(thread.threadId()))).sum();
    }

    private static int supaqueueBackends(Connection admin) throws Exception {
        try (Statement statement = admin.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND application_name = 'supaqueue'")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static int terminateSupaqueueBackends(Connection admin) throws Exception {
        List<Boolean> results = new ArrayList<>();
        try (Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                     + " AND application_name = 'supaqueue'")) {
            while (rows.next()) {
                results.add(rows.getBoolean(1));
            }
        }
        return (int) results.stream().filter(Boolean::booleanValue).count();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
