package dev.supaqueue.reliability;

import dev.supaqueue.message.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scenario 2, graceful stop under load: worker A runs tasks with a full prefetch buffer behind them when it gets
 * SIGTERM. It must exit 0 within its shutdown timeout; its running tasks finish and are acknowledged (run once);
 * the prefetched messages it never started are given back at once. The visibility timeout is long (60 s by default)
 * and a second worker B, started at the SIGTERM, must finish everything well before it: nothing waits for a
 * visibility timeout to lapse, nothing is lost.
 *
 * <p>With {@code overrunMillis > 0}, one more message runs longer than the shutdown timeout: A gives up on it
 * (interrupts it, does not acknowledge it) and the report says when it ran again.
 */
public final class GracefulStopScenario {

    /**
     * @param messages          messages in the backlog
     * @param threads           A's (and B's) worker threads
     * @param prefetch          A's prefetch: messages held in memory, running or waiting
     * @param taskMillis        how long each task runs; below the shutdown timeout
     * @param visibilityTimeout long, so that a message left hidden would show in the timings
     * @param shutdownTimeout   A's --shutdown-timeout
     * @param overrunMillis     0, or the length of one extra task that outlives the shutdown timeout
     * @param timeout           the whole run's deadline
     * @param logDirectory      where the worker processes' logs go
     */
    public record Options(int messages, int threads, int prefetch, long taskMillis, Duration visibilityTimeout,
                          Duration shutdownTimeout, long overrunMillis, Duration timeout, Path logDirectory) {

        public Options {
            if (messages < prefetch + threads) {
                throw new IllegalArgumentException("messages (" + messages + ") must exceed prefetch + threads ("
                        + (prefetch + threads) + ") so that A holds a full buffer when it is stopped");
            }
            if (taskMillis >= shutdownTimeout.toMillis()) {
                throw new IllegalArgumentException("taskMillis must be below the shutdown timeout");
            }
            if (overrunMillis != 0 && overrunMillis <= shutdownTimeout.toMillis()) {
                throw new IllegalArgumentException("overrunMillis must exceed the shutdown timeout, or be 0");
            }
        }

        public static Options defaults(Path logDirectory) {
            return new Options(60, 4, 24, 1500, Duration.ofSeconds(60), Duration.ofSeconds(10), 0,
                    Duration.ofMinutes(3), logDirectory);
        }

        public Options withMessages(int value) {
            return new Options(value, threads, prefetch, taskMillis, visibilityTimeout, shutdownTimeout,
                    overrunMillis, timeout, logDirectory);
        }

        public Options withOverrun(long millis, Duration newVisibilityTimeout, Duration newShutdownTimeout) {
            return new Options(messages, threads, prefetch, taskMillis, newVisibilityTimeout, newShutdownTimeout,
                    millis, timeout, logDirectory);
        }

        public Options withVisibilityTimeout(Duration value) {
            return new Options(messages, threads, prefetch, taskMillis, value, shutdownTimeout, overrunMillis,
                    timeout, logDirectory);
        }
    }

    static final String OVERRUN_KEY = "overrun";

    private final ScenarioDatabase database;
    private final Options options;

    public GracefulStopScenario(ScenarioDatabase database, Options options) {
        this.database = database;
        this.options = options;
    }

