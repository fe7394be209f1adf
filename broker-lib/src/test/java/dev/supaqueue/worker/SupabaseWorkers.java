package dev.supaqueue.worker;

import static org.assertj.core.api.Assertions.fail;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqMessage;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brokers and workers of one end-to-end test on a real PostgreSQL, all in one fresh namespace; closing it stops
 * the workers and closes the brokers (the namespace's pgmq queues are dropped by {@link TestQueues} afterwards).
 */
final class SupabaseWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SupabaseWorkers.class);

    /** Dramatiq's test fixture uses worker_timeout=100: a stop then takes about 100 ms. */
    static final Duration CONSUMER_TIMEOUT = Duration.ofMillis(100);

    final TestDatabaseServer db;
    final String namespace;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final List<SupabaseBroker> brokers = new CopyOnWriteArrayList<>();

    SupabaseWorkers(TestDatabaseServer db, TestQueues queues) {
        this.db = db;
        this.namespace = queues.newNamespace();
    }

    /** A broker on the test database in this test's namespace, polling an idle queue at least every 200 ms. */
    SupabaseBroker broker() {
        return broker(UnaryOperator.identity());
    }

    SupabaseBroker broker(UnaryOperator<SupabaseBrokerSettings.Builder> settings) {
        SupabaseBrokerSettings.Builder builder = db.brokerSettings().namespace(namespace)
                .maxPollInterval(Duration.ofMillis(200));
        SupabaseBroker broker = new SupabaseBroker(settings.apply(builder).build(), List.of());
        brokers.add(broker);
        return broker;
    }

    SupabaseBroker broker(Duration visibilityTimeout) {
        return broker(b -> b.visibilityTimeout(visibilityTimeout));
    }

    static WorkerOptions.Builder options() {
        return WorkerOptions.builder().consumerTimeout(CONSUMER_TIMEOUT).shutdownTimeout(Duration.ofSeconds(5));
    }

    /** A worker that is stopped when the test ends, not yet started. */
    Worker worker(Broker broker, WorkerOptions.Builder options) {
        Worker worker = new Worker(broker, options.build());
        workers.add(worker);
        return worker;
    }

    Worker start(Broker broker, WorkerOptions.Builder options) {
        Worker worker = worker(broker, options);
        worker.start();
        return worker;
    }

    /** The dead letters of a queue (read with a long visibility timeout, so each is returned once). */
    static List<PgmqMessage> deadLetters(SupabaseBroker broker, String queue) {
        return broker.client().read(broker.deadLetterQueue(queue), 60, 100);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Worker worker : workers) {
            try {
                worker.stop(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (SupabaseBroker broker : brokers) {
            try {
                broker.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            log.error("Cleaning up the workers and brokers of namespace {} failed", namespace, first);
            throw first;
        }
    }
}
