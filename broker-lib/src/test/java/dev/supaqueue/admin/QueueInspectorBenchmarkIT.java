package dev.supaqueue.admin;

import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How long a queue-list refresh takes with 200 queues and with a queue of 1,000,000 messages. A measurement,
 * not a test: it prints timings and asserts nothing about them. Off by default; run it with
 * <pre>
 * ./mvnw -B -q -pl broker-lib verify -Dtest=none -Dit.test=QueueInspectorBenchmarkIT -Dsupaqueue.benchmark=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dit.failIfNoSpecifiedTests=false -Djacoco.skip=true
 * </pre>
 */
@PgmqIntegrationTest
@EnabledIfSystemProperty(named = "supaqueue.benchmark", matches = "true")
class QueueInspectorBenchmarkIT {

    private static final int RUNS = 5;

    @Test
    void refreshTimes(TestDatabaseServer db, TestQueues queues) throws Exception {
        QueueInspector inspector = new QueueInspector(db.dataSource(), new PgmqClient(db.dataSource()),
                new QueueTables(), AdminOptions.defaults());

        String namespace = queues.newNamespace();
        String ready = namespace + "_big_ready";
        String delayed = namespace + "_big_delayed";
        try (Connection connection = db.connect()) {
            fillMillion(connection, ready, "now() - interval '1 minute'");
            report("1 queue of 1,000,000 ready messages (not analysed)", inspector);
            analyze(connection, ready);
            report("1 queue of 1,000,000 ready messages (analysed)", inspector);
        }

        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add(namespace + "_q" + i);
        }
        try (Connection connection = db.connect()) {
            try (PreparedStatement create = connection.prepareStatement(
                    "SELECT pgmq.create(n) FROM unnest(?::text[]) AS n")) {
                create.setArray(1, connection.createArrayOf("text", names.toArray()));
                create.execute();
            }
            try (PreparedStatement fill = connection.prepareStatement(
                    "SELECT pgmq.send_batch(n, array_fill('{\"x\":1}'::jsonb, ARRAY[20]), 0)"
                            + " FROM unnest(?::text[]) AS n")) {
                fill.setArray(1, connection.createArrayOf("text", names.toArray()));
                fill.execute();
            }
            report("+ 200 queues of 20 messages", inspector);
            fillMillion(connection, delayed, "now() + interval '1 hour'");
            analyze(connection, delayed);
            report("+ 1 queue of 1,000,000 delayed messages (analysed)", inspector);
        }
        try (Connection connection = db.connect();
             PreparedStatement drop = connection.prepareStatement("SELECT pgmq.drop_queue(?::text)")) {
            for (String queue : List.of(ready, delayed)) {
                drop.setString(1, queue);
                drop.execute();
            }
        }
        report("200 queues of 20 messages alone", inspector);

    }

    private static void report(String what, QueueInspector inspector) {
        List<Long> millis = new ArrayList<>();
        int rows = 0;
        for (int i = 0; i < RUNS; i++) {
            long started = System.nanoTime();
            QueueOverview overview = inspector.overview();
            millis.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
            rows = overview.queues().size();
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf("overview, %s: %d rows; first %d ms, median %d ms, all %s%n", what, rows, millis.get(0),
                sorted.get(RUNS / 2), millis);
    }

    private static void fillMillion(Connection connection, String queue, String vt) throws SQLException {
        try (PreparedStatement create = connection.prepareStatement("SELECT pgmq.create(?::text)")) {
            create.setString(1, queue);
            create.execute();
        }
        long started = System.nanoTime();
        try (Statement insert = connection.createStatement()) {
            insert.execute("INSERT INTO " + quotedTable(connection, queue) + " (vt, message)"
                    + " SELECT " + vt + ", jsonb_build_object('i', g) FROM generate_series(1, 1000000) AS g");
        }
        System.out.printf("filled %s with 1,000,000 messages in %d ms%n", queue,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static void analyze(Connection connection, String queue) throws SQLException {
        try (Statement analyze = connection.createStatement()) {
            analyze.execute("VACUUM ANALYZE " + quotedTable(connection, queue));
        }
    }

    /** The live table's name as the server quotes it. */
    private static String quotedTable(Connection connection, String queue) throws SQLException {
        try (PreparedStatement quote = connection.prepareStatement("SELECT format('pgmq.%I', 'q_' || lower(?::text))")) {
            quote.setString(1, queue);
            try (ResultSet row = quote.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}
