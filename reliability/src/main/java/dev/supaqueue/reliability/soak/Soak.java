package dev.supaqueue.reliability.soak;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.ConnectionPools;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.DefaultMiddleware;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.Retries;
import dev.supaqueue.pgmq.PgmqSession;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import dev.supaqueue.worker.WorkerStats;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A bounded soak: mixed traffic through the public broker API for a fixed time, in one JVM, sampling the JVM, the
 * connection pool and the database at a fixed interval; then a drain, a conservation check (every message sent
 * either succeeded or is a dead letter, none lost, none left in a queue) and a report (Markdown and CSV).
 *
 * <p>Producers send at a steady rate to four actors: most messages succeed at once, some fail once or twice and
 * succeed on a retry (the Retries middleware, short backoff), some always fail and end as dead letters, some are
 * sent with a pgmq delay. Every message carries its sequence number; a ledger of fixed size records its fate.
 *
 * <pre>
 * ./mvnw -q -pl reliability -am -DskipTests package exec:exec \
 *     -Dreliability.main=dev.supaqueue.reliability.soak.Soak -Dreliability.args="--minutes 10"
 * </pre>
 *
 * Exit code 0 when nothing was lost and conservation holds, 1 when a check failed, 2 on bad arguments or setup.
 */
public final class Soak {

    static final int EXIT_PASSED = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_SETUP = 2;

    /** The soak's queues: undelayed traffic, and delayed messages. */
    static final String MIXED_QUEUE = "mixed";
    static final String DELAYED_QUEUE = "later";
    static final String APPLICATION_NAME = "supaqueue-soak";
    private static final String MONITOR_APPLICATION_NAME = "supaqueue-soak-monitor";

    private static final double MB = 1024.0 * 1024.0;
    /** How long to wait for the pool's server connections to go once the broker is closed. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final SoakOptions options;
    private final SupabaseBrokerSettings database;
    private final String databaseDescription;
    private final PrintStream out;
    private final SoakTraffic traffic;
    private final SoakLedger ledger;

    private Soak(SoakOptions options, SupabaseBrokerSettings database, String databaseDescription, PrintStream out) {
        this.options = options;
        this.database = database;
        this.databaseDescription = databaseDescription;
        this.out = out;
        this.traffic = new SoakTraffic(options);
        long expected = (long) Math.ceil(options.ratePerSecond() * (options.duration().toMillis() / 1000.0) * 1.2);
        this.ledger = new SoakLedger((int) Math.min(Integer.MAX_VALUE - 8, expected + 1000));
    }

    public static void main(String[] args) {
        // Before any logger exists: the library's log (one line per planned failure) goes to a file, the soak's
        // own lines to the console.
        SoakOptions options;
        try {
            options = SoakOptions.parse(args);
        } catch (SoakOptions.HelpRequested e) {
            System.out.print(SoakOptions.USAGE);
            System.exit(EXIT_PASSED);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("Soak: " + e.getMessage());
            System.err.print(SoakOptions.USAGE);
            System.exit(EXIT_SETUP);
            return;
        }
        Path libraryLog = options.reportDir().resolve("soak-library.log");
        try {
            Files.createDirectories(options.reportDir());
        } catch (IOException e) {
            System.err.println("Soak: cannot create the report directory " + options.reportDir() + ": " + e);
            System.exit(EXIT_SETUP);
            return;
        }
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", libraryLog.toString());
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        }
        SoakDatabase.Choice choice;
        try {
            choice = SoakDatabase.prepare(options.jdbcUrl(), System.getenv());
        } catch (SQLException | RuntimeException e) {
            // Never print the URL: it may carry a password.
            System.err.println("Soak: cannot prepare the database: " + e.getMessage());
            System.exit(EXIT_SETUP);
            return;
        }
        System.out.println("[soak] library log: " + libraryLog.toAbsolutePath());
        SoakResult result;
        try {
            result = run(options, choice.settings(), choice.source() + ", " + choice.pgmq(), System.out);
        } catch (Exception e) {
            System.err.println("Soak: the run failed: " + e);
            e.printStackTrace(System.err);
            System.exit(EXIT_SETUP);
            return;
        }
        System.exit(result.passed() ? EXIT_PASSED : EXIT_FAILED);
    }

    /**
     * Runs a soak against a database that has pgmq, writes the report and returns what it found.
     *
     * @param database            where to connect (namespace, pool size and application name are set here)
     * @param databaseDescription where that is, in words for the report (no credentials)
     */
    public static SoakResult run(SoakOptions options, SupabaseBrokerSettings database, String databaseDescription,
                                 PrintStream out) throws Exception {
        return new Soak(options, database, databaseDescription, out).run();
    }

