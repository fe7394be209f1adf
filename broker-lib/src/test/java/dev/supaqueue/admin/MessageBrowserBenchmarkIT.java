package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.supaqueue.admin.BrowseRequest.Order;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Browsing a queue of 1,000,000 messages: prints the time of the first page and of later keyset pages, plain
 * and filtered, and checks that every plain or state-filtered page walks the msg_id primary key instead of
 * scanning and sorting the table. Takes about a minute to fill the queue, so it runs only when asked for:
 * <pre>
 * ./mvnw -B -q -pl broker-lib verify -Dtest=NoSuchTest -Dit.test=MessageBrowserBenchmarkIT \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true -Dsupaqueue.benchmark=true
 * </pre>
 * Timings are printed, never asserted: they depend on the machine.
 */
@PgmqIntegrationTest
@EnabledIfSystemProperty(named = "supaqueue.benchmark", matches = "true")
class MessageBrowserBenchmarkIT {

    private static final int MESSAGES = 1_000_000;
    private static final int RUNS = 25;

    @Test
    void pagesOfAMillionMessageQueueWalkThePrimaryKey(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_million");
        String table;
        long fillMillis;
        try (Connection connection = db.connect()) {
            table = serverQuoted(connection, queue);
            long started = System.nanoTime();
            // Dramatiq-shaped messages, ten actors; one in a thousand in flight, one in 100,000 delayed.
            execute(connection, "INSERT INTO " + table + " (vt, message)"
                    + " SELECT now(), jsonb_build_object('queue_name', ?::text, 'actor_name', 'job_' || (g % 10),"
                    + " 'args', jsonb_build_array(g), 'kwargs', jsonb_build_object('user_id', g % 5000),"
                    + " 'options', '{}'::jsonb, 'message_id', gen_random_uuid()::text,"
                    + " 'message_timestamp', 1700000000000 + g)"
                    + " FROM generate_series(1, ?::integer) AS g", queue, MESSAGES);
            execute(connection, "UPDATE " + table + " SET vt = now() + interval '300 seconds', read_ct = 1"
                    + " WHERE msg_id % 1000 = 0");
            execute(connection, "UPDATE " + table + " SET vt = now() + interval '300 seconds'"
                    + " WHERE msg_id % 100000 = 7");
            fillMillis = (System.nanoTime() - started) / 1_000_000;
        }
        System.out.printf("%nFilled %,d messages in %,d ms%n", MESSAGES, fillMillis);

        HikariConfig config = new HikariConfig();
        config.setDataSource(db.dataSource());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            MessageBrowser browser = new MessageBrowser(pool, new QueueTables(), AdminOptions.defaults());
            report("before ANALYZE", db, browser, queue, table);
            try (Connection connection = db.connect()) {
                execute(connection, "VACUUM ANALYZE " + table);
            }
            report("after VACUUM ANALYZE", db, browser, queue, table);
        }
    }

    private static void report(String when, TestDatabaseServer db, MessageBrowser browser, String queue,
                               String table) throws Exception {
        MessageSource source = MessageSource.queue(queue);
        BrowseRequest first = BrowseRequest.firstPage(source);
        long middle = MESSAGES / 2;
        MessageFilter ready = MessageFilter.all().withStates(MessageState.READY);
        MessageFilter inFlight = MessageFilter.all().withStates(MessageState.IN_FLIGHT);

        Map<String, BrowseRequest> indexed = new LinkedHashMap<>();
        indexed.put("first page, oldest first", first);
        indexed.put("first page, newest first", first.withOrder(Order.NEWEST_FIRST));
        indexed.put("after msg_id 500000", first.withAfter(middle));
        indexed.put("before msg_id 500000", first.withBefore(middle));
        indexed.put("newest first, after 500000", first.withOrder(Order.NEWEST_FIRST).withAfter(middle));
        indexed.put("last page (before the end)", first.withBefore((long) MESSAGES + 1));
        indexed.put("READY, first page", first.withFilter(ready));
        indexed.put("READY, after 500000", first.withFilter(ready).withAfter(middle));
        indexed.put("READY, newest first, after 500000",
                first.withFilter(ready).withOrder(Order.NEWEST_FIRST).withAfter(middle));

        // Sparse or payload conditions: the planner picks the plan (the vt index may serve a rare state).
        Map<String, BrowseRequest> scans = new LinkedHashMap<>();
        scans.put("IN_FLIGHT (1 in 1000), first page", first.withFilter(inFlight));
        scans.put("IN_FLIGHT (1 in 1000), after 500000", first.withFilter(inFlight).withAfter(middle));
        scans.put("DELAYED (10 of 1M), first page",
                first.withFilter(MessageFilter.all().withStates(MessageState.DELAYED)));
        scans.put("actor job_3 (1 in 10), after 500000",
                first.withFilter(MessageFilter.all().withActorName("job_3")).withAfter(middle));
        scans.put("contains {\"kwargs\":{\"user_id\":42}}, first page",
                first.withFilter(MessageFilter.all().withPayloadContaining("{\"kwargs\":{\"user_id\":42}}")));
        scans.put("msg_id = 765432", first.withFilter(MessageFilter.all().withMsgId(765_432L)));
        // The worst case: a payload condition nothing matches reads every row (bounded by the query timeout).
        scans.put("actor nobody (no match), first page",
                first.withFilter(MessageFilter.all().withActorName("nobody")));
        scans.put("contains {\"nothing\":1} (no match), first page",
                first.withFilter(MessageFilter.all().withPayloadContaining("{\"nothing\":1}")));

        System.out.printf("%n%s (%d runs each; browse() through a pool, end to end)%n", when, RUNS);
        System.out.printf("%-44s %9s %9s %9s  %s%n", "page (50 rows)", "median", "p90", "max", "plan");
        try (Connection connection = db.connect()) {
            QueueTables.Tables tables = new QueueTables().resolve(connection, "benchmark", queue);
            for (Map.Entry<String, BrowseRequest> entry : indexed.entrySet()) {
                String plan = plan(connection, tables, entry.getValue());
                measure(entry.getKey(), () -> browser.browse(entry.getValue()), plan);
                assertThat(plan).as(entry.getKey()).contains("Index Scan").contains("_pkey")
                        .doesNotContain("Seq Scan");
            }
            for (Map.Entry<String, BrowseRequest> entry : scans.entrySet()) {
                measure(entry.getKey(), () -> browser.browse(entry.getValue()),
                        plan(connection, tables, entry.getValue()));
            }
        }
        measure("message(source, 765432)", () -> browser.message(source, 765_432L), "");
    }

    private static void measure(String name, Supplier<Object> call, String plan) {
        call.get(); // warm up
        long[] micros = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long started = System.nanoTime();
            Object result = call.get();
            micros[i] = (System.nanoTime() - started) / 1_000;
            assertThat(result).isNotNull();
        }
        Arrays.sort(micros);
        System.out.printf("%-44s %7.1f ms %6.1f ms %6.1f ms  %s%n", name, micros[RUNS / 2] / 1000.0,
                micros[RUNS * 9 / 10] / 1000.0, micros[RUNS - 1] / 1000.0, summary(plan));
    }

    /** The scan nodes of a plan, on one line. */
    private static String summary(String plan) {
        List<String> scans = new ArrayList<>();
        for (String line : plan.split("\n")) {
            String node = line.strip().replaceFirst("^->\\s*", "");
            if (node.contains("Scan") && !node.startsWith("Subquery Scan") && !node.startsWith("CTE Scan")) {
                scans.add(node.replaceAll("\\s*\\(cost=.*$", "").replaceAll(" on pgmq\\.\\S+", "")
                        .replaceAll(" using \\S+_pkey", " (pkey)").replaceAll(" using \\S+_vt_idx", " (vt index)")
                        .replaceAll(" on q_\\S+( q_\\S+)?", ""));
            }
        }
        return String.join("; ", scans);
    }

    /** EXPLAIN of the statement browse() runs for this request, with the same values bound. */
    private static String plan(Connection connection, QueueTables.Tables tables, BrowseRequest request)
            throws Exception {
        MessageBrowser.Query query = MessageBrowser.pageQuery(tables, request,
                AdminOptions.DEFAULT_PAYLOAD_PREVIEW_CHARS);
        try (PreparedStatement statement = connection.prepareStatement("EXPLAIN " + query.sql())) {
            int index = 1;
            for (Object parameter : query.parameters()) {
                statement.setObject(index++, parameter);
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    private static String serverQuoted(Connection connection, String queue) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT format('pgmq.%I', 'q_' || lower(?::text))")) {
            statement.setString(1, queue);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }
}
