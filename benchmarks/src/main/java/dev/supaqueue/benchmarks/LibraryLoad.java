package dev.supaqueue.benchmarks;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.Actor3;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.message.Message;
import dev.supaqueue.pgmq.PgmqFeature;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Supaqueue on the same server and message shape: actors sending from several threads, batch enqueue, workers
 * draining a pre-filled queue, and the time from enqueue to the start of the task on an idle worker.
 */
final class LibraryLoad {

    static final String NAMESPACE = "benchsq";
    /** Load before the clock starts, so that the JIT has compiled the whole send path. */

    private final String jdbcUrl;
    private final BenchQueues queues;

    LibraryLoad(String jdbcUrl, BenchQueues queues) {
        this.jdbcUrl = jdbcUrl;
        this.queues = queues;
    }

    /** The broker's settings: defaults (as a user gets them) but for the server and the namespace. */
    private SupabaseBrokerSettings.Builder settings() {
        return SupabaseBrokerSettings.builder().uri(jdbcUrl).namespace(NAMESPACE);
    }

    String pgmqQueue() {
        return NAMESPACE + "_" + DramatiqShape.QUEUE;
    }

    void prepare() throws SQLException {
        queues.drop(pgmqQueue());
        queues.drop(pgmqQueue() + "_xq");
        try (SupabaseBroker broker = broker(settings().build())) {
            broker.declareQueue(DramatiqShape.QUEUE);
        }
    }

    void cleanUp() throws SQLException {
        queues.drop(pgmqQueue());
        queues.drop(pgmqQueue() + "_xq");
    }

    /** {@code Actor.send} from {@code threads} threads sharing one broker: messages per second. */
    Rate send(int threads, int messages) throws Exception {
        queues.reset(pgmqQueue());
        try (SupabaseBroker broker = broker(settings().maxConnections(Math.max(10, threads)).build())) {
            Actor3<Integer, String, String, Void> report = sendReport(broker, null);
            int perThread = messages / threads;
            return afterWarmUp(threads, perThread, 1, (index, step) -> {
                int n = index * perThread + step + 1;
                report.send(n, "user" + n + "@example.com", "weekly");
            });
        }
    }

    /**
     * For the profile: the same {@code pgmq.send} through pgjdbc and HikariCP (the broker's pool) with the message
     * encoded once beforehand — what any JVM client pays, without Supaqueue's actors, middleware and encoding.
     */
    Rate jdbcSend(int threads, int messages) throws Exception {
        queues.reset(pgmqQueue());
        try (SupabaseBroker broker = broker(settings().maxConnections(Math.max(10, threads)).build())) {
            String json = new String(broker.encoder().encodeBytes(sendReport(broker, null)
                    .message(1, "user1@example.com", "weekly")), StandardCharsets.UTF_8);
            DataSource pool = broker.dataSource();
            String queue = pgmqQueue();
            Step sendOne = (index, step) -> {
                try (Connection connection = pool.getConnection();
                     PreparedStatement send = connection.prepareStatement(
                             "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::integer)")) {
                    send.setString(1, queue);
                    send.setString(2, json);
                    send.setInt(3, 0);
                    send.executeQuery().close();
                }
            };
            int perThread = messages / threads;
            return afterWarmUp(threads, perThread, 1, sendOne);
        }
    }

    /** {@code Broker.enqueueAll} of 100 messages at a time (pgmq.send_batch): messages per second. */
    Rate batch100(int threads, int messages) throws Exception {
        queues.reset(pgmqQueue());
        try (SupabaseBroker broker = broker(settings().maxConnections(Math.max(10, threads)).build())) {
            Actor3<Integer, String, String, Void> report = sendReport(broker, null);
            int batchesPerThread = messages / 100 / threads;
            return afterWarmUp(threads, batchesPerThread, 100,
                    (index, step) -> broker.enqueueAll(batchOf(report, (index * batchesPerThread + step) * 100)));
        }
    }

    private static List<Message> batchOf(Actor3<Integer, String, String, Void> report, int first) {
        List<Message> batch = new ArrayList<>(100);
        for (int n = first; n < first + 100; n++) {
            batch.add(report.message(n, "user" + n + "@example.com", "weekly"));
        }
        return batch;
    }

    /** One unit of measured work on one thread: a send, a batch. */
    @FunctionalInterface
    interface Step {
        void run(int threadIndex, int step) throws Exception;
    }

    /**
     * Runs {@code step} over and over on every thread until {@link JitWarmUp} says the JIT is done (pool
     * connections, prepared statements, compiled code: steady state is what is compared, and pgbench, a C program,
     * has nothing to warm up), empties the queue, then times {@code stepsPerThread} steps on as many threads. The
     * warm-up runs the very step that is timed, so the timed loop has nothing new left to compile.
     */
    private Rate afterWarmUp(int threads, int stepsPerThread, int messagesPerStep, Step step) throws Exception {
        JitWarmUp warmUp = new JitWarmUp();
        timedOnThreads(threads, index -> {
            for (int s = stepsPerThread; !warmUp.over(); s++) {
                step.run(index, s % stepsPerThread);
            }
        });
        System.out.printf(Locale.ROOT, "  (warmed up for %.1f s)%n", warmUp.seconds());
        queues.reset(pgmqQueue());
        long cpu = Rate.processCpuNanos();
        long nanos = timedOnThreads(threads, index -> {
            for (int s = 0; s < stepsPerThread; s++) {
                step.run(index, s);
            }
        });
        return Rate.measured((long) stepsPerThread * messagesPerStep * threads, nanos, cpu);
    }

