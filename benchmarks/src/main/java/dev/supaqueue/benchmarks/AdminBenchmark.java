package dev.supaqueue.benchmarks;

import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.BrowseRequest;
import dev.supaqueue.admin.MessageFilter;
import dev.supaqueue.admin.MessagePage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.MessageState;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.QueueOverview;
import dev.supaqueue.admin.QueueSummary;
import dev.supaqueue.benchmarks.Benchmarks.BenchOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The admin API's figures from its issue: the first page and later keyset pages of a large queue, and one refresh
 * of the queue list with many queues. The large queue holds a mix of ready, in-flight and delayed messages, plus
 * dead letters and archived messages, all of them typical Dramatiq messages.
 */
final class AdminBenchmark {

    static final String BIG_QUEUE = "bench_admin_big";
    static final String SMALL_QUEUE_PREFIX = "bench_admin_q_";
    private static final int FILL_CHUNK = 20_000;
    private static final int WARM_UP = 3;

    // A Dramatiq message built on the server, so filling a million rows does not ship them over the wire.
    private static final String DRAMATIQ_BATCH = """
            SELECT count(*) FROM pgmq.send_batch(?::text, ARRAY(
                SELECT jsonb_build_object(
                    'queue_name', 'big', 'actor_name', CASE WHEN g % 10 = 0 THEN 'send_report' ELSE 'send_email' END,
                    'args', jsonb_build_array(g, 'user' || g || '@example.com'),
                    'kwargs', jsonb_build_object('template', 'welcome', 'attempt', g % 7),
                    'options', jsonb_build_object('max_retries', 3),
                    'message_id', gen_random_uuid()::text,
                    'message_timestamp', (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                FROM generate_series(?::integer, ?::integer) AS g), ?::integer)
            """;

    private final BenchOptions options;

    AdminBenchmark(BenchOptions options) {
        this.options = options;
    }

    void run() throws Exception {
        try (BenchDatabase database = BenchDatabase.open(options.jdbcUrl(), 4)) {
            System.out.printf("Database: %s%npgmq: %s%nServer: %s%n", database.describe(),
                    database.pgmq().describe(), database.serverVersion());
            long started = System.nanoTime();
            prepare(database);
            System.out.printf(Locale.ROOT, "Prepared in %.1f s%n", (System.nanoTime() - started) / 1e9);

            ResultTable table = new ResultTable("operation", "runs", "p50 ms", "p95 ms", "max ms", "rows", "target");
            try (QueueAdmin admin = QueueAdmin.create(database.dataSource(), AdminOptions.defaults())) {
                measurePages(admin, table);
                measureQueueList(admin, table);
            }
            String preamble = String.format(Locale.ROOT, "# Admin API benchmark%n%n%s, %d messages in %s,"
                            + " %d small queues, %d runs each after %d warm-up runs; pgmq: %s; %s; %d cores.%n",
                    Instant.now(), options.messages(), BIG_QUEUE, options.queues(), options.runs(), WARM_UP,
                    database.pgmq().describe(), database.serverVersion(), Runtime.getRuntime().availableProcessors());
            System.out.println();
            System.out.print(preamble);
            System.out.println();
            System.out.print(table.markdown());
            table.write(options.out(), "admin", preamble);
            System.out.println("\nWritten to " + options.out().toAbsolutePath().resolve("admin.md") + " and admin.csv");
            if (!options.keep()) {
                dropAll(database);
            }
        }
    }

    // ----------------------------------------------------------------------------------- measurements

