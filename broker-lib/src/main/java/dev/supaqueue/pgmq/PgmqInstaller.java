package dev.supaqueue.pgmq;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes pgmq usable in a database: uses a pgmq that is there, creates the extension where the server has it,
 * and otherwise installs Supaqueue's pgmq-compatible schema ({@code pgmq-compat.sql}: pgmq 1.5.1's API, plus
 * newer pgmq's opt-in insert notifications, for local development and tests). It never replaces or modifies a
 * real pgmq. Supabase projects use the real extension.
 *
 * <p>Each change runs in one transaction holding an advisory lock, so concurrent installers (parallel test
 * JVMs, several workers starting) wait for each other instead of racing. When the connection is in
 * auto-commit mode the installer commits its own transaction and restores auto-commit; when the caller already
 * has a transaction open, the work joins it and the caller decides whether to commit.
 */
public final class PgmqInstaller {

    /**
     * Must match {@code schema_revision} in pgmq-compat.sql; raise both when the schema changes. 1: pgmq 1.5.1's
     * API; 2: plus insert notifications ({@code enable_notify_insert}, see {@link PgmqFeature#NOTIFY_INSERT}).
     */
    static final int COMPAT_SCHEMA_REVISION = 2;

    private static final String COMPAT_RESOURCE = "pgmq-compat.sql";
    private static final String PUBLIC_WRAPPERS_RESOURCE = "pgmq-public.sql";

    /** The same key the compat script takes, so that a psql run and a Java run also exclude each other. */
    private static final String INSTALL_LOCK_SQL =
            "SELECT pg_advisory_xact_lock(hashtextextended('supaqueue.pgmq.install', 0))";

    private static final Logger log = LoggerFactory.getLogger(PgmqInstaller.class);

    private PgmqInstaller() {
    }

    /**
     * Makes pgmq usable in the connected database and returns {@link PgmqProbe#detect} afterwards:
     * <ul>
     *   <li>pgmq present (extension, SQL-only or the compat schema): nothing is changed, except that a compat
     *       schema of an older revision is upgraded in place (its queues and messages are kept);</li>
     *   <li>pgmq absent but the server offers the extension: {@code CREATE EXTENSION pgmq};</li>
     *   <li>otherwise: Supaqueue's pgmq-compatible schema.</li>
     * </ul>
     */
    public static PgmqInstallation ensureInstalled(Connection connection) throws SQLException {
        inOneTransaction(connection, () -> {
            PgmqInstallation found = PgmqProbe.detect(connection);
            switch (found.flavour()) {
                case EXTENSION, SQL_ONLY -> log.debug("Using the database's {}", found.describe());
                case SUPAQUEUE_COMPAT -> {
                    int revision = PgmqProbe.compatSchemaRevision(connection);
                    if (revision < COMPAT_SCHEMA_REVISION) {
                        log.info("Upgrading Supaqueue's pgmq-compatible schema from revision {} to {}",
                                revision, COMPAT_SCHEMA_REVISION);
                        runScript(connection, compatSchemaSql());
                    }
                }
                case ABSENT -> {
                    if (PgmqProbe.extensionAvailable(connection)) {
                        log.info("Creating the pgmq extension");
                        createExtension(connection);
                    } else {
                        log.info("The server has no pgmq extension; installing Supaqueue's pgmq-compatible schema"
                                + " (pgmq 1.5.1 API plus insert notifications, for development and tests)");
                        runScript(connection, compatSchemaSql());
                    }
                }
            }
        });
        return PgmqProbe.detect(connection);
    }

    /**
     * Installs (or re-applies) Supaqueue's pgmq-compatible schema.
     *
     * @throws IllegalStateException if the database has a real pgmq (extension or SQL-only install), which this
     *                               schema must never replace
     */
    public static void installCompatSchema(Connection connection) throws SQLException {
        inOneTransaction(connection, () -> {
            PgmqInstallation found = PgmqProbe.detect(connection);
            if (found.flavour() == PgmqFlavour.EXTENSION || found.flavour() == PgmqFlavour.SQL_ONLY) {
                throw new IllegalStateException("Refusing to install Supaqueue's pgmq-compatible schema: this"
                        + " database already has the real pgmq (" + found.describe() + "), which it must never"
                        + " replace. Use the existing pgmq.");
            }
            runScript(connection, compatSchemaSql());
        });
    }

    /**
     * Installs Supabase's {@code pgmq_public} wrappers (send, send_batch, read, pop, archive, delete) over the
     * pgmq present. Re-running is harmless.
     *
     * @throws IllegalStateException if the database has no pgmq to wrap
     */
    public static void installPublicWrappers(Connection connection) throws SQLException {
        inOneTransaction(connection, () -> {
            if (PgmqProbe.detect(connection).flavour() == PgmqFlavour.ABSENT) {
                throw new IllegalStateException("Cannot install the pgmq_public wrappers: this database has no"
                        + " pgmq. Run PgmqInstaller.ensureInstalled first.");
            }
            runScript(connection, publicWrappersSql());
        });
    }

    /** The text of {@code pgmq-compat.sql}, Supaqueue's pgmq-compatible schema. */
    public static String compatSchemaSql() {
        return resource(COMPAT_RESOURCE);
    }

    /** The text of {@code pgmq-public.sql}, Supabase's {@code pgmq_public} wrappers. */
    public static String publicWrappersSql() {
        return resource(PUBLIC_WRAPPERS_RESOURCE);
    }

    private static void createExtension(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pgmq");
        } catch (SQLException e) {
            throw new SQLException("The server offers the pgmq extension but CREATE EXTENSION pgmq failed"
                    + " (it needs a superuser or a role allowed to create it): " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }

    /**
     * Runs a whole script in one round of statements. pgjdbc splits it itself and understands dollar-quoted
     * bodies; escape processing is off so that nothing in the SQL is read as a JDBC escape.
     */
    private static void runScript(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(sql);
        }
    }

    private static void inOneTransaction(Connection connection, SqlWork work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            // The caller's transaction: take the lock in it and leave commit or rollback to the caller.
            lock(connection);
            work.run();
            return;
        }
        connection.setAutoCommit(false);
        try {
            lock(connection);
            work.run();
            connection.commit();
        } catch (Throwable failure) {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException cleanupFailure) {
                failure.addSuppressed(cleanupFailure);
            }
            throw failure;
        }
        connection.setAutoCommit(true);
    }

    private static void lock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(INSTALL_LOCK_SQL);
        }
    }

    private static String resource(String name) {
        try (InputStream in = PgmqInstaller.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + name + " is missing next to "
                        + PgmqInstaller.class.getName() + " (is broker-lib packaged without its resources?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read resource " + name, e);
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }
}
