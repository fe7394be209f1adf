package dev.supaqueue.admin;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.pgmq.PgmqException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads pages of messages with plain {@code SELECT}s on pgmq's tables: never {@code pgmq.read} or {@code pop},
 * so looking bumps no {@code read_ct} and moves no {@code vt}. Pages are keyset ranges on the {@code msg_id}
 * primary key ({@code ORDER BY msg_id LIMIT n}), so the first page and the ten-thousandth cost the same. One
 * statement returns a page's rows, the server's {@code now()} their states were judged by, and whether anything
 * lies on the far side of the cursor. Thread-safe.
 */
final class MessageBrowser {

    static final String PREVIEW_CUT = "payload cut for preview; fetch the message to decode it";
    static final String NO_PAYLOAD = "no payload: the message column is NULL";

    private static final String QUERY_CANCELED = "57014";
    private static final String UNDEFINED_TABLE = "42P01";

    private final DataSource dataSource;
    private final QueueTables tables;
    private final AdminOptions options;
    private final MessageCodec codec = new MessageCodec();

    MessageBrowser(DataSource dataSource, QueueTables tables, AdminOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A statement and the values for its placeholders, in order. */
    record Query(String sql, List<Object> parameters) {
        Query {
            parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
        }
    }

    /**
     * One page of messages.
     *
     * @throws IllegalArgumentException if the queue name breaks pgmq's rules (before any SQL)
     * @throws UnknownQueueException    if the queue does not exist
     * @throws PgmqException            if the database fails or the statement outlives the query timeout
     */
    MessagePage browse(BrowseRequest request) {
        Objects.requireNonNull(request, "request");
        MessageSource source = request.source();
        try (Connection connection = dataSource.getConnection()) {
            QueueTables.Tables queueTables = tables.resolve(connection, "browse", source.queue());
            Query query = pageQuery(queueTables, request, options.payloadPreviewChars());
            List<BrowsedMessage> rows = new ArrayList<>(request.limit() + 1);
            Instant serverTime = null;
            boolean otherSide = false;
            try (PreparedStatement statement = prepare(connection, query);
                 ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    serverTime = instant(result, "server_time");
                    otherSide = result.getBoolean("other_side");
                    result.getLong("msg_id");
                    if (!result.wasNull()) { // the anchor row of an empty page has no message
                        rows.add(message(source, result, false));
                    }
                }
            }
            endTransaction(connection);
            boolean more = rows.size() > request.limit();
            if (more) {
                rows.remove(rows.size() - 1);
            }
            boolean forward = request.before() == null;
            if (!forward) {
                Collections.reverse(rows); // fetched walking backwards; shown in display order
            }
            return new MessagePage(request, rows, serverTime, forward ? more : otherSide, forward ? otherSide : more);
        } catch (SQLException e) {
            throw failure("browse", source.queue(), e);
        }
    }

    /**
     * One message with its full payload (never cut), or empty if no message has this id there.
     *
     * @throws IllegalArgumentException if the id is not positive or the queue name breaks pgmq's rules
     * @throws UnknownQueueException    if the queue does not exist
     */
    Optional<BrowsedMessage> message(MessageSource source, long msgId) {
        Objects.requireNonNull(source, "source");
        if (msgId < 1) {
            throw new IllegalArgumentException("Message ids are positive numbers, got " + msgId);
        }
        try (Connection connection = dataSource.getConnection()) {
            QueueTables.Tables queueTables = tables.resolve(connection, "fetch message", source.queue());
            Query query = messageQuery(queueTables, source.area(), msgId);
            Optional<BrowsedMessage> found;
            try (PreparedStatement statement = prepare(connection, query);
                 ResultSet result = statement.executeQuery()) {
                found = result.next() ? Optional.of(message(source, result, true)) : Optional.empty();
            }
            endTransaction(connection);
            return found;
        } catch (SQLException e) {
            throw failure("fetch message", source.queue(), e);
        }
    }

