package dev.supaqueue.reliability;

import dev.supaqueue.broker.DatabaseUri;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqInstaller;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The database a scenario runs in: its JDBC URL and credentials. Either one given (the integration tests' throw-away
 * database) or one {@link #createOn created} on a server for the run and dropped when it is closed.
 */
public final class ScenarioDatabase implements AutoCloseable {

    private final String jdbcUrl;
    private final Properties credentials;
    private final Runnable drop;

    private ScenarioDatabase(String jdbcUrl, Properties credentials, Runnable drop) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.credentials = new Properties();
        this.credentials.putAll(credentials);
        this.drop = drop;
    }

    /** A database that already has pgmq and that the caller owns (closing this leaves it alone). */
    public static ScenarioDatabase existing(String jdbcUrl, Properties credentials) {
        return new ScenarioDatabase(jdbcUrl, credentials, () -> { });
    }

    /**
     * Creates a fresh database {@code supaqueue_rel_<time>_<random>} on the server of {@code serverUrl} (whose
     * database is only used to connect), installs pgmq there, and drops it (WITH FORCE) on {@link #close()} unless
     * {@code keep}.
     */
    public static ScenarioDatabase createOn(String serverUrl, Properties credentials, boolean keep)
            throws SQLException {
        DatabaseUri server = DatabaseUri.parse(serverUrl);
        String name = "supaqueue_rel_" + Instant.now().getEpochSecond() + "_"
                + ThreadLocalRandom.current().nextInt(1_000_000);
        try (Connection admin = DriverManager.getConnection(serverUrl, credentials);
             Statement statement = admin.createStatement()) {
            // Digits and a fixed prefix only: safe as an identifier.
            statement.execute("CREATE DATABASE " + name);
        }
        String url = "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + name;
        Runnable drop = () -> {
            if (keep) {
                System.out.println("Kept database " + name);
                return;
            }
            try (Connection admin = DriverManager.getConnection(serverUrl, credentials);
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("Could not drop database " + name + ": " + e.getMessage());
            }
        };
        ScenarioDatabase database = new ScenarioDatabase(url, credentials, drop);
        try (Connection connection = database.connect()) {
            PgmqInstallation pgmq = PgmqInstaller.ensureInstalled(connection);
            System.out.println("Created database " + name + " with " + pgmq.describe());
        } catch (SQLException | RuntimeException e) {
            drop.run();
            throw e;
        }
        return database;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Properties credentials() {
        Properties copy = new Properties();
        copy.putAll(credentials);
        return copy;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, credentials);
    }

    /** A connection with short timeouts, for observers that must notice a dead server quickly. */
    public Connection connect(String applicationName) throws SQLException {
        Properties properties = credentials();
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** Broker settings on this database: the scenario's namespace and visibility timeout, a small pool. */
    public SupabaseBrokerSettings.Builder brokerSettings(String namespace, Duration visibilityTimeout) {
        DatabaseUri uri = DatabaseUri.parse(jdbcUrl);
        return SupabaseBrokerSettings.builder()
                .host(uri.host()).port(uri.port()).database(uri.database())
                .user(credentials.getProperty("user", uri.user() == null ? "postgres" : uri.user()))
                .password(credentials.getProperty("password", uri.password()))
                .driverOptions(uri.parameters())
                .namespace(namespace).visibilityTimeout(visibilityTimeout)
                .minConnections(0).maxConnections(4);
    }

    @Override
    public void close() {
        drop.run();
    }

    @Override
    public String toString() {
        return DatabaseUri.parse(jdbcUrl).host() + ":" + DatabaseUri.parse(jdbcUrl).port() + "/"
                + DatabaseUri.parse(jdbcUrl).database();
    }
}
