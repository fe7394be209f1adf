package dev.supaqueue.reliability;

import dev.supaqueue.message.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scenario 1, killed workers: several worker JVMs process a backlog while, at seeded random moments, one of them is
 * killed with SIGKILL and a new one started in its place. Afterwards every message has run at least once, nothing is
 * left in the queue or in the dead letters, and every duplicate is one that at-least-once delivery allows: the earlier
 * execution was by a process that was killed afterwards, and the later one started after that kill.
 */
public final class KilledWorkersScenario {

    /**
     * @param messages          messages in the backlog
     * @param workers           worker processes running at once
     * @param threads           worker threads per process
     * @param visibilityTimeout short, so that a killed worker's messages come back quickly
     * @param taskMillis        how long each task sleeps before recording itself
     * @param killEveryMin      shortest pause between two kills
     * @param killEveryMax      longest pause between two kills
     * @param restartDelay      how long a killed worker's slot stays empty
     * @param seed              the random seed of the kill schedule (which worker, when)
     * @param timeout           the whole run's deadline
     * @param logDirectory      where the worker processes' logs go
     */
    public record Options(int messages, int workers, int threads, Duration visibilityTimeout, long taskMillis,
                          Duration killEveryMin, Duration killEveryMax, Duration restartDelay, long seed,
                          Duration timeout, Path logDirectory) {

        public Options {
            require(messages >= 1, "messages must be at least 1");
            require(workers >= 1, "workers must be at least 1");
            require(threads >= 1, "threads must be at least 1");
            require(visibilityTimeout.toSeconds() >= 1, "the visibility timeout must be at least 1 s");
            require(!killEveryMax.minus(killEveryMin).isNegative(), "killEveryMax must not be below killEveryMin");
        }

        public static Options defaults(Path logDirectory) {
            return new Options(10_000, 3, 4, Duration.ofSeconds(3), 2, Duration.ofMillis(1000),
                    Duration.ofMillis(3000), Duration.ofMillis(300), System.currentTimeMillis(),
                    Duration.ofMinutes(5), logDirectory);
        }

        public Options withMessages(int value) {
            return new Options(value, workers, threads, visibilityTimeout, taskMillis, killEveryMin, killEveryMax,
                    restartDelay, seed, timeout, logDirectory);
        }

        public Options withWorkers(int value) {
            return new Options(messages, value, threads, visibilityTimeout, taskMillis, killEveryMin, killEveryMax,
                    restartDelay, seed, timeout, logDirectory);
        }

        public Options withSeed(long value) {
            return new Options(messages, workers, threads, visibilityTimeout, taskMillis, killEveryMin, killEveryMax,
                    restartDelay, value, timeout, logDirectory);
        }

        public Options withTimeout(Duration value) {
            return new Options(messages, workers, threads, visibilityTimeout, taskMillis, killEveryMin, killEveryMax,
                    restartDelay, seed, value, logDirectory);
        }

        public Options withKillEvery(Duration min, Duration max) {
            return new Options(messages, workers, threads, visibilityTimeout, taskMillis, min, max, restartDelay,
                    seed, timeout, logDirectory);
        }
    }

    private record Kill(String label, long pid, Instant at, long executionsByPid, Duration uptime) {
    }

    private final ScenarioDatabase database;
    private final Options options;

    public KilledWorkersScenario(ScenarioDatabase database, Options options) {
        this.database = database;
        this.options = options;
    }