    public ScenarioReport run() throws Exception {
        ScenarioReport report = new ScenarioReport("graceful-stop", "Graceful stop under load (SIGTERM)");
        report.parameter("messages", options.messages()).parameter("threads", options.threads())
                .parameter("prefetch", options.prefetch()).parameter("task (ms)", options.taskMillis())
                .parameter("visibility timeout (s)", options.visibilityTimeout().toSeconds())
                .parameter("shutdown timeout (s)", options.shutdownTimeout().toSeconds())
                .parameter("overrunning task (ms)", options.overrunMillis());
        try (ScenarioSetup setup = new ScenarioSetup(database, "relstop", options.visibilityTimeout(),
                options.logDirectory())) {
            List<Message> messages = new ArrayList<>();
            Set<String> sent = new LinkedHashSet<>();
            if (options.overrunMillis() > 0) {
                // First in the queue, so that A is running it when the SIGTERM comes.
                messages.add(ScenarioSetup.message(OVERRUN_KEY, options.overrunMillis()));
                sent.add(OVERRUN_KEY);
            }
            for (int i = 0; i < options.messages(); i++) {
                messages.add(ScenarioSetup.message("g" + i, options.taskMillis()));
                sent.add("g" + i);
            }
            setup.sendBatch(messages);

            WorkerProcess.Spec spec = setup.workerSpec(options.visibilityTimeout(), options.threads(),
                    options.prefetch(), options.shutdownTimeout());
            WorkerProcess a = setup.startWorker(spec, "A");
            a.awaitStarted(Duration.ofSeconds(60));
            // Loaded: A has finished a first round of tasks and holds a full prefetch (running + waiting).
            long loadDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(setup.observer.query(c -> setup.table.countByPid(c, a.pid())) >= options.threads()
                    && setup.observer.query(setup.queue::invisible) >= options.prefetch())) {
                if (System.nanoTime() > loadDeadline || !a.isAlive()) {
                    throw new IllegalStateException("Worker A never held a full prefetch:\n" + a.tail(40));
                }
                Thread.sleep(20);
            }
            // Into the second round: its tasks are running, not between an ack and the next take.
            Thread.sleep(options.taskMillis() / 3);
            Map<String, Integer> heldReadCounts = setup.observer.query(setup.queue::invisibleReadCounts);
            Set<String> held = heldReadCounts.keySet();
            Instant sigterm = Instant.now();
            a.terminate();
            // B starts at once: the JVM start-up is part of the measured time, a visibility timeout is not.
            WorkerProcess b = setup.startWorker(spec.withThreads(2 * options.threads()).withPrefetch(null), "B");

            // How soon the messages A never started are visible again: invisible drops to what A still runs.
            Duration givenBackAfter = null;
            Optional<Integer> exitA = Optional.empty();
            Duration exitAfter = null;
            long deadline = System.nanoTime() + options.timeout().toNanos();
            while (givenBackAfter == null || exitA.isEmpty()) {
                if (exitA.isEmpty()) {
                    exitA = a.awaitExit(Duration.ZERO);
                    if (exitA.isPresent()) {
                        exitAfter = Duration.between(sigterm, Instant.now());
                    }
                }
                if (givenBackAfter == null) {
                    // Still held by A: hidden and not read again since (by B). A runs at most `threads` of them;
                    // once no more are held, the prefetched ones are back in the queue.
                    Map<String, Integer> invisible = setup.observer.query(setup.queue::invisibleReadCounts);
                    long stillHeld = heldReadCounts.entrySet().stream()
                            .filter(e -> e.getValue().equals(invisible.get(e.getKey()))).count();
                    if (stillHeld <= options.threads()) {
                        givenBackAfter = Duration.between(sigterm, Instant.now());
                    }
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(20);
            }
            if (exitA.isEmpty()) {
                report.violation("A did not exit within " + options.timeout().toSeconds() + " s of SIGTERM");
                a.kill();
            }

            // B finishes the rest (and, with an overrun, the message A gave up on once it becomes visible).
            int emptyInARow = 0;
            while (emptyInARow < 3 && System.nanoTime() < deadline) {
                boolean done = setup.distinctExecuted() >= sent.size() && setup.queueLength() == 0;
                emptyInARow = done ? emptyInARow + 1 : 0;
                if (!b.isAlive()) {
                    report.violation("B exited by itself: " + b.tail(30));
                    break;
                }
                Thread.sleep(100);
            }
            Instant allDone = Instant.now();
            b.terminate();
            Optional<Integer> exitB = b.awaitExit(Duration.ofSeconds(30));
            analyse(report, setup, sent, held, a, b, sigterm, exitA, exitAfter, givenBackAfter, exitB, allDone);
        }
        return report;
    }

