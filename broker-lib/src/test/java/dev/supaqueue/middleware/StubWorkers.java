package dev.supaqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A stub broker with middleware and one worker on it, for one test; closing stops both. */
final class StubWorkers implements AutoCloseable {

    final StubBroker broker;
    private Worker worker;

    StubWorkers(Middleware... middleware) {
        this.broker = new StubBroker(List.of(middleware));
    }

    /** Starts the worker (call after declaring the actors; later ones get consumers too). */
    Worker start() {
        // A short consumer timeout, as Dramatiq's stub fixture, keeps the stop quick.
        worker = new Worker(broker, WorkerOptions.builder().workerThreads(4).consumerTimeout(Duration.ofMillis(100))
                .shutdownTimeout(Duration.ofSeconds(5)).build());
        worker.start();
        return worker;
    }

    /** Waits until the queue (delayed retries included) is empty and the worker idle. */
    void drain(String queue) throws InterruptedException {
        broker.join(queue, Duration.ofSeconds(10));
        assertThat(worker.join(Duration.ofSeconds(10))).as("worker idle").isTrue();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(2));
        }
        broker.close();
    }
}
