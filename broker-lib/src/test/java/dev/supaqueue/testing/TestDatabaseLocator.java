package dev.supaqueue.testing;

import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqInstaller;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a PostgreSQL server for the integration tests, in this order:
 * <ol>
 *   <li>the JDBC URL in {@value #URL_VARIABLE} (used as it is: the run does not create or drop databases there);</li>
 *   <li>Testcontainers with a pgmq image, when a Docker engine answers;</li>
 *   <li>the local server on 127.0.0.1:5432 as the local superuser, in a fresh database dropped after the run.</li>
 * </ol>
 * Then makes pgmq usable there (the real extension when the server has it, else Supaqueue's
 * pgmq-compatible schema) together with Supabase's {@code pgmq_public} wrappers.
 * When no server answers, it fails with instructions: integration tests are never skipped silently.
 */
final class TestDatabaseLocator {

    static final String URL_VARIABLE = "SUPAQUEUE_TEST_JDBC_URL";
    static final String DOCKER_VARIABLE = "SUPAQUEUE_TEST_DOCKER";
    static final String IMAGE_VARIABLE = "SUPAQUEUE_TEST_PGMQ_IMAGE";
    static final String DEFAULT_IMAGE = "ghcr.io/pgmq/pg17-pgmq:v1.5.1";

    /** Throw-away databases are named so that a later run can recognise (and drop) those left by a crashed run. */
    static final String DATABASE_PREFIX = "supaqueue_test_";
    private static final Pattern THROWAWAY_NAME = Pattern.compile(DATABASE_PREFIX + "(\\d+)_\\d+");
    private static final long STALE_AFTER_SECONDS = 6 * 3600;

    private static final Logger log = LoggerFactory.getLogger(TestDatabaseLocator.class);

    private final Map<String, String> env;

    TestDatabaseLocator(Map<String, String> env) {
        this.env = env;
    }

    TestDatabaseServer locate() {
        String explicitUrl = env.get(URL_VARIABLE);
        if (explicitUrl != null && !explicitUrl.isBlank()) {
            // The user asked for this server: failing to use it is an error, not a reason to try another.
            return fromExplicitUrl(explicitUrl.trim());
        }
        List<String> tried = new ArrayList<>();
        tried.add(URL_VARIABLE + " is not set");
        if ("false".equalsIgnoreCase(env.getOrDefault(DOCKER_VARIABLE, ""))) {
            tried.add("Testcontainers: disabled by " + DOCKER_VARIABLE + "=false");
        } else {
            String unavailable = ContainerDatabase.whyUnavailable();
            if (unavailable == null) {
                return fromContainer(env.getOrDefault(IMAGE_VARIABLE, DEFAULT_IMAGE));
            }
            tried.add("Testcontainers: " + unavailable);
        }
        try {
            return fromLocalServer();
        } catch (SQLException e) {
            tried.add("local server jdbc:postgresql://127.0.0.1:5432 as " + localUser() + ": " + e.getMessage());
        }
        throw new IllegalStateException(noDatabaseMessage(tried));
    }

    static String noDatabaseMessage(List<String> tried) {
        return "The integration tests need a PostgreSQL server and none could be used.\n"
                + "Tried:\n  - " + String.join("\n  - ", tried) + "\n"
                + "Provide one of:\n"
                + "  - " + URL_VARIABLE + "=jdbc:postgresql://HOST:PORT/DATABASE?user=USER&password=PASSWORD"
                + " (a database where the tests may create and drop queues; pgmq is installed if missing);\n"
                + "  - a running Docker engine (Testcontainers starts " + DEFAULT_IMAGE
                + ", override with " + IMAGE_VARIABLE + ");\n"
                + "  - a PostgreSQL server on 127.0.0.1:5432 that lets the superuser (PGUSER, default postgres;"
                + " PGPASSWORD if needed) create databases — `bash .ci/run` installs and starts one on Debian.";
    }

    private TestDatabaseServer fromExplicitUrl(String url) {
        Properties credentials = new Properties();
        try (Connection connection = DriverManager.getConnection(url, credentials)) {
            PgmqInstallation pgmq = preparePgmq(connection);
            return new TestDatabaseServer(URL_VARIABLE + " (" + JdbcUrls.withoutSecrets(url) + ")",
                    url, credentials, pgmq, () -> { });
        } catch (SQLException e) {
            throw new IllegalStateException("Could not use the database in " + URL_VARIABLE + " ("
                    + JdbcUrls.withoutSecrets(url) + "): " + e.getMessage(), e);
        }
    }

    private TestDatabaseServer fromContainer(String image) {
        ContainerDatabase container = ContainerDatabase.start(image);
        try (Connection connection = DriverManager.getConnection(container.jdbcUrl(), container.credentials())) {
            PgmqInstallation pgmq = preparePgmq(connection);
            return new TestDatabaseServer("Testcontainers " + image, container.jdbcUrl(),
                    container.credentials(), pgmq, container::close);
        } catch (SQLException e) {
            container.close();
            throw new IllegalStateException("The " + image + " container started but could not be prepared: "
                    + e.getMessage(), e);
        }
    }

    private TestDatabaseServer fromLocalServer() throws SQLException {
        String serverUrl = "jdbc:postgresql://127.0.0.1:5432/postgres";
        Properties credentials = localCredentials();
        String database = DATABASE_PREFIX + Instant.now().getEpochSecond() + "_"
                + ThreadLocalRandom.current().nextInt(1_000_000);
        try (Connection admin = DriverManager.getConnection(serverUrl, credentials);
             Statement statement = admin.createStatement()) {
            dropStaleDatabases(admin);
            // The name is built from digits only above, so it is safe as an identifier.
            statement.execute("CREATE DATABASE " + database);
        }
        String url = "jdbc:postgresql://127.0.0.1:5432/" + database;
        TestDatabaseServer.Cleanup dropDatabase = () -> {
            try (Connection admin = DriverManager.getConnection(serverUrl, credentials);
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        };
        try (Connection connection = DriverManager.getConnection(url, credentials)) {
            PgmqInstallation pgmq = preparePgmq(connection);
            return new TestDatabaseServer("local server 127.0.0.1:5432, throw-away database " + database,
                    url, credentials, pgmq, dropDatabase);
        } catch (SQLException | RuntimeException e) {
            try {
                dropDatabase.run();
            } catch (SQLException dropFailure) {
                e.addSuppressed(dropFailure);
            }
            throw e;
        }
    }

    /** Databases of runs that died before they could clean up; recent ones may belong to a run in progress. */
    private static void dropStaleDatabases(Connection admin) throws SQLException {
        List<String> stale = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        try (Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT datname FROM pg_database WHERE datname LIKE 'supaqueue\\_test\\_%'")) {
            while (rows.next()) {
                Matcher name = THROWAWAY_NAME.matcher(rows.getString(1));
                if (name.matches() && now - Long.parseLong(name.group(1)) > STALE_AFTER_SECONDS) {
                    stale.add(name.group());
                }
            }
        }
        for (String database : stale) {
            try (Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                log.info("Dropped {} left behind by an earlier test run", database);
            }
        }
    }

    private static PgmqInstallation preparePgmq(Connection connection) throws SQLException {
        PgmqInstallation pgmq = PgmqInstaller.ensureInstalled(connection);
        if (!pgmq.publicWrappers()) {
            PgmqInstaller.installPublicWrappers(connection);
            pgmq = pgmq.withPublicWrappers(true);
        }
        return pgmq;
    }

    private Properties localCredentials() {
        Properties credentials = new Properties();
        credentials.setProperty("user", localUser());
        String password = env.get("PGPASSWORD");
        if (password != null) {
            credentials.setProperty("password", password);
        }
        return credentials;
    }

    private String localUser() {
        return env.getOrDefault("PGUSER", "postgres");
    }
}
