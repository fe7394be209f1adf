package dev.supaqueue.worker;

import static dev.supaqueue.worker.WorkerTesting.await;
import static dev.supaqueue.worker.WorkerTesting.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.BrokerConnectionException;
import dev.supaqueue.broker.Consumer;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.MiddlewareException;
import dev.supaqueue.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting, stopping, hooks and broker failures. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WorkerLifecycleTest {

    private final List<WorkerTesting> fixtures = new ArrayList<>();

    private WorkerTesting fixture(StubBroker broker) {
        WorkerTesting fixture = new WorkerTesting(broker);
        fixtures.add(fixture);
        return fixture;
    }

    private WorkerTesting fixture(Middleware... middleware) {
        return fixture(new StubBroker(List.of(middleware)));
    }

    @AfterEach
    void stopWorkers() {
        fixtures.forEach(WorkerTesting::stopAll);
    }

    @Test
    void gracefulStopUnderLoadLosesNothingAndRunsNothingTwice() throws Exception {
        WorkerTesting t = fixture();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        TestActor work = TestActor.declare(t.broker, "work", m -> {
            Thread.sleep(5);
            runs.computeIfAbsent(m.messageId(), id -> new AtomicInteger()).incrementAndGet();
            return null;
        });
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(work.send(i).messageId());
        }
        // A large prefetch leaves many unstarted messages in memory at the stop.
        Worker first = t.start(options().workerThreads(4).prefetch(60));
        await("some progress", () -> runs.size() >= 40);

        long stopStart = System.nanoTime();
        first.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
        int ranBeforeStop = runs.size();

        assertThat(stopMillis).as("stop duration (ms)").isLessThan(2_000);
        assertThat(ranBeforeStop).isLessThan(300);
        // Everything not run is back in the broker at once: no visibility timeout to wait for.
        assertThat(t.broker.queueSize("default")).isEqualTo(300 - ranBeforeStop);
        assertThat(first.stats().inFlight()).isZero();

        Worker second = t.start(options().workerThreads(4));
        t.drain(second, "default");

        assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(first.stats().processed() + second.stats().processed()).isEqualTo(300);
    }

    @Test
    void taskStillRunningAfterTheShutdownTimeoutIsInterruptedAndLeftToTheBroker() throws Exception {
        List<String> settled = new CopyOnWriteArrayList<>();
        Middleware settlements = new Middleware() {
            @Override
            public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
                settled.add("process " + exception);
            }

            @Override
            public void afterAck(Broker broker, MessageProxy message) {
                settled.add("ack");
            }

            @Override
            public void afterNack(Broker broker, MessageProxy message) {
                settled.add("nack");
            }
        };
        WorkerTesting t = fixture(settlements);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        TestActor slow = TestActor.declare(t.broker, "slow", m -> {
            started.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        });
        Worker worker = t.start(options().workerThreads(1));
        Message sent = slow.send();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        long stopStart = System.nanoTime();
        try (LogCapture log = new LogCapture()) {
            worker.stop(Duration.ofMillis(200));
            assertThat(log.text()).contains("WARN", sent.messageId(), "still running", "shutdown timeout");
        }

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart)).isLessThan(3_000);
        await("the task to be interrupted", interrupted::get);
        Thread.sleep(100);
        // No outcome for an abandoned attempt: a Retries middleware must not enqueue a second copy.
        assertThat(settled).isEmpty();
        assertThat(t.broker.deadLetters("default")).isEmpty();
        // Neither acked nor lost: the closed consumer gave it back (pgmq: visible again after its timeout).
        assertThat(t.broker.queueSize("default")).isEqualTo(1);
    }

    @Test
    void hooksFireOnTheRightThreads() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Worker> hookWorkers = new CopyOnWriteArrayList<>();
        Middleware recorder = new Middleware() {
            @Override
            public void beforeWorkerBoot(Broker broker, Worker worker) {
                hookWorkers.add(worker);
                events.add("before_worker_boot");
            }

            @Override
            public void afterWorkerBoot(Broker broker, Worker worker) {
                hookWorkers.add(worker);
                events.add("after_worker_boot");
            }

            @Override
            public void beforeWorkerShutdown(Broker broker, Worker worker) {
                hookWorkers.add(worker);
                events.add("before_worker_shutdown");
            }

            @Override
            public void afterWorkerShutdown(Broker broker, Worker worker) {
                hookWorkers.add(worker);
                events.add("after_worker_shutdown");
            }

            @Override
            public void afterWorkerThreadBoot(Broker broker, Thread thread) {
                record("after_worker_thread_boot", thread);
            }

            @Override
            public void beforeWorkerThreadShutdown(Broker broker, Thread thread) {
                record("before_worker_thread_shutdown", thread);
            }

            @Override
            public void afterConsumerThreadBoot(Broker broker, Thread thread) {
                record("after_consumer_thread_boot", thread);
            }

            @Override
            public void beforeConsumerThreadShutdown(Broker broker, Thread thread) {
                record("before_consumer_thread_shutdown", thread);
            }

            private void record(String hook, Thread thread) {
                threads.add(thread);
                // Each thread hook runs on the thread it names.
                events.add(hook + " " + thread.getName() + (thread == Thread.currentThread() ? "" : " (elsewhere)"));
            }
        };
        WorkerTesting t = fixture(recorder);
        t.broker.declareQueue("default");
        t.broker.declareQueue("other");
        Worker worker = t.start(options().workerThreads(2));
        await("all threads booted", () -> threads.size() == 4);

        worker.stop();

        assertThat(hookWorkers).containsOnly(worker).hasSize(4);
        assertThat(events.getFirst()).isEqualTo("before_worker_boot");
        assertThat(events.getLast()).isEqualTo("after_worker_shutdown");
        assertThat(events).contains("after_worker_boot", "before_worker_shutdown")
                .contains("after_worker_thread_boot supaqueue-worker-1", "after_worker_thread_boot supaqueue-worker-2",
                        "before_worker_thread_shutdown supaqueue-worker-1",
                        "before_worker_thread_shutdown supaqueue-worker-2",
                        "after_consumer_thread_boot supaqueue-consumer-default",
                        "after_consumer_thread_boot supaqueue-consumer-other",
                        "before_consumer_thread_shutdown supaqueue-consumer-default",
                        "before_consumer_thread_shutdown supaqueue-consumer-other")
                .hasSize(12);
        assertThat(events.indexOf("before_worker_shutdown"))
                .isLessThan(events.indexOf("before_worker_thread_shutdown supaqueue-worker-1"));
        assertThat(threads).allSatisfy(thread -> {
            assertThat(thread.isDaemon()).isFalse();
            assertThat(thread.isAlive()).isFalse();
        });
    }

    @Test
    void consumerRetriesWithBackoffWhenTheBrokerFails() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        StubBroker flaky = new StubBroker() {
            @Override
            public Consumer consume(String queueName, int prefetch, Duration timeout) {
                return new FlakyConsumer(super.consume(queueName, prefetch, timeout), failuresLeft);
            }
        };
        WorkerTesting t = fixture(flaky);
        AtomicInteger calls = new AtomicInteger();
        TestActor actor = TestActor.declare(t.broker, "actor", m -> calls.incrementAndGet());
        actor.send();

        try (LogCapture log = new LogCapture()) {
            long start = System.nanoTime();
            Worker worker = t.start();
            t.drain(worker, "default");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(calls).hasValue(1);
            // 0.5 s, then 1 s.
            assertThat(tookMillis).isGreaterThanOrEqualTo(1_400);
            assertThat(log.text()).contains("Consumer of queue 'default' failed; retrying in 500 ms",
                    "Consumer of queue 'default' failed; retrying in 1000 ms", "connection lost");
        }
    }

    @Test
    void startsOnceAndStopsIdempotently() throws Exception {
        WorkerTesting t = fixture();
        Worker worker = t.start();
        assertThat(worker.isRunning()).isTrue();

        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
        worker.stop();
        worker.stop();
        worker.close();

        assertThat(worker.isRunning()).isFalse();
        assertThat(worker.join(Duration.ZERO)).isTrue();
        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("create a new one");

        Worker neverStarted = new Worker(t.broker, options().build());
        neverStarted.stop();
        assertThatThrownBy(neverStarted::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void beforeWorkerBootCanRefuseTheStart() {
        Middleware refuse = new Middleware() {
            @Override
            public void beforeWorkerBoot(Broker broker, Worker worker) {
                throw new MiddlewareException("not on this host");
            }
        };
        WorkerTesting t = fixture(refuse);
        t.broker.declareQueue("default");
        Worker worker = new Worker(t.broker, options().build());

        assertThatThrownBy(worker::start).isInstanceOf(MiddlewareException.class).hasMessage("not on this host");
        assertThat(worker.isRunning()).isFalse();
        assertThat(worker.consumedQueues()).isEmpty();
    }

    @Test
    void workersOnOneBrokerShareOneQueueListener() throws Exception {
        WorkerTesting t = fixture();
        AtomicInteger calls = new AtomicInteger();
        TestActor actor = TestActor.declare(t.broker, "actor", m -> calls.incrementAndGet());
        Worker first = t.start();
        first.stop();
        Worker second = t.start();
        Worker third = t.start();

        actor.send();
        actor.send();
        t.drain(second, "default");
        assertThat(third.join(Duration.ofSeconds(5))).isTrue();

        assertThat(calls).hasValue(2);
        assertThat(t.broker.middleware()).filteredOn(m -> m instanceof Worker.QueueListener).hasSize(1);
        // A queue declared now goes to the running workers only.
        t.broker.declareQueue("later");
        assertThat(first.consumedQueues()).containsExactly("default");
        assertThat(second.consumedQueues()).containsExactly("default", "later");
        assertThat(third.consumedQueues()).containsExactly("default", "later");
    }

    /** Fails its first calls to next() as a lost connection would. */
    private record FlakyConsumer(Consumer delegate, AtomicInteger failuresLeft) implements Consumer {

        @Override
        public Optional<MessageProxy> next() throws InterruptedException {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new BrokerConnectionException("connection lost", null);
            }
            return delegate.next();
        }

        @Override
        public void ack(MessageProxy message) {
            delegate.ack(message);
        }

        @Override
        public void nack(MessageProxy message) {
            delegate.nack(message);
        }

        @Override
        public void requeue(Collection<MessageProxy> messages) {
            delegate.requeue(messages);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