    private SoakResult run() throws Exception {
        out.println("[soak] " + options.describe());
        out.println("[soak] database: " + databaseDescription + ", namespace '" + options.namespace() + "'");
        int threadsBeforeBroker = JvmProbe.liveThreads();
        SupabaseBrokerSettings settings = brokerSettings();
        List<Middleware> middleware = DefaultMiddleware.create();
        middleware.replaceAll(m -> m instanceof Retries ? new Retries(options.maxRetries(),
                options.minBackoffMillis(), options.maxBackoffMillis()) : m);
        middleware.add(new Probe());

        List<SoakSample> samples = new ArrayList<>();
        LatencyHistogram runLatency = new LatencyHistogram();
        LatencyHistogram runLateness = new LatencyHistogram();
        Sampler sampler;
        long issued;
        double runSeconds;
        double drainSeconds;
        long depthAtEnd;
        long deadLettersAtEnd;
        int serverConnectionsAfterClose;
        WorkerStats workerStats;
        SupabaseBroker broker = new SupabaseBroker(settings, middleware);
        try (JvmProbe jvm = new JvmProbe();
             Connection monitor = ConnectionPools.connectOnce(settings, Duration.ofSeconds(10),
                     MONITOR_APPLICATION_NAME)) {
            Actors actors = declareActors(broker);
            // A run that died earlier in this namespace may have left messages: they are not this run's.
            broker.flushAll();
            PgmqSession pgmq = broker.client().session(monitor);
            sampler = new Sampler(broker, jvm, monitor, pgmq);

            Worker worker = new Worker(broker, WorkerOptions.builder().queues(MIXED_QUEUE, DELAYED_QUEUE)
                    .workerThreads(options.workerThreads()).prefetch(options.prefetch())
                    .shutdownTimeout(Duration.ofSeconds(30)).build());
            worker.start();
            try {
                long startNanos = System.nanoTime();
                long endNanos = startNanos + options.duration().toNanos();
                sampler.start(startNanos);
                AtomicLong nextSeq = new AtomicLong();
                List<Thread> producers = new ArrayList<>();
                for (int i = 0; i < options.producers(); i++) {
                    int index = i;
                    producers.add(Thread.ofPlatform().name("soak-producer-" + i).daemon(true)
                            .start(() -> produce(actors, index, nextSeq, startNanos, endNanos)));
                }
                long intervalNanos = options.sampleInterval().toNanos();
                long nextSample = startNanos + intervalNanos;
                while (System.nanoTime() < endNanos) {
                    sleepUntil(Math.min(nextSample, endNanos));
                    if (System.nanoTime() >= nextSample) {
                        samples.add(sampler.sample("run", runLatency, runLateness));
                        nextSample += intervalNanos;
                    }
                }
                for (Thread producer : producers) {
                    producer.join();
                }
                issued = Math.min(nextSeq.get(), ledger.capacity());
                runSeconds = (System.nanoTime() - startNanos) / 1e9;
                // The rest of the last interval belongs to the run, so that its counts are not lost.
                if (samples.isEmpty() || samples.getLast().elapsedSeconds() < runSeconds - 0.5) {
                    samples.add(sampler.sample("run", runLatency, runLateness));
                }
                out.printf("[soak] producers stopped after %.1f s with %d messages sent; draining%n", runSeconds,
                        ledger.sent.get());

                long drainStart = System.nanoTime();
                long drainDeadline = drainStart + options.drainTimeout().toNanos();
                nextSample = System.nanoTime() + intervalNanos;
                int emptyInARow = 0;
                while (System.nanoTime() < drainDeadline) {
                    boolean settled = ledger.tally(issued, traffic, options.maxRetries()).pending() == 0;
                    long depth = settled ? sampler.queueDepth() : -1;
                    emptyInARow = settled && depth == 0 ? emptyInARow + 1 : 0;
                    // Seen empty three times, so that a retry between a read and its enqueue is not missed.
                    if (emptyInARow >= 3) {
                        break;
                    }
                    if (System.nanoTime() >= nextSample) {
                        samples.add(sampler.sample("drain", runLatency, runLateness));
                        nextSample += intervalNanos;
                    }
                    Thread.sleep(100);
                }
                drainSeconds = (System.nanoTime() - drainStart) / 1e9;
                samples.add(sampler.sample("drain", runLatency, runLateness));
                depthAtEnd = sampler.queueDepth();
                deadLettersAtEnd = sampler.deadLetters();
                out.printf("[soak] drained in %.1f s%n", drainSeconds);
            } finally {
                worker.stop();
            }
            workerStats = worker.stats();
        } finally {
            broker.close();
        }
        serverConnectionsAfterClose = connectionsAfterClose(settings);
        int threadsAfterClose = threadsAfterClose(threadsBeforeBroker);

        SoakLedger.Tally tally = ledger.tally(issued, traffic, options.maxRetries());
        SoakResult result = evaluate(samples, tally, issued, runSeconds, drainSeconds, depthAtEnd, deadLettersAtEnd,
                runLatency, runLateness, threadsBeforeBroker, threadsAfterClose, serverConnectionsAfterClose,
                workerStats);
        for (SoakResult.Check check : result.checks()) {
            out.println("[soak] " + (check.passed() ? "PASS " : "FAIL ") + check.name() + ": " + check.detail());
        }
        result.notes().forEach(note -> out.println("[soak] note: " + note));
        result.trends().forEach(trend -> out.println("[soak] trend " + trend.describe()));
        if (result.markdownReport() != null) {
            out.println("[soak] report: " + result.markdownReport().toAbsolutePath() + " and "
                    + result.csvReport().getFileName());
        }
        out.println("[soak] " + (result.passed() ? "PASSED: no message lost, conservation holds"
                : "FAILED: see the checks above"));
        return result;
    }

