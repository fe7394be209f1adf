package dev.supaqueue.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Queue chores between measurements: create, empty, vacuum and pre-fill pgmq queues by name. */
final class BenchQueues {

    private static final int FILL_CHUNK = 20_000;

    private final DataSource dataSource;
    private volatile boolean mayCheckpoint = true;

    BenchQueues(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void create(String queue) throws SQLException {
        call("SELECT pgmq.create(?::text)", queue);
    }

    void notifyInsert(String queue, boolean on) throws SQLException {
        call(on ? "SELECT pgmq.enable_notify_insert(?::text)" : "SELECT pgmq.disable_notify_insert(?::text)", queue);
    }

    void drop(String queue) throws SQLException {
        call("SELECT pgmq.drop_queue(?::text) FROM pgmq.list_queues() WHERE queue_name = ?::text", queue, queue);
    }

    /**
     * Empties the queue, vacuums its table and checkpoints, so every measurement starts from the same clean state
     * (a queue that was just drained is full of dead rows that slow the next reads down, and a checkpoint forced
     * by the previous measurement's WAL would land in the middle of this one).
     */
    void reset(String queue) throws SQLException {
        call("SELECT pgmq.purge_queue(?::text)", queue);
        vacuum(queue);
        checkpoint();
    }

    /** Sends {@code count} typical Dramatiq messages, generated on the server. */
    void fill(String queue, int count) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement fill = connection.prepareStatement(DramatiqShape.FILL_SQL)) {
            for (int from = 1; from <= count; from += FILL_CHUNK) {
                fill.setString(1, queue);
                fill.setInt(2, from);
                fill.setInt(3, Math.min(count, from + FILL_CHUNK - 1));
                fill.executeQuery().close();
            }
        }
        vacuum(queue);
        checkpoint();
    }

    /**
     * A CHECKPOINT, when the role may run one (superuser or pg_checkpoint); without the right the measurements
     * run as before, only with checkpoints wherever the server's WAL volume puts them.
     */
    private void checkpoint() throws SQLException {
        if (!mayCheckpoint) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            mayCheckpoint = false;
            System.out.println("  (no right to CHECKPOINT: measurements may share a checkpoint with the server)");
        }
    }

    private void vacuum(String queue) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            String vacuum;
            // VACUUM takes no parameters: the server quotes the table name.
            try (PreparedStatement quote = connection.prepareStatement(
                    "SELECT format('VACUUM (ANALYZE) pgmq.%I', 'q_' || ?::text)")) {
                quote.setString(1, queue);
                try (ResultSet row = quote.executeQuery()) {
                    row.next();
                    vacuum = row.getString(1);
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(vacuum);
            }
        }
    }

    long length(String queue) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement metrics = connection.prepareStatement(
                     "SELECT queue_length FROM pgmq.metrics(?::text)")) {
            metrics.setString(1, queue);
            try (ResultSet row = metrics.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private void call(String sql, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }
}
