package dev.supaqueue.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/** A stub broker with some middleware and one worker, stopped when the test ends. */
final class ResultsFixture implements AutoCloseable {

    final StubBroker broker;
    private Worker worker;

    ResultsFixture(List<? extends Middleware> middleware) {
        this.broker = new StubBroker(middleware);
    }

    Worker start() {
        worker = new Worker(broker, WorkerOptions.builder().workerThreads(2).consumerTimeout(Duration.ofMillis(100))
                .shutdownTimeout(Duration.ofSeconds(5)).build());
        worker.start();
        return worker;
    }

    /** Waits until the queue is empty, failures included, and the worker idle. */
    void drain(String queue) throws InterruptedException {
        broker.join(queue, Duration.ofSeconds(10), false);
        assertThat(worker.join(Duration.ofSeconds(10))).as("worker idle").isTrue();
    }


    @Override
    public void close() {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(2));
        }
        broker.close();
    }

    /** A clock that tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
