package dev.supaqueue.ratelimits;

import dev.supaqueue.SupaqueueException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A backend in PostgreSQL tables of its own, in a schema the caller names, so limiters in different processes
 * (and on different hosts) share their state. Thread-safe.
 *
 * <p>Every operation is one atomic statement ({@code INSERT ... ON CONFLICT ... DO UPDATE ... WHERE ...
 * RETURNING} or a conditional {@code UPDATE}) in autocommit mode: PostgreSQL's row locking settles races between
 * processes, nothing is held between statements, and neither session advisory locks nor session state are used,
 * so it works through transaction-mode poolers. Times are the database's ({@code now()}), so the clocks of the
 * workers do not need to agree.
 *
 * <p>The schema and its tables are created on first use (needs the CREATE privilege on the database, or on the
 * schema if it exists); an administrator can instead run {@link #schemaSql(String)} beforehand and grant
 * {@code SELECT, INSERT, UPDATE, DELETE} on the tables. Expired rows are reused in place; rows of keys that are
 * never used again are removed by {@link #purgeExpired()}.
 */
public final class PostgresRateLimiterBackend implements RateLimiterBackend {

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final List<String> TABLES = List.of("leases", "windows", "buckets", "barriers");
    // Contention on one free slot is settled by ON CONFLICT; a loser retries on another slot a bounded number
    // of times rather than looping while others keep winning.
    private static final int MAX_LEASE_ATTEMPTS = 20;
    private static final String MS = "(?::double precision * interval '1 millisecond')";

    private final DataSource dataSource;
    private final String schema;
    private final Object setupLock = new Object();
    private volatile boolean ready;

    private final String acquireLeaseSql;
    private final String countLeasesSql;
    private final String releaseLeaseSql;
    private final String hitWindowSql;
    private final String hitBucketSql;
    private final String createBarrierSql;
    private final String arriveSql;
    private final String barrierRemainingSql;

    /**
     * @param schema the schema for this backend's tables, e.g. {@code supaqueue_ratelimits}; lower-case letters,
     *               digits and underscores, not starting with a digit, at most 63 characters
     */
    public PostgresRateLimiterBackend(DataSource dataSource, String schema) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.schema = validSchema(schema);
        String s = this.schema + ".";
        acquireLeaseSql = """
                WITH candidate AS (
                    SELECT g.n FROM generate_series(0, ?::int - 1) AS g(n)
                    WHERE NOT EXISTS (SELECT 1 FROM %1$sleases l
                                      WHERE l.key = ? AND l.slot = g.n AND l.expires_at > now())
                    ORDER BY random() LIMIT 1)
                INSERT INTO %1$sleases AS l (key, slot, holder, expires_at)
                SELECT ?, c.n, ?, now() + %2$s FROM candidate AS c
                ON CONFLICT (key, slot) DO UPDATE
                    SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE l.expires_at <= now()
                RETURNING slot""".formatted(s, MS);
        countLeasesSql = "SELECT count(*) FROM " + s + "leases WHERE key = ? AND expires_at > now()";
        releaseLeaseSql = "DELETE FROM " + s + "leases WHERE key = ? AND holder = ?";
        // A sliding log: the row keeps the times of the hits still inside the window (at most `limit` of them).
        hitWindowSql = """
                INSERT INTO %1$swindows AS w (key, hits, expires_at)
                VALUES (?, ARRAY[now()], now() + %2$s)
                ON CONFLICT (key) DO UPDATE
                    SET hits = ARRAY(SELECT t FROM unnest(w.hits) AS t
                                     WHERE t > now() - %2$s ORDER BY t) || now(),
                        expires_at = excluded.expires_at
                    WHERE (SELECT count(*) FROM unnest(w.hits) AS t WHERE t > now() - %2$s) < ?
                RETURNING 1""".formatted(s, MS);
        hitBucketSql = """
                INSERT INTO %1$sbuckets AS b (key, bucket, hits, expires_at)
                SELECT ?, n.bucket, 1, to_timestamp((n.bucket + 1) * ?::double precision / 1000)
                FROM (SELECT floor(extract(epoch FROM now()) * 1000 / ?::bigint)::bigint AS bucket) AS n
                ON CONFLICT (key) DO UPDATE
                    SET bucket = excluded.bucket,
                        hits = CASE WHEN b.bucket = excluded.bucket THEN b.hits + 1 ELSE 1 END,
                        expires_at = excluded.expires_at
                    WHERE b.bucket <> excluded.bucket OR b.hits < ?
                RETURNING hits""".formatted(s);
        createBarrierSql = """
                INSERT INTO %1$sbarriers AS b (key, parties, remaining, expires_at)
                VALUES (?, ?, ?, now() + %2$s)
                ON CONFLICT (key) DO UPDATE
                    SET parties = excluded.parties, remaining = excluded.remaining, expires_at = excluded.expires_at
                    WHERE b.expires_at <= now()
                RETURNING 1""".formatted(s, MS);
        arriveSql = "UPDATE " + s + "barriers SET remaining = remaining - 1"
                + " WHERE key = ? AND expires_at > now() AND remaining > 0 RETURNING remaining";
        barrierRemainingSql = "SELECT remaining FROM " + s + "barriers WHERE key = ? AND expires_at > now()";
    }

    /** The statements that create the schema and tables, for an administrator to run ahead of time. */
    public static List<String> schemaSql(String schema) {
        String s = validSchema(schema);
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + s,
                "CREATE TABLE IF NOT EXISTS " + s + ".leases (key text NOT NULL, slot int NOT NULL,"
                        + " holder text NOT NULL, expires_at timestamptz NOT NULL, PRIMARY KEY (key, slot))",
                "CREATE TABLE IF NOT EXISTS " + s + ".windows (key text PRIMARY KEY, hits timestamptz[] NOT NULL,"
                        + " expires_at timestamptz NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + s + ".buckets (key text PRIMARY KEY, bucket bigint NOT NULL,"
                        + " hits int NOT NULL, expires_at timestamptz NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + s + ".barriers (key text PRIMARY KEY, parties int NOT NULL,"
                        + " remaining int NOT NULL, expires_at timestamptz NOT NULL)");
    }

    private static String validSchema(String schema) {
        Objects.requireNonNull(schema, "schema");
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("Invalid rate limiter schema name '" + schema
                    + "': use lower-case letters, digits and underscores, not starting with a digit,"
                    + " at most 63 characters");
        }
        return schema;
    }

    public String schema() {
        return schema;
    }

    // ------------------------------------------------------------------------------------------------------
    // Operations
    // ------------------------------------------------------------------------------------------------------

    @Override
    public boolean acquireLease(String key, int limit, String holder, Duration ttl) {
        ensureSchema();
        try (Connection connection = dataSource.getConnection()) {
            for (int attempt = 0; attempt < Math.min(limit + 1, MAX_LEASE_ATTEMPTS); attempt++) {
                try (PreparedStatement acquire = connection.prepareStatement(acquireLeaseSql)) {
                    acquire.setInt(1, limit);
                    acquire.setString(2, key);
                    acquire.setString(3, key);
                    acquire.setString(4, holder);
                    acquire.setLong(5, ttl.toMillis());
                    try (ResultSet row = acquire.executeQuery()) {
                        if (row.next()) {
                            return true;
                        }
                    }
                }
                // Either every slot is held, or another process took the slot we picked: only retry in the
                // second case.
                try (PreparedStatement count = connection.prepareStatement(countLeasesSql)) {
                    count.setString(1, key);
                    try (ResultSet row = count.executeQuery()) {
                        row.next();
                        if (row.getLong(1) >= limit) {
                            return false;
                        }
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw failure("acquire a lease for '" + key + "'", "leases", e);
        }
    }

    @Override
    public void releaseLease(String key, String holder) {
        ensureSchema();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement release = connection.prepareStatement(releaseLeaseSql)) {
            release.setString(1, key);
            release.setString(2, holder);
            release.executeUpdate();
        } catch (SQLException e) {
            throw failure("release a lease for '" + key + "'", "leases", e);
        }
    }

    @Override
    public boolean hitWindow(String key, int limit, Duration window) {
        long ms = window.toMillis();
        return returnsRow(hitWindowSql, "count a hit in the window '" + key + "'", "windows", statement -> {
            statement.setString(1, key);
            statement.setLong(2, ms);
            statement.setLong(3, ms);
            statement.setLong(4, ms);
            statement.setInt(5, limit);
        });
    }

    @Override
    public boolean hitBucket(String key, int limit, Duration bucket) {
        long ms = bucket.toMillis();
        return returnsRow(hitBucketSql, "count a hit in the bucket '" + key + "'", "buckets", statement -> {
            statement.setString(1, key);
            statement.setLong(2, ms);
            statement.setLong(3, ms);
            statement.setInt(4, limit);
        });
    }

    @Override
    public boolean createBarrier(String key, int parties, Duration ttl) {
        return returnsRow(createBarrierSql, "create the barrier '" + key + "'", "barriers", statement -> {
            statement.setString(1, key);
            statement.setInt(2, parties);
            statement.setInt(3, parties);
            statement.setLong(4, ttl.toMillis());
        });
    }

    /** The limiters' atomic statements answer "granted" by returning a row (RETURNING) and "refused" by none. */
    private boolean returnsRow(String sql, String what, String table, Binder binder) {
        ensureSchema();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw failure(what, table, e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @Override
    public long arriveAtBarrier(String key) {
        ensureSchema();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement arrive = connection.prepareStatement(arriveSql)) {
                arrive.setString(1, key);
                try (ResultSet row = arrive.executeQuery()) {
                    if (row.next()) {
                        return row.getLong(1);
                    }
                }
            }
            if (remaining(connection, key) == 0) {
                return -1;
            }
            throw new SupaqueueException("No barrier '" + key + "' in schema " + schema
                    + ": it was never created or has expired");
        } catch (SQLException e) {
            throw failure("arrive at the barrier '" + key + "'", "barriers", e);
        }
    }

    @Override
    public long barrierRemaining(String key) {
        ensureSchema();
        try (Connection connection = dataSource.getConnection()) {
            return remaining(connection, key);
        } catch (SQLException e) {
            throw failure("read the barrier '" + key + "'", "barriers", e);
        }
    }

    private long remaining(Connection connection, String key) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(barrierRemainingSql)) {
            read.setString(1, key);
            try (ResultSet row = read.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        }
    }

    /**
     * Deletes expired leases, barriers, and windows and buckets that have not been hit within their length.
     *
     * @return the number of rows deleted
     */
    public int purgeExpired() {
        ensureSchema();
        int deleted = 0;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                deleted += statement.executeUpdate("DELETE FROM " + schema + "." + table + " WHERE expires_at <= now()");
            }
            return deleted;
        } catch (SQLException e) {
            throw failure("purge expired rows", "leases, windows, buckets and barriers", e);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Schema
    // ------------------------------------------------------------------------------------------------------

    private void ensureSchema() {
        if (ready) {
            return;
        }
        synchronized (setupLock) {
            if (ready) {
                return;
            }
            try (Connection connection = dataSource.getConnection()) {
                if (tablesExist(connection) < TABLES.size()) {
                    createSchema(connection);
                }
                ready = true;
            } catch (SQLException e) {
                throw new SupaqueueException("Cannot set up the rate limiter tables in schema " + schema
                        + " (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
            }
        }
    }

    private int tablesExist(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ANY (?)")) {
            count.setString(1, schema);
            count.setArray(2, connection.createArrayOf("text", TABLES.toArray()));
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private void createSchema(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalogs; a transaction-scoped lock
            // (pooler-safe) makes processes that start together take turns.
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "supaqueue.ratelimits." + schema);
                lock.executeQuery().close();
            }
            List<String> ddl = schemaSql(schema);
            // Skip CREATE SCHEMA when it exists: it needs CREATE on the database even with IF NOT EXISTS.
            if (!schemaExists(connection)) {
                executeDdl(statement, ddl.get(0), "CREATE on database " + currentDatabase(connection));
            }
            for (String table : ddl.subList(1, ddl.size())) {
                executeDdl(statement, table, "CREATE on schema " + schema);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private void executeDdl(Statement statement, String sql, String privilege) throws SQLException {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                Connection connection = statement.getConnection();
                connection.rollback();
                throw new SupaqueueException("Cannot create the rate limiter tables in schema " + schema + ": role "
                        + currentUser(connection) + " lacks the " + privilege + " privilege. Grant it, or have an"
                        + " owner run PostgresRateLimiterBackend.schemaSql(\"" + schema + "\") and grant SELECT,"
                        + " INSERT, UPDATE, DELETE on its tables to this role. (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    private boolean schemaExists(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            exists.setString(1, schema);
            try (ResultSet row = exists.executeQuery()) {
                return row.next();
            }
        }
    }

    private static String currentDatabase(Connection connection) throws SQLException {
        return scalar(connection, "SELECT current_database()");
    }

    private static String currentUser(Connection connection) throws SQLException {
        return scalar(connection, "SELECT current_user");
    }

    private static String scalar(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private SupaqueueException failure(String operation, String table, SQLException e) {
        if ("42501".equals(e.getSQLState())) {
            return new SupaqueueException("Cannot " + operation + ": the role lacks USAGE on schema " + schema
                    + " or SELECT, INSERT, UPDATE, DELETE on " + schema + "." + table + " (" + e.getMessage() + ")", e);
        }
        return new SupaqueueException("Cannot " + operation + " in the rate limiter schema " + schema
                + " (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "PostgresRateLimiterBackend[" + schema + "]";
    }
}