    /** Messages per second of a drain, and the heap samples taken during it (empty when not asked for). */
    record Drain(Rate rate, List<HeapSampler.Sample> heap) {
    }

    /**
     * A {@link Worker} with a no-op actor and {@code threads} worker threads (default prefetch) drains a queue
     * pre-filled with {@code messages}: messages per second, from start until the queue is empty (every ack done).
     */
    Drain drain(int threads, int messages, boolean sampleHeap) throws Exception {
        queues.reset(pgmqQueue());
        queues.fill(pgmqQueue(), messages);
        AtomicLong processed = new AtomicLong();
        try (SupabaseBroker broker = broker(settings().build())) {
            sendReport(broker, processed);
            Worker worker = new Worker(broker, WorkerOptions.builder().queues(DramatiqShape.QUEUE)
                    .workerThreads(threads).build());
            System.gc();
            HeapSampler sampler = sampleHeap ? new HeapSampler(1_000) : null;
            long cpu = Rate.processCpuNanos();
            long started = System.nanoTime();
            worker.start();
            try {
                while (processed.get() < messages || queues.length(pgmqQueue()) > 0) {
                    Thread.sleep(processed.get() < messages ? 20 : 5);
                }
                Rate rate = Rate.measured(messages, System.nanoTime() - started, cpu);
                if (sampler == null) {
                    return new Drain(rate, List.of());
                }
                sampler.close();
                return new Drain(rate, sampler.samples());
            } finally {
                if (sampler != null) {
                    sampler.close();
                }
                worker.stop();
            }
        }
    }

    /** Latencies, and whether the consumer was woken by NOTIFY (false: it polled). */
    record Latency(Timings timings, boolean listening) {
    }

    /** Enqueue-to-start latencies of single messages sent one at a time to an idle worker. */
    Latency latency(boolean listen, Duration maxPollInterval, int samples) throws Exception {
        queues.reset(pgmqQueue());
        SupabaseBrokerSettings latencySettings = settings().listen(listen).maxPollInterval(maxPollInterval).build();
        BlockingQueue<Long> started = new ArrayBlockingQueue<>(1);
        try (SupabaseBroker broker = broker(latencySettings)) {
            // The argument is the sender's clock; this JVM both sends and runs the task.
            Actor1<Long, Void> ping = ActorDefinition.named("ping").queue(DramatiqShape.QUEUE).on(broker)
                    .consumer(Long.class, sentAt -> started.offer(System.nanoTime() - sentAt));
            Worker worker = new Worker(broker, WorkerOptions.builder().queues(DramatiqShape.QUEUE).build());
            worker.start();
            try {
                Timings timings = new Timings(samples);
                int warmUp = 5;
                // An idle consumer backs off from 20 ms, doubling, to the max poll interval: wait until it is
                // there, then a random while longer, so the sends do not fall in step with its polls.
                long poll = maxPollInterval.toMillis();
                long rampMillis = 0;
                for (long step = 20; step < poll; step *= 2) {
                    rampMillis += step;
                }
                for (int i = 0; i < samples + warmUp; i++) {
                    Thread.sleep(rampMillis + poll + ThreadLocalRandom.current().nextLong(poll));
                    ping.send(System.nanoTime());
                    Long nanos = started.poll(maxPollInterval.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                    if (nanos == null) {
                        throw new IllegalStateException("A ping was not started within the poll interval + 10 s");
                    }
                    if (i >= warmUp) {
                        timings.add(nanos);
                    }
                }
                boolean listening = latencySettings.listenAllowed()
                        && broker.client().supports(PgmqFeature.NOTIFY_INSERT);
                return new Latency(timings, listening);
            } finally {
                worker.stop();
            }
        }
    }

    static SupabaseBroker broker(SupabaseBrokerSettings settings) {
        return new SupabaseBroker(settings);
    }

    private static Actor3<Integer, String, String, Void> sendReport(SupabaseBroker broker, AtomicLong processed) {
        return ActorDefinition.named(DramatiqShape.ACTOR).queue(DramatiqShape.QUEUE).on(broker)
                .consumer(Integer.class, String.class, String.class, (userId, email, period) -> {
                    if (processed != null) {
                        processed.incrementAndGet();
                    }
                });
    }

    /** Runs the body on {@code threads} threads started together; returns the elapsed nanoseconds. */
    private static long timedOnThreads(int threads, ThreadBody body) throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread thread = Thread.ofPlatform().name("bench-sender-" + t).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    body.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            running.add(thread);
        }
        ready.await();
        long started = System.nanoTime();
        go.countDown();
        for (Thread thread : running) {
            thread.join();
        }
        long elapsed = System.nanoTime() - started;
        if (failure.get() != null) {
            throw new IllegalStateException("A sender failed", failure.get());
        }
        return elapsed;
    }

    @FunctionalInterface
    private interface ThreadBody {
        void run(int index) throws Exception;
    }
}
