package dev.supaqueue.testing;

import dev.supaqueue.broker.DatabaseUri;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqInstallation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The PostgreSQL database that one test run uses, with pgmq usable in it.
 *
 * <p>Created once per JVM by {@link PgmqDatabaseExtension}; closing it drops what the run created
 * (a throw-away database or a container), never a database the user pointed us at.
 */
public final class TestDatabaseServer implements AutoCloseable {

    private final String source;
    private final String jdbcUrl;
    private final Properties credentials;
    private final PgmqInstallation pgmq;
    private final Cleanup cleanup;

    /** What closing the server does: drop a throw-away database, stop a container, or nothing. */
    @FunctionalInterface
    interface Cleanup {
        void run() throws SQLException;
    }

    TestDatabaseServer(String source, String jdbcUrl, Properties credentials,
                       PgmqInstallation pgmq, Cleanup cleanup) {
        this.source = source;
        this.jdbcUrl = jdbcUrl;
        this.credentials = credentials;
        this.pgmq = pgmq;
        this.cleanup = cleanup;
    }

    /** Where the database came from, in words (for logs and failure messages). Never contains a password. */
    public String source() {
        return source;
    }

    /** JDBC URL of the test database. May carry user and password as URL parameters. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** User and password to pass with {@link #jdbcUrl()} (empty when the URL carries them). */
    public Properties credentials() {
        Properties copy = new Properties();
        copy.putAll(credentials);
        return copy;
    }

    /** The pgmq flavour and version installed in the test database. */
    public PgmqInstallation pgmq() {
        return pgmq;
    }

    /** A new connection in autocommit mode; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, credentials);
    }

    /** A plain JDBC DataSource over the test database: a new connection per call, like an unpooled DataSource. */
    public DataSource dataSource() {
        return new SimpleDataSource(jdbcUrl, credentials());
    }

    /**
     * Settings for a {@code SupabaseBroker} on the test database (namespace, timeouts and the rest at their
     * defaults; the caller sets them).
     */
    public SupabaseBrokerSettings.Builder brokerSettings() {
        DatabaseUri uri = DatabaseUri.parse(jdbcUrl);
        SupabaseBrokerSettings.Builder builder = SupabaseBrokerSettings.builder()
                .host(uri.host()).port(uri.port()).database(uri.database())
                .user(credentials.getProperty("user", uri.user() == null ? "postgres" : uri.user()))
                .password(credentials.getProperty("password", uri.password()));
        return builder.driverOptions(uri.parameters());
    }

    @Override
    public void close() throws SQLException {
        cleanup.run();
    }

    @Override
    public String toString() {
        return source + " with " + pgmq.describe();
    }
}
