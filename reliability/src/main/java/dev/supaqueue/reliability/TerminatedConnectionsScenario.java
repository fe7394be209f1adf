package dev.supaqueue.reliability;

import dev.supaqueue.broker.SupabaseBroker;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenario 3, connections terminated: producer threads in this JVM send messages while worker processes run them,
 * and a chaos thread repeatedly cuts every connection to the scenario's database — {@code pg_terminate_backend} on
 * every client backend of {@code current_database()} but its own — or, with a restart command, restarts the server.
 *
 * <p>A send either returns (acknowledged) or throws: every acknowledged send must be executed afterwards (no silent
 * drop); a send that threw may still have been stored (its commit raced the cut) and is then executed too. The report
 * gives the sends that succeeded and failed, how many cuts the producers and workers survived, and how long after a
 * cut the next send succeeded and the next message was processed.
 */
public final class TerminatedConnectionsScenario {

    /**
     * @param producers         producer threads in this JVM
     * @param workers           worker processes
     * @param threads           worker threads per process
     * @param visibilityTimeout short, so that a message whose ack was cut off comes back quickly
     * @param duration          how long producers send and chaos runs
     * @param chaosEveryMin     shortest pause between two cuts
     * @param chaosEveryMax     longest pause between two cuts
     * @param sendPause         pause between two sends of one producer
     * @param restartCommand    null: pg_terminate_backend; else a shell command that restarts the server
     * @param seed              seed of the chaos schedule
     * @param drainTimeout      how long to wait, after the chaos, for every acknowledged send to be executed
     * @param enqueueAttempts   the producers' broker setting: 3 (the default) hides most cuts, 1 shows each
     * @param logDirectory      where the worker processes' logs go
     */
    public record Options(int producers, int workers, int threads, Duration visibilityTimeout, Duration duration,
                          Duration chaosEveryMin, Duration chaosEveryMax, Duration sendPause, String restartCommand,
                          long seed, Duration drainTimeout, int enqueueAttempts, Path logDirectory) {

        public Options {
            if (producers < 1 || workers < 1 || threads < 1) {
                throw new IllegalArgumentException("producers, workers and threads must be at least 1");
            }
            if (chaosEveryMax.compareTo(chaosEveryMin) < 0) {
                throw new IllegalArgumentException("chaosEveryMax must not be below chaosEveryMin");
            }
            if (enqueueAttempts < 1) {
                throw new IllegalArgumentException("enqueue attempts must be at least 1");
            }
            if (restartCommand != null && restartCommand.isBlank()) {
                throw new IllegalArgumentException("--restart-command must not be blank");
            }
        }

        public static Options defaults(Path logDirectory) {
            return new Options(2, 2, 4, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMillis(1000),
                    Duration.ofMillis(3000), Duration.ofMillis(5), null, System.currentTimeMillis(),
                    Duration.ofMinutes(2), 3, logDirectory);
        }

        public Options withDuration(Duration value) {
            return new Options(producers, workers, threads, visibilityTimeout, value, chaosEveryMin, chaosEveryMax,
                    sendPause, restartCommand, seed, drainTimeout, enqueueAttempts, logDirectory);
        }

        public Options withRestartCommand(String command, Duration everyMin, Duration everyMax) {
            return new Options(producers, workers, threads, visibilityTimeout, duration, everyMin, everyMax,
                    sendPause, command, seed, drainTimeout, enqueueAttempts, logDirectory);
        }

        public Options withSeed(long value) {
            return new Options(producers, workers, threads, visibilityTimeout, duration, chaosEveryMin,
                    chaosEveryMax, sendPause, restartCommand, value, drainTimeout, enqueueAttempts, logDirectory);
        }

        public Options withEnqueueAttempts(int value) {
            return new Options(producers, workers, threads, visibilityTimeout, duration, chaosEveryMin,
                    chaosEveryMax, sendPause, restartCommand, seed, drainTimeout, value, logDirectory);
        }

        public Options withProducersAndWorkers(int newProducers, int newWorkers) {
            return new Options(newProducers, newWorkers, threads, visibilityTimeout, duration, chaosEveryMin,
                    chaosEveryMax, sendPause, restartCommand, seed, drainTimeout, enqueueAttempts, logDirectory);
        }
    }

    /** One send: when it began and ended, and whether it returned or threw. */
    record Send(String key, Instant startedAt, Instant endedAt, boolean ok, String error) {
    }

    /** One cut: when, and how many backends it terminated (-1 for a restart). */
    record Cut(Instant at, int terminated, Duration took, String detail) {
    }

