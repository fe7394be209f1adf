package dev.supaqueue.reliability;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One worker JVM: {@code java -cp <this class path> dev.supaqueue.cli.Supaqueue worker ...} running
 * {@link RecordingActors}, its output in a log file. {@link #kill()} is SIGKILL, {@link #terminate()} SIGTERM.
 */
public final class WorkerProcess {

    /** What the worker command prints once its consumers run. */
    private static final String STARTED_LINE = "Worker started";

    private final String label;
    private final Process process;
    private final Path log;
    private final Instant startedAt = Instant.now();
    private volatile Instant killedAt;

    private WorkerProcess(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
    }

    /** How to start worker processes of one scenario. */
    public record Spec(ScenarioDatabase database, String namespace, String table, Duration visibilityTimeout,
                       int threads, Integer prefetch, Duration shutdownTimeout, Path logDirectory) {

        public Spec withPrefetch(Integer newPrefetch) {
            return new Spec(database, namespace, table, visibilityTimeout, threads, newPrefetch, shutdownTimeout,
                    logDirectory);
        }

        public Spec withThreads(int newThreads) {
            return new Spec(database, namespace, table, visibilityTimeout, newThreads, prefetch, shutdownTimeout,
                    logDirectory);
        }

        public Spec withShutdownTimeout(Duration timeout) {
            return new Spec(database, namespace, table, visibilityTimeout, threads, prefetch, timeout, logDirectory);
        }
    }

    public static WorkerProcess start(Spec spec, String label) throws IOException {
        SupabaseBrokerSettings settings = spec.database().brokerSettings(spec.namespace(), spec.visibilityTimeout())
                .build();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-D" + RecordingActors.TABLE_PROPERTY + "=" + spec.table(),
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", workerClassPath(), "dev.supaqueue.cli.Supaqueue", "worker",
                "--host", settings.host(), "--port", String.valueOf(settings.port()),
                "--database", settings.database(), "--user", settings.user(),
                "--namespace", spec.namespace(),
                "--visibility-timeout", String.valueOf(spec.visibilityTimeout().toSeconds()),
                "--threads", String.valueOf(spec.threads()),
                "--shutdown-timeout", String.valueOf(spec.shutdownTimeout().toSeconds()),
                "--min-conn", "0", "--max-conn", "3",
                "--queues", RecordingActors.QUEUE));
        if (spec.prefetch() != null) {
            command.addAll(List.of("--prefetch", String.valueOf(spec.prefetch())));
        }
        settings.driverOptions().forEach((key, value) -> command.addAll(List.of("--driver-option", key + "=" + value)));
        Files.createDirectories(spec.logDirectory());
        Path log = spec.logDirectory().resolve(spec.namespace() + "-" + label + "-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SUPAQUEUE_DATABASE_URL");
        builder.environment().remove("PGPASSWORD");
        // The password travels in the environment, never on the command line.
        if (settings.password() != null) {
            builder.environment().put("SUPAQUEUE_DB_PASSWORD", settings.password());
        }
        return new WorkerProcess(label, builder.start(), log);
    }

    /**
     * This JVM's class path without broker-lib's test classes: their actor providers refuse to start without their
     * own test's settings, and a worker must only run {@link RecordingActors}.
     */
    static String workerClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !isBrokerLibTestEntry(entry))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean isBrokerLibTestEntry(String entry) {
        String path = entry.replace('\\', '/');
        return path.contains("broker-lib") && (path.endsWith("/test-classes") || path.endsWith("/test-classes/")
                || path.endsWith("-tests.jar"));
    }

    public String label() {
        return label;
    }

    public long pid() {
        return process.pid();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Optional<Instant> killedAt() {
        return Optional.ofNullable(killedAt);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines of the output, for failure messages. */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public boolean hasStarted() {
        return output().contains(STARTED_LINE);
    }

    /** Waits for the consumers to run; fails with the worker's output if it exits or takes longer. */
    public void awaitStarted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasStarted()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Worker " + label + " exited with " + process.exitValue()
                        + " before it started:\n" + tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Worker " + label + " did not start within " + timeout.toSeconds()
                        + " s:\n" + tail(40));
            }
            Thread.sleep(50);
        }
    }

    /** SIGKILL, and waits for the process to be gone. */
    public void kill() throws InterruptedException {
        killedAt = Instant.now();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; does not wait. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the exit; returns the exit code, or empty if still running after {@code timeout}. */
    public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of(process.exitValue());
        }
        return Optional.empty();
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. For clean-up. */
    public void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "worker " + label + " (pid " + pid() + ")";
    }
}