    private void measurePages(QueueAdmin admin, ResultTable table) {
        MessageSource big = MessageSource.queue(BIG_QUEUE);
        BrowseRequest first = BrowseRequest.firstPage(big).withLimit(50);
        MessagePage firstPage = admin.browse(first);
        long middleId = firstPage.messages().get(0).msgId() + options.messages() / 2;
        String pageTarget = "< 300 ms";

        time(table, "first page (50, oldest first)", pageTarget, () -> admin.browse(first).messages().size());
        BrowseRequest second = firstPage.next().orElseThrow();
        time(table, "next keyset page (after page 1)", pageTarget, () -> admin.browse(second).messages().size());
        BrowseRequest middle = new BrowseRequest(big, MessageFilter.all(), BrowseRequest.Order.OLDEST_FIRST,
                middleId, null, 50);
        time(table, "keyset page in the middle (after id N/2)", pageTarget,
                () -> admin.browse(middle).messages().size());
        BrowseRequest middleBack = new BrowseRequest(big, MessageFilter.all(), BrowseRequest.Order.OLDEST_FIRST,
                null, middleId, 50);
        time(table, "previous keyset page (before id N/2)", pageTarget,
                () -> admin.browse(middleBack).messages().size());
        BrowseRequest newest = first.withOrder(BrowseRequest.Order.NEWEST_FIRST);
        time(table, "first page, newest first", pageTarget, () -> admin.browse(newest).messages().size());
        for (MessageState state : new MessageState[] {MessageState.READY, MessageState.IN_FLIGHT,
                MessageState.DELAYED}) {
            BrowseRequest filtered = first.withFilter(MessageFilter.all().withStates(state));
            time(table, "first page, state " + state, "(filtered)", () -> admin.browse(filtered).messages().size());
        }
        BrowseRequest byActor = first.withFilter(MessageFilter.all().withActorName("send_report"));
        time(table, "first page, actor send_report (1 in 10)", "(filtered)",
                () -> admin.browse(byActor).messages().size());
        BrowseRequest dead = BrowseRequest.firstPage(MessageSource.deadLetters(BIG_QUEUE)).withLimit(50);
        time(table, "first page of the dead letters", pageTarget, () -> admin.browse(dead).messages().size());
        BrowseRequest archived = BrowseRequest.firstPage(MessageSource.archive(BIG_QUEUE)).withLimit(50);
        time(table, "first page of the archive", pageTarget, () -> admin.browse(archived).messages().size());
        long oneId = firstPage.messages().get(0).msgId();
        time(table, "one message with its whole payload", "", () -> admin.message(big, oneId).isPresent() ? 1 : 0);
    }

    private void measureQueueList(QueueAdmin admin, ResultTable table) {
        QueueOverview overview = admin.queues();
        QueueSummary bigSummary = overview.find(BIG_QUEUE).orElseThrow();
        System.out.printf("%s: ready %s, in flight %s, delayed %s, dead letters %s, archived %s%n", BIG_QUEUE,
                bigSummary.ready(), bigSummary.inFlight(), bigSummary.delayed(), bigSummary.deadLetters(),
                bigSummary.archived());
        time(table, "queue list (" + overview.queues().size() + " queues incl. the large one)", "< 1000 ms",
                () -> admin.queues().queues().size());
        time(table, "health check", "", () -> admin.health().lags().size());
    }

    private void time(ResultTable table, String operation, String target, Supplier<Integer> action) {
        int rows = 0;
        for (int i = 0; i < WARM_UP; i++) {
            rows = action.get();
        }
        Timings timings = new Timings(options.runs());
        for (int i = 0; i < options.runs(); i++) {
            long start = System.nanoTime();
            rows = action.get();
            timings.add(System.nanoTime() - start);
        }
        table.add(operation, timings.count(), timings.percentileMillis(50), timings.percentileMillis(95),
                timings.maxMillis(), rows, target);
        System.out.printf(Locale.ROOT, "%-55s p50 %7.1f ms  p95 %7.1f ms%n", operation, timings.percentileMillis(50),
                timings.percentileMillis(95));
    }

    // ----------------------------------------------------------------------------------- data