    private final ScenarioDatabase database;
    private final Options options;

    public TerminatedConnectionsScenario(ScenarioDatabase database, Options options) {
        this.database = database;
        this.options = options;
    }

    public ScenarioReport run() throws Exception {
        boolean restart = options.restartCommand() != null;
        ScenarioReport report = new ScenarioReport(restart ? "server-restart" : "terminated-connections",
                restart ? "Server restarts" : "Connections terminated (pg_terminate_backend)");
        report.parameter("producer threads", options.producers()).parameter("worker processes", options.workers())
                .parameter("threads per worker", options.threads())
                .parameter("visibility timeout (s)", options.visibilityTimeout().toSeconds())
                .parameter("chaos duration (s)", options.duration().toSeconds())
                .parameter("cut every (ms)", options.chaosEveryMin().toMillis() + "-"
                        + options.chaosEveryMax().toMillis())
                .parameter("pause between sends (ms)", options.sendPause().toMillis())
                .parameter("producer enqueue attempts", options.enqueueAttempts())
                .parameter("chaos", restart ? "restart command: " + options.restartCommand()
                        : "pg_terminate_backend on every other client backend of the database")
                .parameter("seed", options.seed());
        System.out.printf("%s: %d s of chaos, seed %d%n", report.name(), options.duration().toSeconds(),
                options.seed());
        try (ScenarioSetup setup = new ScenarioSetup(database, "relconn", options.visibilityTimeout(),
                options.logDirectory())) {
            WorkerProcess.Spec spec = setup.workerSpec(options.visibilityTimeout(), options.threads(), null,
                    Duration.ofSeconds(10));
            List<WorkerProcess> workers = new ArrayList<>();
            for (int i = 1; i <= options.workers(); i++) {
                workers.add(setup.startWorker(spec, "w" + i));
            }
            for (WorkerProcess worker : workers) {
                worker.awaitStarted(Duration.ofSeconds(60));
            }

            SupabaseBroker sender = new SupabaseBroker(database.brokerSettings(setup.namespace,
                    options.visibilityTimeout()).enqueueAttempts(options.enqueueAttempts()).build(), List.of());
            sender.declareQueue(RecordingActors.QUEUE);
            List<Send> sends = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean producing = new AtomicBoolean(true);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < options.producers(); p++) {
                int producer = p;
                Thread thread = new Thread(() -> produce(sender, producer, producing, sends), "producer-" + p);
                producers.add(thread);
                thread.start();
            }

            Random random = new Random(options.seed());
            List<Cut> cuts = new ArrayList<>();
            Instant start = Instant.now();
            long chaosEnd = System.nanoTime() + options.duration().toNanos();
            while (true) {
                long pause = pauseMillis(random);
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > chaosEnd) {
                    break;
                }
                Thread.sleep(pause);
                Cut cut = restart ? restartServer(setup) : terminateBackends(setup);
                cuts.add(cut);
                System.out.printf("%s: cut %d: %s; %d sends so far%n", report.name(), cuts.size(), cut.detail(),
                        sends.size());
            }
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(chaosEnd - System.nanoTime())));
            if (!cuts.isEmpty()) {
                // A cut just before the end still gets its chance to be survived: producers go on until then.
                awaitRecovery(setup, sends, cuts.get(cuts.size() - 1));
            }
            producing.set(false);
            for (Thread thread : producers) {
                thread.join(TimeUnit.SECONDS.toMillis(120));
            }
            Instant chaosOver = Instant.now();
            sender.close();

            // Drain: every acknowledged send executed and the queue empty (the failed-but-stored ones too).
            Set<String> acknowledged = new TreeSet<>();
            synchronized (sends) {
                sends.stream().filter(Send::ok).forEach(s -> acknowledged.add(s.key()));
            }
            long drainDeadline = System.nanoTime() + options.drainTimeout().toNanos();
            int emptyInARow = 0;
            while (emptyInARow < 3 && System.nanoTime() < drainDeadline) {
                boolean done = setup.distinctExecuted() >= acknowledged.size() && setup.queueLength() == 0;
                emptyInARow = done ? emptyInARow + 1 : 0;
                Thread.sleep(200);
            }
            Duration drained = Duration.between(chaosOver, Instant.now());
            List<String> alive = new ArrayList<>();
            List<Integer> exitCodes = new ArrayList<>();
            for (WorkerProcess worker : workers) {
                alive.add(worker.label() + (worker.isAlive() ? " alive" : " DEAD"));
                worker.terminate();
            }
            for (WorkerProcess worker : workers) {
                exitCodes.add(worker.awaitExit(Duration.ofSeconds(30)).orElse(-1));
            }
            analyse(report, setup, sends, cuts, workers, alive, exitCodes, Duration.between(start, chaosOver),
                    drained);
        }
        return report;
    }

    /** Waits (at most a minute) for a successful send and a processed message after the cut. */
    private static void awaitRecovery(ScenarioSetup setup, List<Send> sends, Cut cut) throws Exception {
        Instant from = cut.at().plus(cut.took());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            boolean sent;
            synchronized (sends) {
                sent = sends.stream().anyMatch(s -> s.ok() && !s.endedAt().isBefore(from));
            }
            boolean processed = sent && setup.observer.query(c -> {
                try (var query = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + setup.table.name()
                        + " WHERE started_at >= ?)")) {
                    query.setTimestamp(1, java.sql.Timestamp.from(from));
                    try (ResultSet row = query.executeQuery()) {
                        row.next();
                        return row.getBoolean(1);
                    }
                }
            });
            if (processed) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private long pauseMillis(Random random) {
        long min = options.chaosEveryMin().toMillis();
        long span = options.chaosEveryMax().toMillis() - min;
        return min + (span == 0 ? 0 : (long) (random.nextDouble() * span));
    }

    private void produce(SupabaseBroker sender, int producer, AtomicBoolean producing, List<Send> sends) {
        long n = 0;
        while (producing.get()) {
            String key = "p" + producer + "-" + n++;
            Instant started = Instant.now();
            try {
                sender.enqueue(ScenarioSetup.message(key, 0));
                sends.add(new Send(key, started, Instant.now(), true, null));
            } catch (RuntimeException e) {
                sends.add(new Send(key, started, Instant.now(), false, e.getClass().getSimpleName() + ": "
                        + e.getMessage()));
            }
            try {
                Thread.sleep(options.sendPause().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Terminates every client backend of this database except the observer's own connection. */
    private Cut terminateBackends(ScenarioSetup setup) throws Exception {
        Instant at = Instant.now();
        int terminated = setup.observer.query(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                         + " FROM pg_stat_activity WHERE datname = current_database()"
                         + " AND backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                row.next();
                return row.getInt(1);
            }
        });
        return new Cut(at, terminated, Duration.between(at, Instant.now()), terminated + " backends terminated");
    }

    /** Runs the restart command and waits for the server to answer again. */
    private Cut restartServer(ScenarioSetup setup) throws Exception {
        Instant at = Instant.now();
        Process process = new ProcessBuilder("sh", "-c", options.restartCommand()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The restart command did not finish within 120 s: "
                    + options.restartCommand());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("The restart command exited with " + process.exitValue() + ": "
                    + output.strip());
        }
        // The observer reconnects as soon as the server accepts connections again.
        setup.observer.query(connection -> connection.isValid(5));
        Duration took = Duration.between(at, Instant.now());
        return new Cut(at, -1, took, "server restarted, answering again after " + took.toMillis() + " ms");
    }

    private void analyse(ScenarioReport report, ScenarioSetup setup, List<Send> sendList, List<Cut> cuts,
                         List<WorkerProcess> workers, List<String> alive, List<Integer> exitCodes,
                         Duration chaosTime, Duration drained) throws Exception {
        List<Send> sends;
        synchronized (sendList) {
            sends = List.copyOf(sendList);
        }
        List<ExecutionsTable.Execution> executions = setup.table.executions();
        Map<String, Integer> runs = new HashMap<>();
        executions.forEach(e -> runs.merge(e.key(), 1, Integer::sum));

        List<Send> ok = sends.stream().filter(Send::ok).toList();
        List<Send> failed = sends.stream().filter(s -> !s.ok()).toList();
        Set<String> silentlyDropped = new TreeSet<>();
        ok.forEach(s -> {
            if (!runs.containsKey(s.key())) {
                silentlyDropped.add(s.key());
            }
        });
        long failedButStored = failed.stream().filter(s -> runs.containsKey(s.key())).count();
        Set<String> sentKeys = new TreeSet<>();
        sends.forEach(s -> sentKeys.add(s.key()));
        Set<String> unknown = new TreeSet<>(runs.keySet());
        unknown.removeAll(sentKeys);
        long duplicates = executions.size() - runs.size();

        // Recovery: from each cut to the first successful send that ended once the server answered again (a send
        // caught by the cut counts: the broker retried it), and to the first message whose execution began then.
        List<Long> sendRecovery = new ArrayList<>();
        List<Long> processRecovery = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        int survived = 0;
        for (Cut cut : cuts) {
            Instant from = cut.at().plus(cut.took());
            Long toSend = ok.stream().filter(s -> !s.endedAt().isBefore(from))
                    .map(s -> Duration.between(cut.at(), s.endedAt()).toMillis()).min(Long::compare).orElse(null);
            Long toProcess = executions.stream().filter(e -> !e.startedAt().isBefore(from))
                    .map(e -> Duration.between(cut.at(), e.finishedAt()).toMillis()).min(Long::compare)
                    .orElse(null);
            if (toSend != null) {
                sendRecovery.add(toSend);
            }
            if (toProcess != null) {
                processRecovery.add(toProcess);
            }
            if (toSend != null && toProcess != null) {
                survived++;
            }
            long failedAfter = failed.stream().filter(s -> !s.endedAt().isBefore(cut.at())
                    && s.endedAt().isBefore(cut.at().plusSeconds(5))).count();
            rows.add(List.of(cut.at(), cut.terminated(), cut.took().toMillis(), toSend == null ? "" : toSend,
                    toProcess == null ? "" : toProcess, failedAfter));
        }
        long queueLength = setup.queueLength();
        long deadLetters = setup.deadLetters();
        Map<String, Long> errors = new HashMap<>();
        failed.forEach(s -> errors.merge(s.error().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>")
                .replaceAll("\\(.*", "(...)"), 1L, Long::sum));

        report.figure("sends attempted", sends.size())
                .figure("sends acknowledged", ok.size())
                .figure("sends failed (exception)", failed.size())
                .figure("failed sends stored anyway and executed", failedButStored)
                .figure("acknowledged sends executed", ok.size() - silentlyDropped.size())
                .figure("lost (acknowledged, never executed)", silentlyDropped.size())
                .figure("executions", executions.size())
                .figure("duplicates", duplicates)
                .figure(options.restartCommand() == null ? "terminations" : "restarts", cuts.size())
                .figure("backends terminated", cuts.stream().mapToInt(Cut::terminated).filter(n -> n > 0).sum())
                .figure("cuts survived (send and processing resumed)", survived)
                .figure("time to next successful send (ms, median/max)", medianMax(sendRecovery))
                .figure("time to next processed message (ms, median/max)", medianMax(processRecovery))
                .figure("longest send (ms)", sends.stream()
                        .mapToLong(s -> Duration.between(s.startedAt(), s.endedAt()).toMillis()).max().orElse(0))
                .figure("chaos time (s)", String.format("%.1f", chaosTime.toMillis() / 1000.0))
                .figure("drain after chaos (ms)", drained.toMillis())
                .figure("queue length at end", queueLength)
                .figure("dead letters", deadLetters)
                .figure("workers at end", alive.toString())
                .figure("worker exit codes after SIGTERM", exitCodes.toString());

        report.check(!cuts.isEmpty(), "no cut happened: the chaos interval is longer than the duration");
        report.check(silentlyDropped.isEmpty(), silentlyDropped.size() + " acknowledged sends never executed"
                + " (silent drops), e.g. " + silentlyDropped.stream().limit(10).toList());
        report.check(unknown.isEmpty(), "executions of keys never sent: " + unknown);
        report.check(queueLength == 0, "queue length " + queueLength + " at the end");
        report.check(deadLetters == 0, deadLetters + " dead letters");
        report.check(survived == cuts.size(), (cuts.size() - survived) + " of " + cuts.size()
                + " cuts were not followed by both a successful send and a processed message");
        report.check(alive.stream().noneMatch(a -> a.endsWith("DEAD")), "a worker died during the chaos: " + alive);
        report.check(exitCodes.stream().allMatch(code -> code == 0), "worker exit codes after SIGTERM: " + exitCodes);
        report.check(!ok.isEmpty(), "no send succeeded");
        errors.forEach((error, count) -> report.note(count + " sends failed with " + error));
        report.note("A failed send is one whose enqueue threw (after the broker's own retries); one stored before"
                + " its connection was cut still runs, which at-least-once allows. Duplicates come from acks cut off"
                + " (the message reappears after the visibility timeout) and from enqueue retries of a send whose"
                + " first attempt had committed.");
        report.table("cuts", List.of("at", "backends terminated", "took ms", "next ok send after ms",
                "next processed after ms", "sends failed within 5 s"), rows);
        for (WorkerProcess worker : workers) {
            report.note("worker " + worker.label() + " (pid " + worker.pid() + ") log: " + worker.log());
        }
    }

    private static String medianMax(List<Long> values) {
        if (values.isEmpty()) {
            return "n/a";
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2) + " / " + sorted.get(sorted.size() - 1);
    }
}
