package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.fail;

import dev.supaqueue.admin.BrowseRequest;
import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The brokers, workers and admins of one reliability scenario, all in one fresh namespace and without middleware
 * (so a failure is dead-lettered at once instead of retried); closing it stops the workers, then closes the rest.
 */
final class Brokers implements AutoCloseable {

    final TestDatabaseServer db;
    final String namespace;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

    Brokers(TestDatabaseServer db, TestQueues queues) {
        this.db = db;
        this.namespace = queues.newNamespace();
    }

    /** Settings for this namespace, polling an idle queue at least every 200 ms. */
    SupabaseBrokerSettings.Builder settings() {
        return db.brokerSettings().namespace(namespace).maxPollInterval(Duration.ofMillis(200));
    }

    SupabaseBroker broker() {
        return broker(UnaryOperator.identity());
    }

    SupabaseBroker broker(UnaryOperator<SupabaseBrokerSettings.Builder> adjust) {
        SupabaseBroker broker = new SupabaseBroker(adjust.apply(settings()).build(), List.of());
        closeables.add(broker);
        return broker;
    }

    QueueAdmin admin(SupabaseBroker broker) {
        return QueueAdmin.forBroker(broker);
    }

    static WorkerOptions.Builder options() {
        return WorkerOptions.builder().consumerTimeout(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(10));
    }

    Worker start(Broker broker, WorkerOptions.Builder options) {
        Worker worker = new Worker(broker, options.build());
        workers.add(worker);
        worker.start();
        return worker;
    }

    /** Every row of a pgmq queue as the admin browses it (oldest first), without touching the messages. */
    static List<BrowsedMessage> browseAll(QueueAdmin admin, MessageSource source) {
        List<BrowsedMessage> all = new ArrayList<>();
        BrowseRequest request = BrowseRequest.firstPage(source).withOrder(BrowseRequest.Order.OLDEST_FIRST)
                .withLimit(BrowseRequest.MAX_LIMIT);
        while (true) {
            var page = admin.browse(request);
            all.addAll(page.messages());
            if (page.next().isEmpty()) {
                return all;
            }
            request = page.next().get();
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Worker worker : workers) {
            try {
                worker.stop(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                first = first == null ? new IllegalStateException("closing " + closeable + " failed", e) : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
