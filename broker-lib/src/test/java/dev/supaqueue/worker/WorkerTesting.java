package dev.supaqueue.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.supaqueue.broker.StubBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Starts workers on a stub broker for one test and stops them afterwards. */
final class WorkerTesting {

    final StubBroker broker;
    private final List<Worker> workers = new ArrayList<>();

    WorkerTesting(StubBroker broker) {
        this.broker = broker;
    }

    /** Dramatiq's test fixture uses worker_timeout=100: a stop then takes about 100 ms. */
    static WorkerOptions.Builder options() {
        return WorkerOptions.builder().consumerTimeout(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(5));
    }

    Worker start(WorkerOptions.Builder options) {
        Worker worker = new Worker(broker, options.build());
        workers.add(worker);
        worker.start();
        return worker;
    }

    Worker start() {
        return start(options());
    }

    /** Waits for the queue to drain (rethrowing a dead-lettered message's exception), then for the worker. */
    void drain(Worker worker, String queue) throws InterruptedException {
        broker.join(queue, Duration.ofSeconds(10), true);
        assertThat(worker.join(Duration.ofSeconds(10))).as("worker idle").isTrue();
    }

    void stopAll() {
        for (Worker worker : workers) {
            worker.stop(Duration.ofSeconds(2));
        }
        broker.close();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