    public ScenarioReport run() throws Exception {
        ScenarioReport report = new ScenarioReport("killed-workers", "Killed workers (SIGKILL and restart)");
        report.parameter("messages", options.messages()).parameter("worker processes", options.workers())
                .parameter("threads per worker", options.threads())
                .parameter("visibility timeout (s)", options.visibilityTimeout().toSeconds())
                .parameter("task sleep (ms)", options.taskMillis())
                .parameter("kill every (ms)", options.killEveryMin().toMillis() + "-"
                        + options.killEveryMax().toMillis())
                .parameter("restart delay (ms)", options.restartDelay().toMillis())
                .parameter("seed", options.seed());
        System.out.printf("killed-workers: %d messages, %d workers, seed %d%n", options.messages(), options.workers(),
                options.seed());
        Random random = new Random(options.seed());
        try (ScenarioSetup setup = new ScenarioSetup(database, "relkill", options.visibilityTimeout(),
                options.logDirectory())) {
            List<Message> messages = new ArrayList<>();
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < options.messages(); i++) {
                String key = "k" + i;
                sent.add(key);
                messages.add(ScenarioSetup.message(key, options.taskMillis()));
            }
            setup.sendBatch(messages);

            WorkerProcess.Spec spec = setup.workerSpec(options.visibilityTimeout(), options.threads(), null,
                    Duration.ofSeconds(10));
            WorkerProcess[] slots = new WorkerProcess[options.workers()];
            int[] generations = new int[options.workers()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = setup.startWorker(spec, "w" + (i + 1) + "." + generations[i]);
            }
            Instant start = Instant.now();
            long deadline = System.nanoTime() + options.timeout().toNanos();
            List<Kill> kills = new ArrayList<>();
            Map<Long, Instant> killedPids = new HashMap<>();
            long nextKill = System.nanoTime() + pause(random).toNanos();
            int emptyInARow = 0;
            long lastPrint = 0;
            while (emptyInARow < 3) {
                if (System.nanoTime() > deadline) {
                    report.violation("Not finished within " + options.timeout().toSeconds() + " s: "
                            + setup.distinctExecuted() + " of " + options.messages() + " executed, queue length "
                            + setup.queueLength());
                    break;
                }
                long executed = setup.distinctExecuted();
                boolean done = executed >= options.messages() && setup.queueLength() == 0;
                emptyInARow = done ? emptyInARow + 1 : 0;
                if (!done && System.nanoTime() >= nextKill) {
                    int slot = random.nextInt(slots.length);
                    WorkerProcess victim = slots[slot];
                    if (victim.isAlive()) {
                        long byPid = setup.observer.query(c -> setup.table.countByPid(c, victim.pid()));
                        victim.kill();
                        Instant at = victim.killedAt().orElseThrow();
                        killedPids.put(victim.pid(), at);
                        kills.add(new Kill(victim.label(), victim.pid(), at, byPid,
                                Duration.between(victim.startedAt(), at)));
                        System.out.printf("killed-workers: SIGKILL %s after %d executions (%d/%d done)%n", victim,
                                byPid, executed, options.messages());
                        Thread.sleep(options.restartDelay().toMillis());
                        generations[slot]++;
                        slots[slot] = setup.startWorker(spec, "w" + (slot + 1) + "." + generations[slot]);
                    }
                    nextKill = System.nanoTime() + pause(random).toNanos();
                }
                for (WorkerProcess worker : slots) {
                    if (!worker.isAlive() && worker.killedAt().isEmpty()) {
                        report.violation(worker + " exited by itself: " + worker.tail(30));
                    }
                }
                if (!report.passed()) {
                    break;
                }
                if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.out.printf("killed-workers: %d/%d executed, %d kills%n", executed, options.messages(),
                            kills.size());
                }
                Thread.sleep(done ? 200 : 100);
            }
            Duration elapsed = Duration.between(start, Instant.now());