    /**
     * The statement for one page. The page is read walking from the cursor in the direction of travel (backwards
     * for a {@code before} page), one row more than the limit to learn whether more follow; one row looked up
     * on the other side of the cursor tells whether anything lies there.
     */
    static Query pageQuery(QueueTables.Tables queueTables, BrowseRequest request, int previewChars) {
        MessageSource.Area area = request.source().area();
        String table = queueTables.table(area);
        FilterSql filter = FilterSql.of(request.filter(), area);
        boolean forward = request.before() == null;
        Long cursor = forward ? request.after() : request.before();
        boolean ascending = forward == (request.order() == BrowseRequest.Order.OLDEST_FIRST);
        String direction = ascending ? "ASC" : "DESC";

        List<Object> parameters = new ArrayList<>(filter.parameters());
        StringBuilder sql = new StringBuilder()
                .append("WITH page AS (\n    SELECT ").append(columns(queueTables, area)).append(",\n")
                .append("           message::text AS body\n")
                .append("      FROM ").append(table).append('\n')
                .append("     WHERE (").append(filter.sql()).append(')');
        if (cursor != null) {
            sql.append(ascending ? " AND msg_id > ?::bigint" : " AND msg_id < ?::bigint");
            parameters.add(cursor);
        }
        sql.append("\n     ORDER BY msg_id ").append(direction).append("\n     LIMIT ?::integer\n)\n");
        parameters.add(request.limit() + 1);

        sql.append("SELECT now() AS server_time,\n       ");
        if (cursor != null) {
            // An EXISTS would lose its ORDER BY and LIMIT to the planner and may scan the table; this scalar
            // subquery walks the key away from the cursor, where the nearest matching row answers at once.
            sql.append("coalesce((SELECT true FROM ").append(table).append(" WHERE (").append(filter.sql())
                    .append(')').append(ascending ? " AND msg_id <= ?::bigint ORDER BY msg_id DESC"
                            : " AND msg_id >= ?::bigint ORDER BY msg_id ASC")
                    .append(" LIMIT 1), false)");
            parameters.addAll(filter.parameters());
            parameters.add(cursor);
        } else {
            sql.append("false");
        }
        sql.append(" AS other_side,\n")
                .append("       page.msg_id, page.read_ct, page.enqueued_at, page.vt, page.last_read_at,")
                .append(" page.archived_at, page.state,\n")
                .append("       page.actor_name, page.message_id, page.headers,\n")
                .append("       left(page.body, ?::integer) AS payload, char_length(page.body) AS payload_length\n")
                .append("  FROM (VALUES (1)) AS anchor (one)\n")
                .append("  LEFT JOIN page ON true\n")
                .append(" ORDER BY page.msg_id ").append(direction);
        parameters.add(previewChars);
        return new Query(sql.toString(), parameters);
    }

    /** The statement for one message with its whole payload. */
    static Query messageQuery(QueueTables.Tables queueTables, MessageSource.Area area, long msgId) {
        String sql = "SELECT now() AS server_time, " + columns(queueTables, area) + ",\n"
                + "       message::text AS payload\n"
                + "  FROM " + queueTables.table(area) + "\n"
                + " WHERE msg_id = ?::bigint";
        return new Query(sql, List.of(msgId));
    }

    /** The columns every browsed row carries; optional ones are NULL where the table lacks them. */
    private static String columns(QueueTables.Tables queueTables, MessageSource.Area area) {
        boolean archive = area == MessageSource.Area.ARCHIVE;
        return "msg_id, read_ct, enqueued_at, vt, "
                + (queueTables.hasLastReadAt(area) ? "last_read_at" : "NULL::timestamptz AS last_read_at") + ", "
                + (archive ? "archived_at" : "NULL::timestamptz AS archived_at") + ",\n           "
                + (archive ? "'ARCHIVED'" : FilterSql.STATE_EXPRESSION) + " AS state,\n"
                + "           message->>'actor_name' AS actor_name, message->>'message_id' AS message_id, "
                + (queueTables.hasHeaders(area) ? "headers::text AS headers" : "NULL::text AS headers");
    }

    private PreparedStatement prepare(Connection connection, Query query) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(query.sql());
        try {
            statement.setQueryTimeout((int) Math.max(1, options.queryTimeout().toSeconds()));
            int index = 1;
            for (Object parameter : query.parameters()) {
                statement.setObject(index++, parameter);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private BrowsedMessage message(MessageSource source, ResultSet row, boolean whole) throws SQLException {
        String payload = row.getString("payload");
        int payloadLength;
        boolean truncated;
        if (payload == null) {
            payloadLength = 0;
            truncated = false;
        } else if (whole) {
            payloadLength = payload.codePointCount(0, payload.length());
            truncated = false;
        } else {
            payloadLength = row.getInt("payload_length");
            truncated = payloadLength > options.payloadPreviewChars();
        }
        Message dramatiq = null;
        String decodeProblem;
        if (payload == null) {
            decodeProblem = NO_PAYLOAD;
        } else if (truncated) {
            decodeProblem = PREVIEW_CUT;
        } else {
            try {
                dramatiq = codec.decode(payload);
                decodeProblem = null;
            } catch (MessageDecodeException e) {
                decodeProblem = "not a Dramatiq message: " + e.reason();
            }
        }
        return new BrowsedMessage(source, row.getLong("msg_id"), row.getInt("read_ct"),
                instant(row, "enqueued_at"), instant(row, "vt"), instant(row, "last_read_at"),
                instant(row, "archived_at"), MessageState.valueOf(row.getString("state")), payload, truncated,
                payloadLength, row.getString("headers"), row.getString("actor_name"), row.getString("message_id"),
                dramatiq, decodeProblem);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Leaves no transaction open on a pooled connection that is not in autocommit mode. */
    private static void endTransaction(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
        }
    }

    private RuntimeException failure(String operation, String queue, SQLException e) {
        if (UNDEFINED_TABLE.equals(e.getSQLState())) {
            // The queue was dropped after its tables were looked up.
            tables.forget(queue);
            return new UnknownQueueException(operation, queue);
        }
        if (QUERY_CANCELED.equals(e.getSQLState())) {
            return new PgmqException(operation, queue, new SQLException("the statement ran longer than the query"
                    + " timeout of " + options.queryTimeout().toSeconds() + " s and was cancelled; narrow the filter"
                    + " (msg_id and state filters are cheapest) or raise AdminOptions.queryTimeout",
                    e.getSQLState(), e));
        }
        return new PgmqException(operation, queue, e);
    }
}
