package dev.supaqueue.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.cli.Supaqueue;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.GroupCallbacks;
import dev.supaqueue.results.PostgresResultBackend;
import dev.supaqueue.results.ResultBackend;
import dev.supaqueue.results.Results;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A group's completion callback on a real PostgreSQL, with the children spread over three worker processes
 * ({@code java -cp <test class path> dev.supaqueue.cli.Supaqueue worker}) running {@link GroupActorProvider}'s
 * actors: the barrier in PostgreSQL lets exactly one of them enqueue the callback. The results are read back through
 * a {@link PostgresResultBackend}.
 */
@PgmqIntegrationTest
class GroupOnSupabaseIT {

    private static final int CHILDREN = 20;
    private static final int WORKERS = 3;

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private TestDatabaseServer db;
    private String schema;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        for (Path log : logs) {
            Files.deleteIfExists(log);
        }
        if (schema != null) {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void aGroupOf20ChildrenCallsBackExactlyOnceWithThreeWorkerProcesses(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        createSchema(db, "t_group_" + namespace);

        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(startWorker(db, namespace));
        }
        // The group runs once every worker consumes, so that all three can take children.
        for (Worker worker : workers) {
            await(Duration.ofSeconds(60), "the worker to start", worker, () -> worker.output()
                    .contains("Worker started"));
        }

        try (SupabaseBroker producer = producer(db, namespace)) {
            List<Message> children = new ArrayList<>();
            for (int i = 0; i < CHILDREN; i++) {
                children.add(Message.create(GroupActorProvider.QUEUE, GroupActorProvider.CHILD, List.of(i), Map.of(),
                        Map.of()));
            }
            Group group = Group.group(children, producer).addCompletionCallback(Message.create(
                    GroupActorProvider.QUEUE, GroupActorProvider.CALLBACK, List.of("all done"), Map.of(), Map.of()));
            long start = System.nanoTime();
            group.run();

            ResultBackend backend = Results.backendOf(producer);
            assertThat(backend).isInstanceOf(PostgresResultBackend.class);
            List<Object> results = group.getResults(backend, Duration.ofSeconds(60));
            List<Integer> squares = new ArrayList<>();
            for (int i = 0; i < CHILDREN; i++) {
                squares.add(i * i);
            }
            assertThat(results).isEqualTo(squares);
            assertThat(group.completedCount(backend)).isEqualTo(CHILDREN);

            await(Duration.ofSeconds(30), "the callback", workers.getFirst(),
                    () -> count("SELECT count(*) FROM " + schema + ".callbacks") >= 1);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            await(Duration.ofSeconds(30), "an empty queue", workers.getFirst(),
                    () -> producer.queueLength(GroupActorProvider.QUEUE) == 0);
            // Time for a duplicate callback, had one been enqueued, to run.
            Thread.sleep(1500);

            assertThat(count("SELECT count(*) FROM " + schema + ".callbacks")).as("callback runs").isEqualTo(1);
            assertThat(count("SELECT count(*) FROM " + schema + ".runs")).as("child runs").isEqualTo(CHILDREN);
            assertThat(count("SELECT count(DISTINCT value) FROM " + schema + ".runs")).isEqualTo(CHILDREN);
            assertThat(count("SELECT remaining FROM " + schema + ".barriers")).as("barrier remaining").isZero();
            Map<Long, Integer> perProcess = childrenPerProcess();
            assertThat(perProcess.size()).as("processes that ran children: %s", perProcess)
                    .isGreaterThanOrEqualTo(2);
            assertThat(producer.deadLetterCount(GroupActorProvider.QUEUE)).isZero();
            for (Worker worker : workers) {
                assertThat(worker.process.isAlive()).as("worker alive; output:%n%s", worker.output()).isTrue();
            }
            System.out.printf("GroupOnSupabaseIT: %d children on %d worker processes (children per pid %s),"
                    + " callback once, after %d ms%n", CHILDREN, WORKERS, perProcess, elapsedMs);
        }
    }

    // Worker processes //

    private record Worker(Process process, Path log) {
        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }

    private Worker startWorker(TestDatabaseServer db, String namespace) throws IOException {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1",
                "-D" + GroupActorProvider.SCHEMA_PROPERTY + "=" + schema,
                "-D" + GroupActorProvider.SLEEP_PROPERTY + "=100",
                // The other provider on the test class path needs a table name; its queue stays empty.
                "-Dsupaqueue.it.table=unused_" + namespace,
                "-cp", System.getProperty("java.class.path"), Supaqueue.class.getName(), "worker",
                "--host", settings.host(), "--port", String.valueOf(settings.port()),
                "--database", settings.database(), "--user", settings.user(), "--namespace", namespace,
                "--threads", "2", "--prefetch", "2"));
        settings.driverOptions().forEach((key, value) -> command.addAll(List.of("--driver-option", key + "=" + value)));

        Path log = Files.createTempFile("supaqueue-group-worker-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SUPAQUEUE_DATABASE_URL");
        builder.environment().remove("PGPASSWORD");
        // A trust server ignores the password; the command still wants one.
        builder.environment().put("SUPAQUEUE_DB_PASSWORD",
                settings.password() != null ? settings.password() : "unused-" + namespace);
        logs.add(log);
        Process process = builder.start();
        processes.add(process);
        return new Worker(process, log);
    }

    private static void await(Duration timeout, String what, Worker worker, Condition condition) throws Exception {
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
    private interface Condition {
        boolean holds() throws Exception;
    }

    // Database //

    /** Producer side: no worker, but GroupCallbacks (its run creates the barrier) and Results in the same schema. */
    private SupabaseBroker producer(TestDatabaseServer db, String namespace) {
        SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of());
        broker.addMiddleware(GroupCallbacks.onPostgres(broker, schema));
        broker.addMiddleware(new Results(new PostgresResultBackend(broker, schema)));
        broker.declareQueue(GroupActorProvider.QUEUE);
        return broker;
    }

    private void createSchema(TestDatabaseServer db, String name) throws SQLException {
        this.db = db;
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
            this.schema = name;
            for (String table : List.of("runs", "callbacks")) {
                statement.execute("CREATE TABLE " + name + "." + table + " (value text NOT NULL, pid bigint NOT NULL,"
                        + " at timestamptz NOT NULL DEFAULT clock_timestamp())");
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as("a row from %s", sql).isTrue();
            return rows.getLong(1);
        }
    }

    private Map<Long, Integer> childrenPerProcess() throws SQLException {
        Map<Long, Integer> perProcess = new TreeMap<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pid, count(*) FROM " + schema + ".runs GROUP BY pid")) {
            while (rows.next()) {
                perProcess.put(rows.getLong(1), rows.getInt(2));
            }
        }
        return perProcess;
    }
}
