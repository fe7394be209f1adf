package dev.supaqueue.admin;

import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqException;
import dev.supaqueue.pgmq.PgmqFlavour;
import dev.supaqueue.pgmq.PgmqQueueName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The queue list and single-queue summaries. Only plain {@code SELECT}s: looking never changes a message.
 *
 * <p>Fast on many and on huge queues: the tables of all queues are resolved in one statement, then all queues
 * are measured in one more (a {@code UNION ALL} of one row per queue). Each count reads at most
 * {@code countCap + 1} rows over an index ({@code vt} for the states, the primary key for the oldest message),
 * and a count that reaches the cap is reported as a lower bound, or as the planner's estimate of the table size
 * when that is larger.
 */
final class QueueInspector {

    /** Queues measured per statement: keeps each statement's size and parameter count moderate. */
    private static final int QUEUES_PER_STATEMENT = 250;

    private static final String QUEUE_NAMES = "SELECT queue_name::text FROM pgmq.meta";

    private static final String UNDEFINED_TABLE = "42P01";
    private static final String INVALID_SCHEMA = "3F000";

    private final DataSource dataSource;
    private final PgmqClient client;
    private final QueueTables tables;
    private final AdminOptions options;

    QueueInspector(DataSource dataSource, PgmqClient client, QueueTables tables, AdminOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.client = Objects.requireNonNull(client, "client");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Every pgmq queue, grouped by namespace, with its dead-letter queue folded into its row.
     *
     * @throws PgmqException if the database cannot be reached or pgmq is not installed
     */
    QueueOverview overview() {
        try (Connection connection = dataSource.getConnection()) {
            return overview(connection);
        } catch (SQLException e) {
            throw failure("overview", null, e);
        }
    }

    /** {@link #overview()} on the caller's connection (which stays open). */
    QueueOverview overview(Connection connection) throws SQLException {
        long started = System.nanoTime();
        List<QueueTables.Tables> all = tables.resolveAll(connection);
        Measurements measured;
        try {
            measured = measure(connection, all);
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            // A queue was dropped between listing and counting: list again, once.
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            all = tables.resolveAll(connection);
            measured = measure(connection, all);
        }

        Map<String, QueueTables.Tables> byName = new HashMap<>();
        for (QueueTables.Tables table : all) {
            byName.put(table.queue(), table);
        }
        Set<String> rows = rowNames(byName.keySet());
        Map<String, String> namespaces = new NamespaceGrouping(options).assign(byName.keySet());

        Map<String, List<QueueSummary>> grouped = new TreeMap<>(NAMESPACES_UNNAMESPACED_LAST);
        for (String name : rows) {
            String deadLetterQueue = name + QueueNames.DEAD_LETTER_SUFFIX;
            boolean hasDeadLetters = byName.containsKey(deadLetterQueue) && !rows.contains(deadLetterQueue);
            QueueSummary summary = summary(byName.get(name), measured.stats().get(name), namespaces.get(name),
                    hasDeadLetters ? deadLetterQueue : null,
                    hasDeadLetters ? measured.stats().get(deadLetterQueue) : null);
            grouped.computeIfAbsent(summary.namespace(), key -> new ArrayList<>()).add(summary);
        }
        List<NamespaceGroup> groups = new ArrayList<>();
        grouped.forEach((namespace, queues) -> {
            queues.sort(Comparator.comparing(QueueSummary::name));
            groups.add(new NamespaceGroup(namespace, queues));
        });
        return new QueueOverview(groups, measured.serverTime(), Duration.ofNanos(System.nanoTime() - started),
                options.countCap());
    }

    /**
     * One queue's row, as in {@link #overview()} (a dead-letter queue asked for by name gets its own row).
     *
     * @throws IllegalArgumentException if the name breaks pgmq's rules (before any SQL)
     * @throws UnknownQueueException    if there is no such queue
     */
    QueueSummary summary(String queue) {
        PgmqQueueName.validate(queue);
        try (Connection connection = dataSource.getConnection()) {
            List<String> names = queueNames(connection);
            if (!names.contains(queue)) {
                tables.forget(queue);
                throw new UnknownQueueException("summary", queue);
            }
            List<QueueTables.Tables> measuredTables = new ArrayList<>();
            QueueTables.Tables table = tables.resolve(connection, "summary", queue);
            measuredTables.add(table);
            String deadLetterQueue = queue + QueueNames.DEAD_LETTER_SUFFIX;
            boolean hasDeadLetters = names.contains(deadLetterQueue);
            if (hasDeadLetters) {
                measuredTables.add(tables.resolve(connection, "summary", deadLetterQueue));
            }
            Measurements measured = measure(connection, measuredTables);
            String namespace = new NamespaceGrouping(options).assign(names).get(queue);
            return summary(table, measured.stats().get(queue), namespace, hasDeadLetters ? deadLetterQueue : null,
                    hasDeadLetters ? measured.stats().get(deadLetterQueue) : null);
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState()) && pgmqPresent()) {
                // The queue's table vanished under us: it was dropped while we looked.
                tables.forget(queue);
                throw new UnknownQueueException("summary", queue);
            }
            throw failure("summary", queue, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ rows

    /** Namespaces by name, except that the group outside any namespace comes last. */
    private static final Comparator<String> NAMESPACES_UNNAMESPACED_LAST =
            Comparator.comparing(String::isEmpty).thenComparing(Comparator.naturalOrder());

    /**
     * The queues listed as rows: all but the dead-letter queues whose origin is itself a row (those are folded
     * into their origin's row). An orphan {@code _xq} queue is a row, so no messages go unlisted.
     */
    static Set<String> rowNames(Set<String> names) {
        List<String> shortestFirst = new ArrayList<>(names);
        shortestFirst.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        Set<String> rows = new HashSet<>();
        for (String name : shortestFirst) {
            boolean folded = QueueNames.isDeadLetter(name)
                    && rows.contains(name.substring(0, name.length() - QueueNames.DEAD_LETTER_SUFFIX.length()));
            if (!folded) {
                rows.add(name);
            }
        }
        return rows;
    }

    private QueueSummary summary(QueueTables.Tables table, Stats stats, String namespace, String deadLetterQueue,
                                 Stats deadLetterStats) {
        long cap = options.countCap();
        Count ready = capped(stats.ready(), cap);
        Count inFlight;
        Count delayed;
        if (stats.future() > cap) {
            // The sample of not-yet-visible rows stopped at the cap: what it holds of each state is a lower bound.
            inFlight = Count.atLeast(Math.min(stats.inFlight(), cap));
            delayed = Count.atLeast(Math.min(stats.future() - stats.inFlight(), cap));
        } else {
            inFlight = Count.exact(stats.inFlight());
            delayed = Count.exact(stats.future() - stats.inFlight());
        }
        return new QueueSummary(table.queue(), namespace, NamespaceGrouping.shortName(table.queue(), namespace),
                table.type(), table.createdAt(), ready, inFlight, delayed, length(stats, cap),
                capped(stats.archived(), cap, stats.archiveEstimate()), deadLetterQueue,
                deadLetterStats == null ? null : length(deadLetterStats, cap), micros(stats.oldestMicros()),
                micros(stats.oldestReadyMicros()), stats.totalSent());
    }

    private static Count length(Stats stats, long cap) {
        if (stats.ready() <= cap && stats.future() <= cap) {
            return Count.exact(stats.ready() + stats.future());
        }
        long lowerBound = Math.min(stats.ready(), cap) + Math.min(stats.future(), cap);
        return boundOrEstimate(lowerBound, stats.queueEstimate());
    }

    private static Count capped(long sampled, long cap) {
        return sampled > cap ? Count.atLeast(cap) : Count.exact(sampled);
    }

    private static Count capped(long sampled, long cap, double estimate) {
        return sampled > cap ? boundOrEstimate(cap, estimate) : Count.exact(sampled);
    }

    /** The lower bound, or the planner's estimate when it has one (never analysed: -1) and it is larger. */
    private static Count boundOrEstimate(long lowerBound, double estimate) {
        long rounded = Math.round(estimate);
        return estimate >= 0 && rounded > lowerBound ? Count.estimate(rounded) : Count.atLeast(lowerBound);
    }

    private static Duration micros(Long micros) {
        return micros == null ? null : Duration.of(Math.max(0, micros), ChronoUnit.MICROS);
    }

    // ------------------------------------------------------------------------------------------------ SQL

    /**
     * What one statement row tells about a queue. {@code ready}, {@code future} and {@code archived} stop at
     * cap + 1, so "more than the cap" is told apart from "exactly the cap".
     */
    private record Stats(long ready, long future, long inFlight, Long oldestMicros, Long oldestReadyMicros,
                         long archived, double queueEstimate, double archiveEstimate, long totalSent) {
    }

    private record Measurements(Map<String, Stats> stats, Instant serverTime) {
    }

    private Measurements measure(Connection connection, List<QueueTables.Tables> queues) throws SQLException {
        Map<String, Stats> stats = new HashMap<>();
        Instant serverTime = null;
        for (int from = 0; from < queues.size(); from += QUEUES_PER_STATEMENT) {
            List<QueueTables.Tables> chunk = queues.subList(from, Math.min(queues.size(), from + QUEUES_PER_STATEMENT));
            Instant time = measureChunk(connection, chunk, stats);
            if (serverTime == null) {
                serverTime = time;
            }
        }
        if (serverTime == null) {
            serverTime = serverNow(connection);
        }
        return new Measurements(stats, serverTime);
    }

    private Instant measureChunk(Connection connection, List<QueueTables.Tables> chunk, Map<String, Stats> into)
            throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < chunk.size(); i++) {
            if (i > 0) {
                sql.append("\nUNION ALL\n");
            }
            appendBranch(sql, chunk.get(i));
        }
        long sampleLimit = options.countCap() + 1;
        Instant serverTime = null;
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            statement.setQueryTimeout(queryTimeoutSeconds());
            int p = 0;
            for (int i = 0; i < chunk.size(); i++) {
                QueueTables.Tables table = chunk.get(i);
                // In the order the placeholders appear in the branch.
                statement.setInt(++p, i);
                statement.setLong(++p, sampleLimit);
                statement.setString(++p, table.queueTable());
                statement.setString(++p, table.archiveTable());
                statement.setString(++p, table.queueTable());
                statement.setLong(++p, sampleLimit);
                statement.setLong(++p, sampleLimit);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    QueueTables.Tables table = chunk.get(rows.getInt("idx"));
                    into.put(table.queue(), new Stats(rows.getLong("ready"), rows.getLong("future"),
                            rows.getLong("in_flight"), nullableLong(rows, "oldest_us"),
                            nullableLong(rows, "oldest_ready_us"), rows.getLong("archived"),
                            estimate(rows, "queue_estimate"), estimate(rows, "archive_estimate"),
                            rows.getLong("total_sent")));
                    if (serverTime == null) {
                        serverTime = rows.getObject("server_time", OffsetDateTime.class).toInstant();
                    }
                }
            }
        }
        return serverTime;
    }

    /**
     * One queue's row. The table identifiers were quoted by the server ({@code format('%I')}); every value is a
     * bound parameter. Placeholders, in order: index, archive limit, live table and archive table (for their
     * estimates), live table (for its sequence), ready limit, not-yet-visible limit.
     */
    private static void appendBranch(StringBuilder sql, QueueTables.Tables table) {
        String queue = table.queueTable();
        String archive = table.archiveTable();
        sql.append("SELECT ?::integer AS idx, now() AS server_time, r.ready, f.future, f.in_flight,")
                .append(" (SELECT (extract(epoch FROM now() - o.enqueued_at) * 1000000)::bigint FROM ").append(queue)
                .append(" o ORDER BY o.msg_id LIMIT 1) AS oldest_us,")
                .append(" (SELECT (extract(epoch FROM now() - min(v.vt)) * 1000000)::bigint FROM ").append(queue)
                .append(" v WHERE v.vt <= now()) AS oldest_ready_us,")
                .append(" (SELECT count(*) FROM (SELECT 1 FROM ").append(archive)
                .append(" LIMIT ?::bigint) a) AS archived,")
                .append(" (SELECT c.reltuples::float8 FROM pg_catalog.pg_class c")
                .append(" WHERE c.oid = to_regclass(?::text)) AS queue_estimate,")
                .append(" (SELECT c.reltuples::float8 FROM pg_catalog.pg_class c")
                .append(" WHERE c.oid = to_regclass(?::text)) AS archive_estimate,")
                .append(" coalesce((SELECT CASE WHEN pg_catalog.has_sequence_privilege(q.seq, 'SELECT')")
                .append(" THEN pg_catalog.pg_sequence_last_value(q.seq) END FROM (SELECT pg_catalog.pg_get_serial_sequence(")
                .append("?::text, 'msg_id')::regclass::oid AS seq) q), 0) AS total_sent")
                .append(" FROM (SELECT count(*) AS ready FROM (SELECT 1 FROM ").append(queue)
                .append(" WHERE vt <= now() ORDER BY vt LIMIT ?::bigint) s) r,")
                .append(" (SELECT count(*) AS future, count(*) FILTER (WHERE read_ct > 0) AS in_flight")
                .append(" FROM (SELECT read_ct FROM ").append(queue)
                .append(" WHERE vt > now() ORDER BY vt LIMIT ?::bigint) s) f");
    }

    private List<String> queueNames(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(QUEUE_NAMES)) {
            statement.setQueryTimeout(queryTimeoutSeconds());
            try (ResultSet rows = statement.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
                return names;
            }
        }
    }

    private Instant serverNow(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT now()");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private int queryTimeoutSeconds() {
        return (int) Math.max(1, options.queryTimeout().toSeconds());
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    /** A table's {@code reltuples}, or -1 when unknown (never analysed, or the table is gone). */
    private static double estimate(ResultSet row, String column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? -1 : value;
    }

    // ------------------------------------------------------------------------------------------------ errors

    /** The failure in words; "pgmq is not installed" rather than a missing relation when that is the cause. */
    private PgmqException failure(String operation, String queue, SQLException e) {
        String state = e.getSQLState();
        if ((UNDEFINED_TABLE.equals(state) || INVALID_SCHEMA.equals(state)) && !pgmqPresent()) {
            return new PgmqException(operation, queue, "pgmq is not installed in this database (there is no"
                    + " pgmq.meta table); install the pgmq extension first");
        }
        return new PgmqException(operation, queue, e);
    }

    private boolean pgmqPresent() {
        try {
            return client.installation().flavour() != PgmqFlavour.ABSENT;
        } catch (RuntimeException unreachable) {
            // Cannot tell: report the original failure as it is.
            return true;
        }
    }
}