    private void prepare(BenchDatabase database) throws SQLException {
        int n = options.messages();
        int delayed = n / 20;
        int inFlight = n / 10;
        try (Connection connection = database.dataSource().getConnection()) {
            if (queueLength(connection, BIG_QUEUE) == n && queueLength(connection, BIG_QUEUE + "_xq") == n / 100
                    && smallQueuesPresent(connection)) {
                System.out.println("Reusing the queues of an earlier run (--keep)");
                return;
            }
            dropAll(database);
            call(connection, "SELECT pgmq.create(?::text)", BIG_QUEUE);
            call(connection, "SELECT pgmq.create(?::text)", BIG_QUEUE + "_xq");
            System.out.printf("Filling %s with %d messages...%n", BIG_QUEUE, n);
            fill(connection, BIG_QUEUE, 1, n - delayed, 0);
            fill(connection, BIG_QUEUE, n - delayed + 1, n, 86_400);
            // The oldest tenth is taken by a (pretend) worker with a long visibility timeout: in flight.
            call(connection, "SELECT count(*) FROM pgmq.read(?::text, 86400, ?::integer)", BIG_QUEUE, inFlight);
            fill(connection, BIG_QUEUE + "_xq", 1, n / 100, 0);
            // Archived messages: sent to the big queue, then archived by id.
            long before = maxId(connection, BIG_QUEUE);
            fill(connection, BIG_QUEUE, 1, n / 20, 0);
            call(connection, """
                    SELECT count(*) FROM pgmq.archive(?::text,
                        ARRAY(SELECT generate_series(?::bigint + 1, ?::bigint)))""",
                    BIG_QUEUE, before, before + n / 20);
            System.out.printf("Creating %d small queues of 3 messages each...%n", options.queues());
            for (int i = 1; i <= options.queues(); i++) {
                String queue = smallQueue(i);
                call(connection, "SELECT pgmq.create(?::text)", queue);
                fill(connection, queue, 1, 3, 0);
            }
            analyze(connection);
        }
    }

    private static void fill(Connection connection, String queue, int from, int to, int delaySeconds)
            throws SQLException {
        for (int start = from; start <= to; start += FILL_CHUNK) {
            call(connection, DRAMATIQ_BATCH, queue, start, Math.min(to, start + FILL_CHUNK - 1), delaySeconds);
        }
    }

    /** Statistics as autovacuum would leave them, so estimates and plans are those of a settled database. */
    private static void analyze(Connection connection) throws SQLException {
        String sql;
        try (PreparedStatement build = connection.prepareStatement(
                "SELECT format('VACUUM ANALYZE pgmq.%I, pgmq.%I', 'q_' || ?::text, 'a_' || ?::text)")) {
            build.setString(1, BIG_QUEUE);
            build.setString(2, BIG_QUEUE);
            try (ResultSet row = build.executeQuery()) {
                row.next();
                sql = row.getString(1);
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private boolean smallQueuesPresent(Connection connection) throws SQLException {
        return queueLength(connection, smallQueue(options.queues())) == 3
                && queueLength(connection, smallQueue(options.queues() + 1)) < 0;
    }

    private void dropAll(BenchDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement list = connection.prepareStatement(
                     "SELECT queue_name FROM pgmq.meta WHERE queue_name LIKE 'bench\\_admin\\_%'");
             ResultSet rows = list.executeQuery()) {
            while (rows.next()) {
                call(connection, "SELECT pgmq.drop_queue(?::text)", rows.getString(1));
            }
        }
    }

    private static String smallQueue(int index) {
        return SMALL_QUEUE_PREFIX + String.format(Locale.ROOT, "%03d", index);
    }

    /** The queue's length, or -1 when it does not exist. */
    private static long queueLength(Connection connection, String queue) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT 1 FROM pgmq.meta WHERE queue_name = ?::text")) {
            exists.setString(1, queue);
            try (ResultSet row = exists.executeQuery()) {
                if (!row.next()) {
                    return -1;
                }
            }
        }
        try (PreparedStatement metrics = connection.prepareStatement(
                "SELECT queue_length FROM pgmq.metrics(?::text)")) {
            metrics.setString(1, queue);
            try (ResultSet row = metrics.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long maxId(Connection connection, String queue) throws SQLException {
        try (PreparedStatement metrics = connection.prepareStatement(
                "SELECT total_messages FROM pgmq.metrics(?::text)")) {
            metrics.setString(1, queue);
            try (ResultSet row = metrics.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void call(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }
}
