package dev.supaqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker command as a real process ({@code java -cp <test class path> dev.supaqueue.cli.Supaqueue worker}), with
 * {@link RecordingActorProvider}'s actor: it processes messages, stops cleanly on SIGTERM, and a worker killed with
 * SIGKILL mid-task loses nothing — another worker runs its messages once their visibility timeout lapses.
 */
@PgmqIntegrationTest
class WorkerProcessIT {

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();
    private TestDatabaseServer db;

    @AfterEach
    void cleanUp() throws SQLException, IOException {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        // A failing assertion has already quoted the worker's output.
        for (Path log : logs) {
            Files.deleteIfExists(log);
        }
        if (db != null) {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                for (String table : tables) {
                    statement.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    @Test
    void processes200MessagesThenExits0OnSigterm(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        String table = createRunsTable(db, namespace);
        try (SupabaseBroker producer = producer(db, namespace)) {
            for (int i = 0; i < 200; i++) {
                producer.enqueue(message("m" + i));
            }

            Worker worker = startWorker(db, namespace, table, 0, "--threads", "8");
            await(Duration.ofSeconds(25), "200 executions", worker,
                    () -> countRows(db, table) >= 200 && producer.queueLength(RecordingActorProvider.QUEUE) == 0);

            long start = System.nanoTime();
            worker.process.destroy(); // SIGTERM
            assertThat(worker.process.waitFor(10, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            String output = worker.output();
            assertThat(worker.process.exitValue()).as("exit code; output:%n%s", output).isZero();
            assertThat(stopMillis).as("stop time").isLessThan(5_000);
            assertThat(distinctKeys(db, table)).hasSize(200);
            assertThat(output).contains("Received SIGTERM", "Worker stopped", "password=***")
                    .doesNotContain(worker.password);
            System.out.printf("WorkerProcessIT: 200 messages processed, %d executions, stopped in %d ms%n",
                    countRows(db, table), stopMillis);
        }
    }

    @Test
    void aWorkerKilledMidTaskLosesNothing(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        String table = createRunsTable(db, namespace);
        int total = 24;
        try (SupabaseBroker producer = producer(db, namespace)) {
            for (int i = 0; i < total; i++) {
                producer.enqueue(message("k" + i));
            }

            // A: 4 tasks of 1 s at a time, messages hidden for 2 s and kept hidden by its heartbeat while it lives.
            Worker a = startWorker(db, namespace, table, 1000, "--visibility-timeout", "2", "--threads", "4",
                    "--prefetch", "4");
            await(Duration.ofSeconds(15), "A's first tasks", a, () -> countRows(db, table) >= 4);
            Thread.sleep(400); // into A's second round of tasks
            a.process.destroyForcibly(); // SIGKILL: no ack, no give-back, no heartbeat any more
            assertThat(a.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Set<String> heldByA = inFlightKeys(db, namespace);
            assertThat(heldByA).as("messages A held when it died").isNotEmpty();

            Worker b = startWorker(db, namespace, table, 1000, "--visibility-timeout", "2", "--threads", "8");
            await(Duration.ofSeconds(25), "every message executed and the queue empty", b,
                    () -> distinctKeys(db, table).size() == total
                            && producer.queueLength(RecordingActorProvider.QUEUE) == 0);
            b.process.destroy();
            assertThat(b.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.process.exitValue()).as("B's exit code; output:%n%s", b.output()).isZero();

            Set<String> expected = new HashSet<>();
            for (int i = 0; i < total; i++) {
                expected.add("k" + i);
            }
            assertThat(distinctKeys(db, table)).isEqualTo(expected);
            assertThat(keysRunBy(db, table, b.process.pid())).as("B ran what A held once it reappeared")
                    .containsAll(heldByA);
            assertThat(producer.queueLength(RecordingActorProvider.QUEUE)).isZero();
            assertThat(producer.deadLetterCount(RecordingActorProvider.QUEUE)).isZero();
            int executions = countRows(db, table);
            System.out.printf("WorkerProcessIT: SIGKILL mid-task: %d messages, %d executions, %d duplicates;"
                    + " %d held by the killed worker, all run again by the second%n", total, executions,
                    executions - total, heldByA.size());
        }
    }

    // Worker processes //

    private record Worker(Process process, Path log, String password) {
        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }

    private Worker startWorker(TestDatabaseServer db, String namespace, String table, long sleepMillis,
                               String... extraArgs) throws IOException {
        this.db = db;
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1",
                "-D" + RecordingActorProvider.TABLE_PROPERTY + "=" + table,
                "-D" + RecordingActorProvider.SLEEP_PROPERTY + "=" + sleepMillis,
                "-cp", System.getProperty("java.class.path"), Supaqueue.class.getName(), "worker",
                "--host", settings.host(), "--port", String.valueOf(settings.port()),
                "--database", settings.database(), "--user", settings.user(), "--namespace", namespace));
        settings.driverOptions().forEach((key, value) -> command.addAll(List.of("--driver-option", key + "=" + value)));
        command.addAll(List.of(extraArgs));

        // A trust server ignores the password, so a marker shows that it never reaches the output.
        String password = settings.password() != null ? settings.password() : "marker-pw-" + namespace;
        Path log = Files.createTempFile("supaqueue-worker-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove(WorkerCommand.DATABASE_URL_ENV);
        builder.environment().remove(WorkerCommand.PG_PASSWORD_ENV);
        builder.environment().put(WorkerCommand.PASSWORD_ENV, password);
        logs.add(log);
        Process process = builder.start();
        processes.add(process);
        return new Worker(process, log, password);
    }

    private static void await(Duration timeout, String what, Worker worker, SqlCondition condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (!worker.process.isAlive()) {
                fail("The worker exited with " + worker.process.exitValue() + " before " + what + ":\n"
                        + worker.output());
            }
            if (System.nanoTime() > deadline) {
                fail("No " + what + " within " + timeout.toSeconds() + " s; worker output:\n" + worker.output());
            }
            Thread.sleep(100);
        }
    }

    @FunctionalInterface
    private interface SqlCondition {
        boolean holds() throws SQLException;
    }

    // Database //

    private static SupabaseBroker producer(TestDatabaseServer db, String namespace) {
        SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of());
        broker.declareQueue(RecordingActorProvider.QUEUE);
        return broker;
    }

    private static Message message(String key) {
        return Message.create(RecordingActorProvider.QUEUE, RecordingActorProvider.ACTOR, List.of(key), Map.of(),
                Map.of());
    }

    private String createRunsTable(TestDatabaseServer db, String namespace) throws SQLException {
        this.db = db;
        String table = namespace + "_runs";
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (key text NOT NULL, pid bigint NOT NULL,"
                    + " at timestamptz NOT NULL DEFAULT clock_timestamp())");
        }
        tables.add(table);
        return table;
    }

    private static int countRows(TestDatabaseServer db, String table) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static Set<String> distinctKeys(TestDatabaseServer db, String table) throws SQLException {
        return keys(db, "SELECT DISTINCT key FROM " + table);
    }

    private static Set<String> keysRunBy(TestDatabaseServer db, String table, long pid) throws SQLException {
        return keys(db, "SELECT DISTINCT key FROM " + table + " WHERE pid = " + pid);
    }

    /** The messages read and not yet visible again: after a SIGKILL, those the dead worker held. */
    private static Set<String> inFlightKeys(TestDatabaseServer db, String namespace) throws SQLException {
        return keys(db, "SELECT message->'args'->>0 FROM pgmq.q_" + namespace + "_" + RecordingActorProvider.QUEUE
                + " WHERE read_ct > 0 AND vt > clock_timestamp()");
    }

    private static Set<String> keys(TestDatabaseServer db, String sql) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }
}