            List<Integer> exitCodes = new ArrayList<>();
            for (WorkerProcess worker : slots) {
                // A worker restarted just now may still be starting: a SIGTERM before its signal handler is
                // installed ends the JVM with 143 (harmless: it has read nothing yet), which is not what is checked.
                if (worker.isAlive()) {
                    worker.awaitStarted(Duration.ofSeconds(60));
                    worker.terminate();
                }
            }
            for (WorkerProcess worker : slots) {
                exitCodes.add(worker.awaitExit(Duration.ofSeconds(30)).orElse(-1));
            }
            analyse(report, setup, sent, killedPids, kills, elapsed, exitCodes);
        }
        return report;
    }

    private Duration pause(Random random) {
        long min = options.killEveryMin().toMillis();
        long span = options.killEveryMax().toMillis() - min;
        return Duration.ofMillis(min + (span == 0 ? 0 : (long) (random.nextDouble() * span)));
    }

    private void analyse(ScenarioReport report, ScenarioSetup setup, Set<String> sent, Map<Long, Instant> killedPids,
                         List<Kill> kills, Duration elapsed, List<Integer> exitCodes) throws Exception {
        List<ExecutionsTable.Execution> executions = setup.table.executions();
        Map<String, List<ExecutionsTable.Execution>> byKey = new LinkedHashMap<>();
        for (ExecutionsTable.Execution execution : executions) {
            byKey.computeIfAbsent(execution.key(), k -> new ArrayList<>()).add(execution);
        }
        Set<String> lost = new TreeSet<>(sent);
        lost.removeAll(byKey.keySet());
        Set<String> unknown = new TreeSet<>(byKey.keySet());
        unknown.removeAll(sent);

        Duplicates verdict = Duplicates.judge(byKey, killedPids);
        long allowed = verdict.allowed();
        List<String> disallowed = verdict.unexplained();
        long queueLength = setup.queueLength();
        long deadLetters = setup.deadLetters();
        long duplicates = executions.size() - byKey.size();

        report.figure("messages sent", sent.size())
                .figure("executions", executions.size())
                .figure("messages executed", byKey.size())
                .figure("lost", lost.size())
                .figure("duplicates", duplicates)
                .figure("duplicates allowed (earlier run on a killed process)", allowed)
                .figure("duplicates not allowed", disallowed.size())
                .figure("kills (SIGKILL)", kills.size())
                .figure("restarts", kills.size())
                .figure("queue length at end", queueLength)
                .figure("dead letters", deadLetters)
                .figure("wall time (s)", String.format("%.1f", elapsed.toMillis() / 1000.0))
                .figure("throughput (executions/s)", String.format("%.0f",
                        executions.size() / Math.max(0.001, elapsed.toMillis() / 1000.0)))
                .figure("final SIGTERM exit codes", exitCodes.toString());
        report.check(lost.isEmpty(), lost.size() + " messages never executed, e.g. " + first(lost));
        report.check(unknown.isEmpty(), "executions of keys never sent: " + first(unknown));
        report.check(disallowed.isEmpty(), disallowed.size() + " duplicates that at-least-once does not explain: "
                + disallowed.subList(0, Math.min(5, disallowed.size())));
        report.check(queueLength == 0, "queue length " + queueLength + " at the end");
        report.check(deadLetters == 0, deadLetters + " dead letters");
        report.check(exitCodes.stream().allMatch(code -> code == 0),
                "the surviving workers' exit codes after SIGTERM were " + exitCodes);
        report.note("Seed " + options.seed() + " reproduces the kill schedule (which slot, when); the moments in the"
                + " workers' work differ from run to run.");
        List<List<Object>> rows = new ArrayList<>();
        for (Kill kill : kills) {
            rows.add(List.of(kill.label(), kill.pid(), kill.at(), kill.uptime().toMillis(), kill.executionsByPid()));
        }
        report.table("kills", List.of("worker", "pid", "killed at", "uptime ms", "executions recorded by it"), rows);
    }

    /**
     * The at-least-once rule for duplicates: per key, in finishing order, every execution but the last must have run
     * on a process that was killed afterwards, and the next execution must have started after that kill.
     *
     * @param allowed     duplicates that the rule explains
     * @param unexplained the others, described
     */
    record Duplicates(long allowed, List<String> unexplained) {

        static Duplicates judge(Map<String, List<ExecutionsTable.Execution>> byKey, Map<Long, Instant> killedPids) {
            long allowed = 0;
            List<String> unexplained = new ArrayList<>();
            for (List<ExecutionsTable.Execution> runs : byKey.values()) {
                List<ExecutionsTable.Execution> ordered = runs.stream()
                        .sorted(java.util.Comparator.comparing(ExecutionsTable.Execution::finishedAt)).toList();
                for (int i = 0; i + 1 < ordered.size(); i++) {
                    ExecutionsTable.Execution earlier = ordered.get(i);
                    ExecutionsTable.Execution later = ordered.get(i + 1);
                    Instant killedAt = killedPids.get(earlier.pid());
                    if (killedAt != null && later.startedAt().isAfter(killedAt)) {
                        allowed++;
                    } else {
                        unexplained.add(earlier.key() + " ran on pid " + earlier.pid() + " (finished "
                                + earlier.finishedAt() + (killedAt == null ? ", never killed" : ", killed "
                                + killedAt) + ") and again on pid " + later.pid() + " (started "
                                + later.startedAt() + ")");
                    }
                }
            }
            return new Duplicates(allowed, List.copyOf(unexplained));
        }
    }

    private static String first(Set<String> keys) {
        return keys.stream().limit(10).toList().toString();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
