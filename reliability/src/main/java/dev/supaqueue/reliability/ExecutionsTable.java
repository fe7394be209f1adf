package dev.supaqueue.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The table where {@link RecordingActors} writes one row per execution. Its name is built by the scenario from its
 * namespace and checked here, since it is pasted into SQL text (pgmq's names follow the same rule).
 */
public final class ExecutionsTable {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final ScenarioDatabase database;
    private final String name;

    private ExecutionsTable(ScenarioDatabase database, String name) {
        this.database = database;
        this.name = requireValidName(name);
    }

    static String requireValidName(String table) {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("Executions table name must match " + NAME.pattern() + ", got '"
                    + table + "'");
        }
        return table;
    }

    /** Creates the table (dropping one of the same name left by an earlier run). */
    public static ExecutionsTable create(ScenarioDatabase database, String name) throws SQLException {
        ExecutionsTable table = new ExecutionsTable(database, name);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + name);
            statement.execute("CREATE TABLE " + name + " (execution_id uuid PRIMARY KEY, key text NOT NULL,"
                    + " pid bigint NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL)");
            statement.execute("CREATE INDEX ON " + name + " (finished_at)");
        }
        return table;
    }

    public String name() {
        return name;
    }

    public void drop() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + name);
        }
    }

    public long count(Connection connection) throws SQLException {
        return single(connection, "SELECT count(*) FROM " + name);
    }

    public long distinctKeys(Connection connection) throws SQLException {
        return single(connection, "SELECT count(DISTINCT key) FROM " + name);
    }

    public long countByPid(Connection connection, long pid) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM " + name + " WHERE pid = ?")) {
            query.setLong(1, pid);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The first execution that finished after {@code instant}, if any. */
    public Instant firstFinishedAfter(Connection connection, Instant instant) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT min(finished_at) FROM " + name + " WHERE finished_at > ?")) {
            query.setTimestamp(1, java.sql.Timestamp.from(instant));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                java.sql.Timestamp at = row.getTimestamp(1);
                return at == null ? null : at.toInstant();
            }
        }
    }

    /** Every execution, in the order they finished. */
    public List<Execution> executions() throws SQLException {
        List<Execution> executions = new ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT key, pid, started_at, finished_at FROM " + name
                     + " ORDER BY finished_at, started_at")) {
            while (rows.next()) {
                executions.add(new Execution(rows.getString(1), rows.getLong(2), rows.getTimestamp(3).toInstant(),
                        rows.getTimestamp(4).toInstant()));
            }
        }
        return executions;
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** One execution of {@code record(key, ...)} by the worker process {@code pid}. */
    public record Execution(String key, long pid, Instant startedAt, Instant finishedAt) {
    }
}