    private SupabaseBrokerSettings brokerSettings() {
        int connections = Math.max(10, options.workerThreads() + options.producers() + 4);
        return SupabaseBrokerSettings.builder().host(database.host()).port(database.port())
                .database(database.database()).user(database.user()).password(database.password())
                .driverOptions(database.driverOptions()).driverOption("ApplicationName", APPLICATION_NAME)
                .namespace(options.namespace()).minConnections(2).maxConnections(connections)
                .ackMode(database.ackMode()).listen(database.listen()).build();
    }

    // ------------------------------------------------------------------ traffic

    private record Actors(Actor1<Long, Void> ok, Actor1<Long, Void> flaky, Actor1<Long, Void> doomed,
                          Actor1<Long, Void> delayed) {
    }

    private Actors declareActors(Broker broker) {
        Actor1<Long, Void> ok = ActorDefinition.named("soak_ok").queue(MIXED_QUEUE).on(broker)
                .consumer(long.class, seq -> {
                    begin(seq, false);
                    work();
                    ledger.succeededOnce(seq);
                });
        Actor1<Long, Void> flaky = ActorDefinition.named("soak_flaky").queue(MIXED_QUEUE).on(broker)
                .consumer(long.class, seq -> {
                    int attempt = begin(seq, false);
                    work();
                    if (attempt <= SoakTraffic.flakyFailures(seq)) {
                        throw new PlannedFailure("flaky message " + seq + " fails attempt " + attempt);
                    }
                    ledger.succeededOnce(seq);
                });
        Actor1<Long, Void> doomed = ActorDefinition.named("soak_doomed").queue(MIXED_QUEUE).on(broker)
                .consumer(long.class, seq -> {
                    int attempt = begin(seq, false);
                    work();
                    throw new PlannedFailure("doomed message " + seq + " fails attempt " + attempt);
                });
        Actor1<Long, Void> delayed = ActorDefinition.named("soak_delayed").queue(DELAYED_QUEUE).on(broker)
                .consumer(long.class, seq -> {
                    begin(seq, true);
                    work();
                    ledger.succeededOnce(seq);
                });
        return new Actors(ok, flaky, doomed, delayed);
    }

