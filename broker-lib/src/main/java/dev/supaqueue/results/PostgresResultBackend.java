package dev.supaqueue.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaqueue.actor.ActorArguments;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A result backend in a PostgreSQL table, {@code <schema>.results(key text primary key, value jsonb not null,
 * expires_at timestamptz not null)}, in a schema of the user's choice ({@value #DEFAULT_SCHEMA} by default).
 *
 * <p>The schema, table and index are created on first use when missing; a role without the right to create them
 * gets a {@link ResultError} naming the privilege, and an administrator can create them ahead (the statements are
 * in {@link #ddl()}). Values are stored as Dramatiq stores them (see {@link StoredResult}), so a Python reader
 * with the same keys understands them. Expiry is measured on the database's clock; expired rows are ignored by
 * reads and removed by {@link #deleteExpired()}, which {@link #store} also runs every
 * {@value #CLEANUP_EVERY_STORES} stores.
 *
 * <p>The backend does not own the DataSource: closing the broker or pool is the caller's business. Thread-safe.
 */
public final class PostgresResultBackend implements ResultBackend {

    public static final String DEFAULT_SCHEMA = "supaqueue";
    /** How often (in stores) {@link #store} removes expired rows as well. */
    public static final int CLEANUP_EVERY_STORES = 100;

    private static final Logger log = LoggerFactory.getLogger(PostgresResultBackend.class);
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final String schema;
    private final String table;
    private final ResultKeys keys;
    private final AtomicLong stores = new AtomicLong();
    private volatile boolean ready;

    /** A backend in the {@value #DEFAULT_SCHEMA} schema, with md5 keys. */
    public PostgresResultBackend(DataSource dataSource) {
        this(dataSource, DEFAULT_SCHEMA, ResultKeys.md5());
    }

    public PostgresResultBackend(DataSource dataSource, String schema) {
        this(dataSource, schema, ResultKeys.md5());
    }

    /**
     * @param schema lowercase letters, digits and underscores, not starting with a digit, at most 63 characters
     * @throws IllegalArgumentException if the schema name is not of that form
     */
    public PostgresResultBackend(DataSource dataSource, String schema, ResultKeys keys) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.schema = validateSchema(schema);
        this.keys = Objects.requireNonNull(keys, "keys");
        // Safe to quote by hand: the name was checked against a strict pattern above.
        this.table = "\"" + this.schema + "\".results";
    }

    /** A backend on the broker's connection pool, in the {@value #DEFAULT_SCHEMA} schema. */
    public PostgresResultBackend(SupabaseBroker broker) {
        this(Objects.requireNonNull(broker, "broker").dataSource());
    }

    public PostgresResultBackend(SupabaseBroker broker, String schema) {
        this(Objects.requireNonNull(broker, "broker").dataSource(), schema);
    }

    static String validateSchema(String schema) {
        Objects.requireNonNull(schema, "schema");
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("Invalid result schema name \"" + schema + "\": use 1 to 63 lowercase"
                    + " letters a-z, digits 0-9 and underscores, not starting with a digit");
        }
        if (schema.startsWith("pg_")) {
            throw new IllegalArgumentException("Invalid result schema name \"" + schema + "\": names starting with"
                    + " pg_ are reserved by PostgreSQL");
        }
        return schema;
    }

    static Duration checkTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("result ttl must be positive, not " + ttl);
        }
        return ttl;
    }

    public String schema() {
        return schema;
    }

    @Override
    public ResultKeys keys() {
        return keys;
    }

    /** The statements that create the schema, table and index (what an administrator can run ahead). */
    public String ddl() {
        return "CREATE SCHEMA IF NOT EXISTS \"" + schema + "\";\n"
                + "CREATE TABLE IF NOT EXISTS " + table + " (key text PRIMARY KEY, value jsonb NOT NULL,"
                + " expires_at timestamptz NOT NULL);\n"
                + "CREATE INDEX IF NOT EXISTS results_expires_at_idx ON " + table + " (expires_at);";
    }

    @Override
    public void store(Message message, Object resultJson, Duration ttl) {
        write(message, ActorArguments.toJsonValue(resultJson), ttl);
    }

    @Override
    public void storeFailure(Message message, String exceptionType, String exceptionMessage, Duration ttl) {
        write(message, StoredResult.failure(exceptionType, exceptionMessage).json(), ttl);
    }

    private void write(Message message, Object json, Duration ttl) {
        checkTtl(ttl);
        String key = keys.keyOf(message);
        String text = encode(json);
        ensureTable();
        String sql = "INSERT INTO " + table + " (key, value, expires_at)"
                + " VALUES (?, ?::jsonb, now() + ? * interval '1 millisecond')"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, key);
            statement.setString(2, text);
            statement.setLong(3, ttl.toMillis());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(e, "store the result of message " + message.messageId(), "INSERT and UPDATE on " + table);
        }
        if (stores.incrementAndGet() % CLEANUP_EVERY_STORES == 0) {
            try {
                deleteExpired();
            } catch (ResultError e) {
                // The result is stored; a failed cleanup is retried at the next round.
                log.warn("Could not delete expired results: {}", e.getMessage());
            }
        }
    }

    @Override
    public Optional<StoredResult> peek(Message message) {
        String key = keys.keyOf(message);
        ensureTable();
        String sql = "SELECT value::text FROM " + table + " WHERE key = ? AND expires_at > now()";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredResult(decode(rows.getString(1))));
            }
        } catch (SQLException e) {
            throw failure(e, "read the result of message " + message.messageId(), "SELECT on " + table);
        }
    }

    /** Removes the expired results; returns how many. */
    public int deleteExpired() {
        ensureTable();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            return statement.executeUpdate("DELETE FROM " + table + " WHERE expires_at <= now()");
        } catch (SQLException e) {
            throw failure(e, "delete expired results", "DELETE on " + table);
        }
    }

    /**
     * Creates the schema, table and index if missing. Existence is checked first: PostgreSQL checks the CREATE
     * privilege even for {@code IF NOT EXISTS}, and a role given only rights on a table made ahead must work.
     */
    private void ensureTable() {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            try (Connection connection = dataSource.getConnection()) {
                if (!tableExists(connection)) {
                    create(connection);
                }
            } catch (SQLException e) {
                throw failure(e, "create the result table " + table,
                        "CREATE on the database (for the schema) or on schema " + schema + " (for the table)");
            }
            ready = true;
        }
    }

    private boolean tableExists(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT to_regclass(format('%I.results', ?::text)) IS NOT NULL")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private void create(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // Serialises concurrent first uses (several workers starting at once) so they do not race on the DDL.
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('supaqueue.results." + schema + "'))");
            if (!schemaExists(connection)) {
                try {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
                } catch (SQLException e) {
                    if ("42501".equals(e.getSQLState())) {
                        throw new ResultError("The database role may not create the result schema " + schema
                                + ": it needs the CREATE privilege on the database, or an administrator must run:\n"
                                + ddl(), e);
                    }
                    throw e;
                }
            }
            try {
                statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (key text PRIMARY KEY,"
                        + " value jsonb NOT NULL, expires_at timestamptz NOT NULL)");
                statement.execute("CREATE INDEX IF NOT EXISTS results_expires_at_idx ON " + table + " (expires_at)");
            } catch (SQLException e) {
                if ("42501".equals(e.getSQLState())) {
                    throw new ResultError("The database role may not create the result table " + table
                            + ": it needs the CREATE and USAGE privileges on schema " + schema
                            + ", or an administrator must run:\n" + ddl(), e);
                }
                throw e;
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private boolean schemaExists(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private ResultError failure(SQLException e, String what, String privilege) {
        String state = e.getSQLState();
        if ("42501".equals(state)) {
            return new ResultError("Could not " + what + ": the database role lacks a privilege (it needs "
                    + privilege + "): " + e.getMessage(), e);
        }
        if ("42P01".equals(state) || "3F000".equals(state)) {
            // Dropped behind our back: create it again at the next call.
            ready = false;
        }
        return new ResultError("Could not " + what + ": " + e.getMessage(), e);
    }

    private static String encode(Object json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The result cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object decode(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            // jsonb only holds valid JSON, so this means a broken driver or column type.
            throw new ResultError("A stored result is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "PostgresResultBackend[" + table + ", " + keys + "]";
    }
}
