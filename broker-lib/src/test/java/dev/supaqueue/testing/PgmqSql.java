package dev.supaqueue.testing;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct calls of pgmq's SQL functions for tests that pin down pgmq's own semantics.
 * Every parameter is cast, as pgmq's overloads require; result columns are read by name.
 */
public final class PgmqSql {

    /** One row of {@code pgmq.message_record}, with the columns every pgmq version has. */
    public record MessageRow(long msgId, int readCt, OffsetDateTime enqueuedAt, OffsetDateTime vt, String message) {
    }

    /** A row of a queue's archive table {@code pgmq.a_<queue>}. */
    public record ArchivedRow(long msgId, int readCt, OffsetDateTime archivedAt, String message) {
    }

    private static final java.util.regex.Pattern SAFE_TEST_QUEUE = java.util.regex.Pattern.compile("[a-z0-9_]{1,47}");

    private PgmqSql() {
    }

    /**
     * pgmq has no function that lists an archive, so tests read {@code pgmq.a_<queue>} directly. The name
     * comes from {@link TestQueues} and is checked again here before it is quoted into the statement.
     */
    public static List<ArchivedRow> archive(Connection connection, String queue) throws SQLException {
        if (!SAFE_TEST_QUEUE.matcher(queue).matches()) {
            throw new IllegalArgumentException("not a test queue name: " + queue);
        }
        String sql = "SELECT msg_id, read_ct, archived_at, message::text AS message FROM pgmq.\"a_" + queue
                + "\" ORDER BY msg_id";
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            List<ArchivedRow> result = new ArrayList<>();
            while (rows.next()) {
                result.add(new ArchivedRow(rows.getLong("msg_id"), rows.getInt("read_ct"),
                        rows.getObject("archived_at", OffsetDateTime.class), rows.getString("message")));
            }
            return result;
        }
    }

    public static long send(Connection connection, String queue, String json) throws SQLException {
        return single(connection, "SELECT * FROM pgmq.send(?::text, ?::jsonb)", queue, json);
    }

    public static long send(Connection connection, String queue, String json, int delaySeconds) throws SQLException {
        return single(connection, "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::integer)", queue, json, delaySeconds);
    }

    public static long send(Connection connection, String queue, String json, OffsetDateTime visibleAt)
            throws SQLException {
        return single(connection, "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::timestamptz)", queue, json, visibleAt);
    }

    public static List<Long> sendBatch(Connection connection, String queue, List<String> jsons) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT * FROM pgmq.send_batch(?::text, ?::jsonb[])")) {
            statement.setString(1, queue);
            statement.setArray(2, connection.createArrayOf("jsonb", jsons.toArray()));
            return longs(statement);
        }
    }

    public static List<MessageRow> read(Connection connection, String queue, int vtSeconds, int qty)
            throws SQLException {
        return rows(connection, "SELECT * FROM pgmq.read(?::text, ?::integer, ?::integer)", queue, vtSeconds, qty);
    }

    public static List<MessageRow> rows(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            List<MessageRow> result = new ArrayList<>();
            while (rows.next()) {
                result.add(new MessageRow(rows.getLong("msg_id"), rows.getInt("read_ct"),
                        rows.getObject("enqueued_at", OffsetDateTime.class),
                        rows.getObject("vt", OffsetDateTime.class), rows.getString("message")));
            }
            return result;
        }
    }

    /** Runs a query whose first column is a number and returns all of them. */
    public static List<Long> longs(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return longs(statement);
        }
    }

    public static long single(Connection connection, String sql, Object... parameters) throws SQLException {
        List<Long> values = longs(connection, sql, parameters);
        if (values.size() != 1) {
            throw new AssertionError("expected one row from " + sql + " but got " + values);
        }
        return values.get(0);
    }

    public static Array bigintArray(Connection connection, List<Long> ids) throws SQLException {
        return connection.createArrayOf("bigint", ids.toArray());
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private static List<Long> longs(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            List<Long> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
            return values;
        }
    }
}