    /** Counts an attempt and, on the first, how long the message waited; returns the attempt's number. */
    private int begin(long seq, boolean delayed) {
        if (!ledger.known(seq)) {
            ledger.foreign.incrementAndGet();
            throw new PlannedFailure("message " + seq + " was not sent by this run");
        }
        int attempt = ledger.attemptStarted(seq);
        if (attempt == 1) {
            long waitedMicros = (System.nanoTime() - ledger.sentAtNanos(seq)) / 1000;
            if (delayed) {
                long lateMicros = waitedMicros - traffic.delayMillis(seq) * 1000;
                // pgmq's clock is the server's; a few milliseconds of disagreement are not an early start.
                if (lateMicros < -20_000) {
                    ledger.startedEarly.incrementAndGet();
                }
                ledger.delayedLateness.recordMicros(lateMicros);
            } else {
                ledger.startLatency.recordMicros(waitedMicros);
            }
        }
        return attempt;
    }

    private void work() throws InterruptedException {
        if (options.workMillis() > 0) {
            Thread.sleep(ThreadLocalRandom.current().nextInt(options.workMillis() + 1));
        }
    }

    /** One producer's share of the rate: sends at fixed times, never bursting to catch up more than a second. */
    private void produce(Actors actors, int index, AtomicLong nextSeq, long startNanos, long endNanos) {
        double periodNanos = 1e9 * options.producers() / options.ratePerSecond();
        double due = startNanos + index * 1e9 / options.ratePerSecond();
        while (true) {
            sleepUntil((long) due);
            long now = System.nanoTime();
            if (now >= endNanos) {
                return;
            }
            long seq = nextSeq.getAndIncrement();
            if (seq >= ledger.capacity()) {
                out.println("[soak] the ledger is full (" + ledger.capacity() + " messages); producer " + index
                        + " stops");
                return;
            }
            send(actors, seq);
            due = Math.max(due + periodNanos, System.nanoTime() - 1e9);
        }
    }

    private void send(Actors actors, long seq) {
        ledger.sending(seq);
        try {
            switch (traffic.kind(seq)) {
                case OK -> actors.ok().send(seq);
                case FLAKY -> actors.flaky().send(seq);
                case DOOMED -> actors.doomed().send(seq);
                case DELAYED -> actors.delayed().sendWithOptions(List.of(seq), Map.of(),
                        Duration.ofMillis(traffic.delayMillis(seq)), Map.of());
            }
            ledger.sent(seq);
        } catch (RuntimeException e) {
            ledger.sendFailed(seq);
            out.println("[soak] enqueue of message " + seq + " failed: " + e.getMessage());
        }
    }

    private static void sleepUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** A failure the traffic plans; without a stack trace, which would only bloat logs and tracebacks. */
    static final class PlannedFailure extends RuntimeException {
        PlannedFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** Sees retries, attempts and dead letters as the broker reports them. */
    private final class Probe implements Middleware {

        @Override
        public void afterEnqueue(Broker broker, Message message, Duration delay) {
            if (message.options().get(Retries.RETRIES) != null) {
                ledger.retried.incrementAndGet();
            }
        }

        @Override
        public void beforeProcessMessage(Broker broker, MessageProxy message) {
            if (message.deliveryCount() > 1) {
                ledger.redeliveries.incrementAndGet();
            }
        }

        @Override
        public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
            ledger.attemptEnded(exception == null && !message.failed());
        }

        @Override
        public void afterSkipMessage(Broker broker, MessageProxy message) {
            ledger.attemptEnded(false);
        }

        @Override
        public void afterNack(Broker broker, MessageProxy message) {
            long seq = sequenceOf(message.message());
            if (seq >= 0 && ledger.known(seq)) {
                ledger.deadLetteredOnce(seq);
            } else {
                ledger.foreign.incrementAndGet();
            }
        }

        private static long sequenceOf(Message message) {
            return !message.args().isEmpty() && message.args().getFirst() instanceof Number n ? n.longValue() : -1;
        }
    }

    // ------------------------------------------------------------------ sampling

