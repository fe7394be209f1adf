package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.BrokerException;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * More threads than connections: producers wait for a connection and succeed, or fail after the connection
 * timeout with an error that names the pool and the timeout; a worker with more threads than connections, its
 * heartbeat, reads and acks all sharing a pool of two, drains its queue without deadlock and loses nothing.
 */
@PgmqIntegrationTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolExhaustionIT {

    private static final Logger log = LoggerFactory.getLogger(PoolExhaustionIT.class);
    private static final int MAX_CONNECTIONS = 2;
    private static final int PRODUCERS = 16;

    @Test
    void sixteenProducersOnTwoConnectionsWaitAndAllSucceed(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (Brokers t = new Brokers(db, queues)) {
            SupabaseBroker broker = t.broker(b -> b.minConnections(0).maxConnections(MAX_CONNECTIONS));
            Actor1<Integer, Void> job = ActorDefinition.named("job").on(broker).consumer(Integer.class, i -> { });
            int perProducer = 25;
            long started = System.nanoTime();
            List<Throwable> failures = runTogether(PRODUCERS, producer -> {
                for (int i = 0; i < perProducer; i++) {
                    job.send(producer * perProducer + i);
                }
            });
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(failures).isEmpty();
            assertThat(broker.queueLength("default")).isEqualTo((long) PRODUCERS * perProducer);
            log.info("pool exhaustion: {} producers x {} sends on {} connections in {} ms", PRODUCERS, perProducer,
                    MAX_CONNECTIONS, elapsedMillis);
        }
    }

    @Test
    void producersThatFindEveryConnectionTakenFailAfterTheTimeoutNamingThePool(TestDatabaseServer db,
                                                                              TestQueues queues) throws Exception {
        try (Brokers t = new Brokers(db, queues)) {
            Duration timeout = Duration.ofMillis(500);
            SupabaseBroker broker = t.broker(b -> b.minConnections(0).maxConnections(MAX_CONNECTIONS)
                    .connectionTimeout(timeout));
            Actor1<Integer, Void> job = ActorDefinition.named("job").on(broker).consumer(Integer.class, i -> { });
            List<Connection> held = new ArrayList<>();
            List<Throwable> failures;
            long started = System.nanoTime();
            try {
                for (int i = 0; i < MAX_CONNECTIONS; i++) {
                    held.add(broker.dataSource().getConnection());
                }
                failures = runTogether(PRODUCERS, producer -> job.send(producer));
            } finally {
                for (Connection connection : held) {
                    connection.close();
                }
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(failures).hasSize(PRODUCERS).allSatisfy(failure -> {
                assertThat(failure).isInstanceOf(BrokerException.class);
                assertThat(failure.getMessage())
                        .contains("supaqueue-" + t.namespace)
                        .contains("Connection is not available, request timed out after")
                        .contains("All " + MAX_CONNECTIONS + " connections of the pool were in use")
                        .contains("connection timeout");
            });
            assertThat(elapsedMillis).as("each waited about the connection timeout, not for ever")
                    .isLessThan(timeout.toMillis() * PRODUCERS);
            assertThat(broker.queueLength("default")).as("nothing half-sent").isZero();
            // The pool recovers as soon as connections come back.
            job.send(1);
            assertThat(broker.queueLength("default")).isEqualTo(1);
            log.info("pool timeout: {} producers failed after {} ms; e.g. {}", PRODUCERS, elapsedMillis,
                    failures.getFirst().getMessage());
        }
    }

    @Test
    void aWorkerWithMoreThreadsThanConnectionsDrainsWithoutDeadlockOrLoss(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (Brokers t = new Brokers(db, queues)) {
            SupabaseBroker broker = t.broker(b -> b.minConnections(0).maxConnections(MAX_CONNECTIONS)
                    .visibilityTimeout(Duration.ofSeconds(1)));
            Map<Integer, Integer> runs = new ConcurrentHashMap<>();
            AtomicInteger inQuery = new AtomicInteger();
            // Each task also borrows from the broker's pool (as a result backend would) while the heartbeat, the
            // reads and the acks compete for the same two connections.
            Actor1<Integer, Void> job = ActorDefinition.named("job").on(broker).consumer(Integer.class, i -> {
                try (Connection connection = broker.dataSource().getConnection();
                     PreparedStatement sleep = connection.prepareStatement("SELECT pg_sleep(0.005)")) {
                    inQuery.incrementAndGet();
                    sleep.execute();
                }
                runs.merge(i, 1, Integer::sum);
            });
            int messages = 300;
            for (int i = 0; i < messages; i++) {
                job.send(i);
            }
            long started = System.nanoTime();
            Worker worker = t.start(broker, Brokers.options().workerThreads(8).prefetch(16));
            broker.join("default", Duration.ofSeconds(40));
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(runs.keySet()).as("nothing lost").hasSize(messages);
            long duplicates = runs.values().stream().filter(n -> n > 1).count();
            assertThat(duplicates).as("runs per message: %s", runs).isZero();
            assertThat(worker.stats().deadLettered()).isZero();
            assertThat(broker.deadLetterCount("default")).isZero();
            log.info("pool-starved worker: {} messages, 8 threads on {} connections, vt 1 s, drained in {} ms",
                    messages, MAX_CONNECTIONS, elapsedMillis);
        }
    }

    @FunctionalInterface
    private interface Producer {
        void run(int index) throws Exception;
    }

    /** Runs the producers at once, each on its own thread; returns what they threw. */
    private static List<Throwable> runTogether(int count, Producer producer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    producer.run(index);
                    return null;
                }));
            }
            go.countDown();
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> future : futures) {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }
}
