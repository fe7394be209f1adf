package dev.supaqueue.admin;

import dev.supaqueue.pgmq.PgmqQueueName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tables behind pgmq queues, as the server names them. pgmq keeps queue {@code x} in {@code pgmq.q_x} and its
 * archive in {@code pgmq.a_x} (lowercased); the server quotes those identifiers with {@code format('%I')} from
 * the validated name found in {@code pgmq.meta}, so a statement that must name a table never contains text
 * the caller typed. Which optional columns a table has ({@code headers} from pgmq 1.5, {@code last_read_at} from
 * 1.10) is read from the catalog, not guessed from the version. Thread-safe; entries are kept for a short while.
 */
final class QueueTables {

    private static final long TTL_NANOS = 30_000_000_000L;

    private static final String RESOLVE = """
            SELECT m.queue_name::text AS queue_name,
                   format('pgmq.%I', 'q_' || lower(m.queue_name)) AS queue_table,
                   format('pgmq.%I', 'a_' || lower(m.queue_name)) AS archive_table,
                   m.is_partitioned, m.is_unlogged, m.created_at,
                   coalesce(q.has_headers, false) AS q_headers, coalesce(q.has_last_read, false) AS q_last_read,
                   coalesce(a.has_headers, false) AS a_headers, coalesce(a.has_last_read, false) AS a_last_read
              FROM pgmq.meta m
              LEFT JOIN LATERAL (
                   SELECT bool_or(att.attname = 'headers') AS has_headers,
                          bool_or(att.attname = 'last_read_at') AS has_last_read
                     FROM pg_attribute att
                    WHERE att.attrelid = to_regclass(format('pgmq.%I', 'q_' || lower(m.queue_name)))
                      AND att.attnum > 0 AND NOT att.attisdropped) q ON true
              LEFT JOIN LATERAL (
                   SELECT bool_or(att.attname = 'headers') AS has_headers,
                          bool_or(att.attname = 'last_read_at') AS has_last_read
                     FROM pg_attribute att
                    WHERE att.attrelid = to_regclass(format('pgmq.%I', 'a_' || lower(m.queue_name)))
                      AND att.attnum > 0 AND NOT att.attisdropped) a ON true
            """;
    private static final String RESOLVE_ONE = RESOLVE + " WHERE m.queue_name = ?::text";
    private static final String RESOLVE_ALL = RESOLVE + " ORDER BY m.queue_name";

    /**
     * One queue's tables.
     *
     * @param queue        the pgmq queue name as in {@code pgmq.meta}
     * @param queueTable   the live table, schema-qualified and quoted by the server, e.g. {@code pgmq.q_app_emails}
     * @param archiveTable the archive table, likewise
     * @param type         logged, unlogged or partitioned
     * @param createdAt    when the queue was created
     */
    record Tables(String queue, String queueTable, String archiveTable, QueueType type, Instant createdAt,
                  boolean queueHasHeaders, boolean queueHasLastReadAt, boolean archiveHasHeaders,
                  boolean archiveHasLastReadAt) {

        /** The table of one area. */
        String table(MessageSource.Area area) {
            return area == MessageSource.Area.ARCHIVE ? archiveTable : queueTable;
        }

        /** Whether the area's table has the {@code headers} column (pgmq ≥ 1.5). */
        boolean hasHeaders(MessageSource.Area area) {
            return area == MessageSource.Area.ARCHIVE ? archiveHasHeaders : queueHasHeaders;
        }

        /** Whether the area's table has the {@code last_read_at} column (pgmq ≥ 1.10). */
        boolean hasLastReadAt(MessageSource.Area area) {
            return area == MessageSource.Area.ARCHIVE ? archiveHasLastReadAt : queueHasLastReadAt;
        }
    }

    private record Cached(Tables tables, long at) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final int timeoutSeconds;

    /** With the default query timeout ({@link AdminOptions#DEFAULT_QUERY_TIMEOUT}). */
    QueueTables() {
        this(AdminOptions.DEFAULT_QUERY_TIMEOUT);
    }

    QueueTables(Duration queryTimeout) {
        this.timeoutSeconds = (int) Math.max(1, queryTimeout.toSeconds());
    }

    /**
     * The tables of one queue.
     *
     * @throws IllegalArgumentException if the name breaks pgmq's rules (checked before any SQL)
     * @throws UnknownQueueException    if no such queue exists
     */
    Tables resolve(Connection connection, String operation, String queue) throws SQLException {
        PgmqQueueName.validate(queue);
        Cached cached = cache.get(queue);
        if (cached != null && System.nanoTime() - cached.at() < TTL_NANOS) {
            return cached.tables();
        }
        try (PreparedStatement statement = connection.prepareStatement(RESOLVE_ONE)) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, queue);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    cache.remove(queue);
                    throw new UnknownQueueException(operation, queue);
                }
                return remember(tables(rows));
            }
        }
    }

    /** The tables of every queue in {@code pgmq.meta}, by name; refreshes what is remembered. */
    List<Tables> resolveAll(Connection connection) throws SQLException {
        List<Tables> all = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(RESOLVE_ALL)) {
            statement.setQueryTimeout(timeoutSeconds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    all.add(remember(tables(rows)));
                }
            }
        }
        cache.keySet().retainAll(all.stream().map(Tables::queue).toList());
        return all;
    }

    /** Forgets a queue, after it was dropped or created. */
    void forget(String queue) {
        cache.remove(Objects.requireNonNull(queue, "queue"));
    }

    private Tables remember(Tables tables) {
        cache.put(tables.queue(), new Cached(tables, System.nanoTime()));
        return tables;
    }

    private static Tables tables(ResultSet row) throws SQLException {
        QueueType type = row.getBoolean("is_partitioned") ? QueueType.PARTITIONED
                : row.getBoolean("is_unlogged") ? QueueType.UNLOGGED : QueueType.LOGGED;
        Timestamp createdAt = row.getTimestamp("created_at");
        return new Tables(row.getString("queue_name"), row.getString("queue_table"), row.getString("archive_table"),
                type, createdAt == null ? null : createdAt.toInstant(), row.getBoolean("q_headers"),
                row.getBoolean("q_last_read"), row.getBoolean("a_headers"), row.getBoolean("a_last_read"));
    }
}
