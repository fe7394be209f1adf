package dev.supaqueue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A stub broker with some middleware and the workers of one test, stopped when the test ends. */
public final class StubWorkerFixture implements AutoCloseable {

    public final StubBroker broker;
    private final List<Worker> workers = new ArrayList<>();

    public StubWorkerFixture(List<? extends Middleware> middleware) {
        this.broker = new StubBroker(middleware);
    }

    /** Dramatiq's test fixture uses worker_timeout=100: a stop then takes about 100 ms. */
    public Worker start() {
        Worker worker = new Worker(broker, WorkerOptions.builder().consumerTimeout(Duration.ofMillis(100))
                .shutdownTimeout(Duration.ofSeconds(5)).build());
        workers.add(worker);
        worker.start();
        return worker;
    }

    /** Waits until the queue is empty (failures included: they are what some tests look at) and the workers idle. */
    public void drain(String queue) throws InterruptedException {
        broker.join(queue, Duration.ofSeconds(10), false);
        for (Worker worker : workers) {
            assertThat(worker.join(Duration.ofSeconds(10))).as("worker idle").isTrue();
        }
    }

    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.stop(Duration.ofSeconds(2));
        }
        broker.close();
    }
}