    /** Takes the interval samples: counters from the ledger, the rest from the JVM, the pool and the database. */
    private final class Sampler {
        private final SupabaseBroker broker;
        private final JvmProbe jvm;
        private final Connection monitor;
        private final PgmqSession pgmq;
        private final HikariPoolMXBean pool;
        private long startNanos;
        private long lastNanos;
        private long lastSent;
        private long lastProcessed;
        private long lastSucceeded;
        private long lastRetried;
        private long lastDead;
        private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

        /** This JVM's CPU share since the last sample, from its CPU time; -1 where the JVM does not tell. */
        private long lastCpuNanos = -1;
        private long lastCpuAt;

        double cpuPercent() {
            if (!(os instanceof com.sun.management.OperatingSystemMXBean hotspot)) {
                return -1;
            }
            long cpu = hotspot.getProcessCpuTime();
            long now = System.nanoTime();
            double percent = lastCpuNanos < 0 || cpu < 0 ? -1
                    : 100.0 * (cpu - lastCpuNanos) / ((now - lastCpuAt) * (double) os.getAvailableProcessors());
            lastCpuNanos = cpu;
            lastCpuAt = now;
            return percent;
        }

        Sampler(SupabaseBroker broker, JvmProbe jvm, Connection monitor, PgmqSession pgmq) {
            this.broker = broker;
            this.jvm = jvm;
            this.monitor = monitor;
            this.pgmq = pgmq;
            this.pool = broker.dataSource() instanceof HikariDataSource hikari ? hikari.getHikariPoolMXBean() : null;
        }

        void start(long nanos) {
            startNanos = nanos;
            lastNanos = nanos;
            jvm.read(); // the interval starts now
            cpuPercent();
        }

        SoakSample sample(String phase, LatencyHistogram runLatency, LatencyHistogram runLateness) {
            long now = System.nanoTime();
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            lastNanos = now;
            long sent = ledger.sent.get();
            long processed = ledger.attemptsSucceeded.get() + ledger.attemptsFailed.get();
            long succeeded = ledger.succeeded.get();
            long retried = ledger.retried.get();
            long dead = ledger.deadLettered.get();
            LatencyHistogram latency = ledger.startLatency.takeAndReset();
            LatencyHistogram lateness = ledger.delayedLateness.takeAndReset();
            // Drain samples count too: messages sent just before the end start during the drain.
            runLatency.addAll(latency);
            runLateness.addAll(lateness);
            JvmProbe.Reading reading = jvm.read();
            int[] connections = serverConnections();
            SoakSample sample = new SoakSample((now - startNanos) / 1e9, phase, sent - lastSent,
                    processed - lastProcessed, succeeded - lastSucceeded, retried - lastRetried, dead - lastDead, sent,
                    succeeded, retried, dead, (succeeded - lastSucceeded) / seconds,
                    (processed - lastProcessed) / seconds, millis(latency.percentileMicros(50)),
                    millis(latency.percentileMicros(99)), latency.count(), millis(lateness.percentileMicros(99)),
                    reading.heapUsed() / MB, reading.heapAfterGc() < 0 ? -1 : reading.heapAfterGc() / MB,
                    reading.oldAfterGcMax() < 0 ? -1 : reading.oldAfterGcMax() / MB, reading.collections(),
                    reading.gcMillis(), reading.threads(), pool == null ? -1 : pool.getActiveConnections(),
                    pool == null ? -1 : pool.getIdleConnections(), pool == null ? -1 : pool.getTotalConnections(),
                    pool == null ? -1 : pool.getThreadsAwaitingConnection(), connections[0], connections[1],
                    queueDepth(), deadLetters(), os.getSystemLoadAverage(), cpuPercent());
            lastSent = sent;
            lastProcessed = processed;
            lastSucceeded = succeeded;
            lastRetried = retried;
            lastDead = dead;
            out.println(sample.logLine());
            return sample;
        }

        /** The soak's connections and all connections to this database, the monitor's own left out. */
        int[] serverConnections() {
            try (PreparedStatement query = monitor.prepareStatement("SELECT count(*) FILTER (WHERE application_name"
                    + " = ?), count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid()")) {
                query.setString(1, APPLICATION_NAME);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    return new int[] {row.getInt(1), row.getInt(2)};
                }
            } catch (SQLException e) {
                out.println("[soak] cannot read pg_stat_activity: " + e.getMessage());
                return new int[] {-1, -1};
            }
        }

