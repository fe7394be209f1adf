package dev.supaqueue.reliability;

import dev.supaqueue.broker.QueueNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** What pgmq holds for a scenario's queue, read with plain SQL (the queue name is always a bound parameter). */
public final class QueueProbe {

    private final String queue;
    private final String deadLetters;

    public QueueProbe(String namespace) {
        this.queue = QueueNames.pgmqName(namespace, RecordingActors.QUEUE);
        this.deadLetters = QueueNames.deadLetterName(namespace, RecordingActors.QUEUE);
    }

    public String queue() {
        return queue;
    }

    /** {@code pgmq.metrics(queue).queue_length}: ready, delayed and in-flight messages. */
    public long length(Connection connection) throws SQLException {
        return metricsLength(connection, queue);
    }

    public long deadLetters(Connection connection) throws SQLException {
        return metricsLength(connection, deadLetters);
    }

    /** Messages read and not visible again yet: those some worker holds (running, buffered, or held by a dead one). */
    public long invisible(Connection connection) throws SQLException {
        return keysWhere(connection, "read_ct > 0 AND vt > clock_timestamp()").size();
    }

    /** The keys (first argument) of the messages read and not visible again yet. */
    public Set<String> invisibleKeys(Connection connection) throws SQLException {
        return keysWhere(connection, "read_ct > 0 AND vt > clock_timestamp()");
    }

    /** The read count of every message read and not visible again yet, by key. */
    public Map<String, Integer> invisibleReadCounts(Connection connection) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(tableQuery(connection,
                "SELECT message->''args''->>0, read_ct FROM pgmq.%I WHERE read_ct > 0 AND vt > clock_timestamp()"));
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }

    /** A statement on the queue's table, whose name the server quotes with format('%I') from the bound queue name. */
    private String tableQuery(Connection connection, String template) throws SQLException {
        try (PreparedStatement build = connection.prepareStatement(
                "SELECT format('" + template + "', 'q_' || ?::text)")) {
            build.setString(1, queue);
            try (ResultSet row = build.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private Set<String> keysWhere(Connection connection, String condition) throws SQLException {
        String sql = tableQuery(connection, "SELECT message->''args''->>0 FROM pgmq.%I WHERE " + condition);
        Set<String> keys = new LinkedHashSet<>();
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }

    private static long metricsLength(Connection connection, String name) throws SQLException {
        try (PreparedStatement metrics = connection.prepareStatement(
                "SELECT queue_length FROM pgmq.metrics(?::text)")) {
            metrics.setString(1, name);
            try (ResultSet row = metrics.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