    private void analyse(ScenarioReport report, ScenarioSetup setup, Set<String> sent, Set<String> held,
                         WorkerProcess a, WorkerProcess b, Instant sigterm, Optional<Integer> exitA,
                         Duration exitAfter, Duration givenBackAfter, Optional<Integer> exitB, Instant allDone)
            throws Exception {
        List<ExecutionsTable.Execution> executions = setup.table.executions();
        Map<String, List<ExecutionsTable.Execution>> byKey = new HashMap<>();
        executions.forEach(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
        Set<String> lost = new TreeSet<>(sent);
        lost.removeAll(byKey.keySet());

        // Tasks that A was running at the SIGTERM and finished during its shutdown.
        List<ExecutionsTable.Execution> finishedInShutdown = executions.stream()
                .filter(e -> e.pid() == a.pid() && e.startedAt().isBefore(sigterm) && e.finishedAt().isAfter(sigterm))
                .toList();
        Set<String> finishedInShutdownKeys = new HashSet<>();
        finishedInShutdown.forEach(e -> finishedInShutdownKeys.add(e.key()));
        // Held by A and never run by it: the prefetched ones it had to give back.
        Set<String> unstarted = new TreeSet<>(held);
        executions.stream().filter(e -> e.pid() == a.pid()).forEach(e -> unstarted.remove(e.key()));
        unstarted.remove(OVERRUN_KEY);
        Instant lastUnstartedDone = executions.stream().filter(e -> unstarted.contains(e.key()))
                .map(ExecutionsTable.Execution::finishedAt).max(Instant::compareTo).orElse(sigterm);
        Instant lastDone = executions.stream().map(ExecutionsTable.Execution::finishedAt).max(Instant::compareTo)
                .orElse(sigterm);
        long duplicates = executions.size() - byKey.size();
        List<String> duplicatedKeys = byKey.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey).sorted().toList();

        Duration vt = options.visibilityTimeout();
        Duration unstartedDoneAfter = Duration.between(sigterm, lastUnstartedDone);
        Duration allDoneAfter = Duration.between(sigterm, lastDone);
        long queueLength = setup.queueLength();
        long deadLetters = setup.deadLetters();

        report.figure("messages sent", sent.size())
                .figure("executions", executions.size())
                .figure("messages executed", byKey.size())
                .figure("lost", lost.size())
                .figure("duplicates", duplicates)
                .figure("held by A at SIGTERM (running + prefetched)", held.size())
                .figure("A's tasks finished during its shutdown", finishedInShutdown.size())
                .figure("A's prefetched messages given back (run by B)", unstarted.size())
                .figure("A exit code", exitA.map(String::valueOf).orElse("none"))
                .figure("A exited after SIGTERM (ms)", exitAfter == null ? "never" : exitAfter.toMillis())
                .figure("prefetched messages visible again after (ms)", givenBackAfter == null ? "never"
                        : givenBackAfter.toMillis())
                .figure("last given-back message done after SIGTERM (ms)", unstartedDoneAfter.toMillis())
                .figure("everything done after SIGTERM (ms)", allDoneAfter.toMillis())
                .figure("B executions", executions.stream().filter(e -> e.pid() == b.pid()).count())
                .figure("B exit code", exitB.map(String::valueOf).orElse("none"))
                .figure("queue length at end", queueLength)
                .figure("dead letters", deadLetters);

        report.check(exitA.isPresent() && exitA.get() == 0, "A's exit code after SIGTERM was " + exitA);
        report.check(exitAfter != null && exitAfter.compareTo(options.shutdownTimeout().plusSeconds(3)) <= 0,
                "A took " + exitAfter + " to exit; its shutdown timeout is " + options.shutdownTimeout());
        report.check(!finishedInShutdown.isEmpty(), "A finished no running task during its shutdown (it was"
                + " stopped while running tasks, so some must finish)");
        report.check(!unstarted.isEmpty(), "A held no prefetched message at the SIGTERM: the scenario proved nothing");
        report.check(lost.isEmpty(), lost.size() + " messages never executed: " + lost);
        // A task that finished during the shutdown was acknowledged: it must not run again.
        Set<String> rerunAfterShutdown = new TreeSet<>(duplicatedKeys);
        rerunAfterShutdown.retainAll(finishedInShutdownKeys);
        report.check(rerunAfterShutdown.isEmpty(), "tasks that finished during A's shutdown ran again (their ack was"
                + " lost): " + rerunAfterShutdown);
        Set<String> otherDuplicates = new TreeSet<>(duplicatedKeys);
        otherDuplicates.remove(OVERRUN_KEY);
        report.check(otherDuplicates.isEmpty(), "messages executed more than once: " + otherDuplicates);
        // The point: given-back messages did not wait for the visibility timeout (nor a good part of it).
        report.check(unstartedDoneAfter.compareTo(vt.dividedBy(2)) < 0, "the messages A gave back were done "
                + unstartedDoneAfter.toMillis() + " ms after the SIGTERM, not well within the visibility timeout of "
                + vt.toSeconds() + " s");
        report.check(givenBackAfter != null && givenBackAfter.compareTo(options.shutdownTimeout()) <= 0,
                "A's prefetched messages were hidden for " + givenBackAfter + " after the SIGTERM");
        report.check(queueLength == 0, "queue length " + queueLength + " at the end");
        report.check(deadLetters == 0, deadLetters + " dead letters");
        report.check(exitB.isPresent() && exitB.get() == 0, "B's exit code after SIGTERM was " + exitB);
        if (options.overrunMillis() > 0) {
            List<ExecutionsTable.Execution> overrun = byKey.getOrDefault(OVERRUN_KEY, List.of());
            Optional<Instant> rerunAt = overrun.stream().filter(e -> e.pid() != a.pid())
                    .map(ExecutionsTable.Execution::startedAt).min(Instant::compareTo);
            report.figure("overrunning task: runs recorded", overrun.size());
            report.figure("overrunning task: run again after SIGTERM (ms)",
                    rerunAt.map(at -> Duration.between(sigterm, at).toMillis()).map(String::valueOf)
                            .orElse("never"));
            report.check(a.output().contains("after the shutdown timeout"), "A did not report giving up on the task"
                    + " that outlived its shutdown timeout");
            report.check(overrun.stream().noneMatch(e -> e.pid() == a.pid()), "A recorded the overrunning task"
                    + " although it gave up on it");
            report.check(rerunAt.isPresent(), "the task A gave up on was never run again (lost)");
            report.note("The task that outlived the shutdown timeout was interrupted and not acknowledged; once it"
                    + " had ended A gave its message back (visible at once, not after the " + vt.toSeconds()
                    + " s visibility timeout), and B ran it.");
        }
        report.note("Everything was done " + allDone + "; B was started at the SIGTERM, so its JVM start-up is in"
                + " the timings.");
    }
}