        long queueDepth() {
            return length(broker.pgmqQueue(MIXED_QUEUE), broker.pgmqQueue(DELAYED_QUEUE));
        }

        long deadLetters() {
            return length(broker.deadLetterQueue(MIXED_QUEUE), broker.deadLetterQueue(DELAYED_QUEUE));
        }

        private long length(String... queues) {
            long total = 0;
            try {
                for (String queue : queues) {
                    total += pgmq.metrics(queue).queueLength();
                }
                return total;
            } catch (RuntimeException e) {
                out.println("[soak] cannot read the queue metrics: " + e.getMessage());
                return -1;
            }
        }
    }

    private static double millis(long micros) {
        return micros < 0 ? -1 : micros / 1000.0;
    }

    /** The soak's server connections once the broker is closed: 0 unless connections leak. */
    private int connectionsAfterClose(SupabaseBrokerSettings settings) {
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        int count = -1;
        try (Connection monitor = ConnectionPools.connectOnce(settings, Duration.ofSeconds(10),
                MONITOR_APPLICATION_NAME);
             PreparedStatement query = monitor.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND application_name = ?")) {
            query.setString(1, APPLICATION_NAME);
            do {
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    count = row.getInt(1);
                }
                if (count == 0) {
                    break;
                }
                Thread.sleep(100);
            } while (System.nanoTime() < deadline);
        } catch (SQLException e) {
            out.println("[soak] cannot count the connections left: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return count;
    }

    /** Live threads once the broker is closed, given a moment to end. */
    private static int threadsAfterClose(int before) {
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        int now = JvmProbe.liveThreads();
        while (now > before && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            now = JvmProbe.liveThreads();
        }
        return now;
    }

    // ------------------------------------------------------------------ verdict

    private SoakResult evaluate(List<SoakSample> samples, SoakLedger.Tally tally, long issued, double runSeconds,
                                double drainSeconds, long depthAtEnd, long deadLettersAtEnd,
                                LatencyHistogram latency, LatencyHistogram lateness, int threadsBefore,
                                int threadsAfter, int connectionsAfter, WorkerStats workerStats) {
        long sent = ledger.sent.get();
        List<SoakResult.Check> checks = new ArrayList<>();
        checks.add(new SoakResult.Check("none lost", tally.pending() == 0,
                tally.pending() + " of " + sent + " sent messages neither succeeded nor were dead-lettered"
                        + (tally.pending() == 0 ? "" : " within the drain timeout of "
                        + options.drainTimeout().toSeconds() + " s")));
        checks.add(new SoakResult.Check("conservation", sent == tally.succeeded() + tally.dead(),
                "sent " + sent + " = succeeded " + tally.succeeded() + " + dead-lettered " + tally.dead()
                        + (sent == tally.succeeded() + tally.dead() ? "" : " does not hold")));
        checks.add(new SoakResult.Check("queues empty", depthAtEnd == 0,
                depthAtEnd + " message(s) left in the queues after the drain"));
        checks.add(new SoakResult.Check("dead-letter queue agrees", deadLettersAtEnd == tally.dead(),
                "the dead-letter queues hold " + deadLettersAtEnd + ", the worker dead-lettered " + tally.dead()));
        checks.add(new SoakResult.Check("fates as planned",
                tally.offPlan() == 0 && ledger.contradictions.get() == 0 && tally.dead() == tally.plannedDead(),
                tally.offPlan() + " message(s) met another fate than planned, " + ledger.contradictions.get()
                        + " both succeeded and died; " + tally.dead() + " dead of " + tally.plannedDead()
                        + " planned"));

        List<String> notes = new ArrayList<>();
        long retried = ledger.retried.get();
        notes.add("retries: " + retried + " enqueued, " + tally.plannedRetries() + " planned"
                + (retried == tally.plannedRetries() ? "" : " (differs: redelivered attempts change the count)"));
        notes.add("duplicates (at-least-once): " + ledger.duplicates.get() + ", redeliveries after a visibility"
                + " timeout: " + ledger.redeliveries.get());
        notes.add("enqueue errors: " + ledger.sendErrors.get() + " (" + tally.sendFailed() + " messages);"
                + " delayed messages started early: " + ledger.startedEarly.get() + "; foreign messages: "
                + ledger.foreign.get());
        notes.add("the worker's own counts: " + workerStats.processed() + " attempts succeeded, "
                + workerStats.failed() + " failed, " + workerStats.deadLettered() + " dead-lettered"
                + (workerStats.processed() == ledger.attemptsSucceeded.get()
                && workerStats.failed() == ledger.attemptsFailed.get()
                && workerStats.deadLettered() == ledger.deadLettered.get() ? " (agree with the soak's)"
                : " (differ from the soak's " + ledger.attemptsSucceeded.get() + ", " + ledger.attemptsFailed.get()
                + ", " + ledger.deadLettered.get() + ")"));
        if (issued >= ledger.capacity()) {
            notes.add("the producers stopped early: the ledger holds " + ledger.capacity() + " messages");
        }

        double warmup = Math.max(options.sampleInterval().toSeconds(), options.duration().toSeconds() * 0.1);
        List<SoakSample> steady = samples.stream()
                .filter(s -> s.phase().equals("run") && s.elapsedSeconds() > warmup + 1e-6).toList();
        List<Double> minutes = steady.stream().map(s -> s.elapsedSeconds() / 60).toList();
        List<Trend> trends = List.of(
                // Only intervals with a collection: the others carry the last collection's figure.
                trend("heap after GC (MB)", minutes, steady,
                        s -> s.collections() > 0 ? s.heapAfterGcMb() : -1, 8, 0.15),
                trend("old gen after GC, max (MB)", minutes, steady,
                        s -> s.collections() > 0 ? s.oldAfterGcMaxMb() : -1, 8, 0.15),
                trend("live threads", minutes, steady, s -> (double) s.threads(), 2, 0),
                trend("pool connections (total)", minutes, steady, s -> (double) s.poolTotal(), 2, 0),
                trend("server connections (soak)", minutes, steady, s -> (double) s.serverConnections(), 2, 0));

        SoakSample start = steady.isEmpty() ? (samples.isEmpty() ? null : samples.getFirst()) : steady.getFirst();
        SoakSample end = samples.stream().filter(s -> s.phase().equals("run")).reduce((a, b) -> b)
                .orElse(samples.isEmpty() ? null : samples.getLast());
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        SoakResult.Summary summary = new SoakResult.Summary(runSeconds, drainSeconds, sent / runSeconds,
                tally.succeeded() / runSeconds, millis(latency.percentileMicros(50)),
                millis(latency.percentileMicros(99)), latency.count() == 0 ? -1 : latency.maxMicros() / 1000.0,
                latency.count(), millis(lateness.percentileMicros(50)), millis(lateness.percentileMicros(99)), start,
                end, threadsBefore, threadsAfter, connectionsAfter, gc,
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        SoakResult.Counters counters = new SoakResult.Counters(sent, ledger.sendErrors.get(),
                ledger.attemptsStarted.get(), ledger.attemptsSucceeded.get(), ledger.attemptsFailed.get(), retried,
                tally.plannedRetries(), ledger.deadLettered.get(), ledger.duplicates.get(),
                ledger.contradictions.get(), ledger.redeliveries.get(), ledger.startedEarly.get(),
                ledger.foreign.get(), depthAtEnd, deadLettersAtEnd);
        SoakResult unwritten = new SoakResult(options, databaseDescription, List.copyOf(samples), warmup, tally,
                counters, List.copyOf(checks), List.copyOf(notes), trends, summary, null, null);
        try {
            return SoakReport.write(unwritten, options.reportDir());
        } catch (IOException e) {
            out.println("[soak] cannot write the report to " + options.reportDir() + ": " + e);
            return unwritten;
        }
    }

    private static Trend trend(String metric, List<Double> minutes, List<SoakSample> steady,
                               java.util.function.ToDoubleFunction<SoakSample> value, double absolute,
                               double relative) {
        List<Double> values = steady.stream().map(value::applyAsDouble).toList();
        double baseline = values.stream().filter(v -> v >= 0).limit(Math.max(1, values.size() / 3))
                .mapToDouble(Double::doubleValue).average().orElse(0);
        return Trend.of(metric, minutes, values, Math.max(absolute, baseline * relative));
    }
}
