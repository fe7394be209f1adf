package dev.supaqueue.reliability;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The scenario's own connection for watching progress (and, for chaos, terminating the others). Thread-safe; a
 * call that fails because the connection died reconnects and retries until {@code patience} runs out, so it also
 * survives the terminations and restarts it watches.
 */
public final class Observer implements AutoCloseable {

    public static final String APPLICATION_NAME = "supaqueue-reliability-observer";

    private final ScenarioDatabase database;
    private final Duration patience;
    private Connection connection;

    public Observer(ScenarioDatabase database, Duration patience) {
        this.database = database;
        this.patience = patience;
    }

    @FunctionalInterface
    public interface SqlCall<T> {
        T apply(Connection connection) throws SQLException;
    }

    public synchronized <T> T query(SqlCall<T> call) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        long backoff = 50;
        while (true) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = database.connect(APPLICATION_NAME);
                }
                return call.apply(connection);
            } catch (SQLException e) {
                boolean broken = isConnectionFailure(e) || connection == null || !connection.isValid(1);
                if (!broken || System.nanoTime() + backoff * 1_000_000 > deadline) {
                    throw e;
                }
                closeQuietly();
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 1_000);
            }
        }
    }

    static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Broken already.
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
