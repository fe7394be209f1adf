package dev.supaqueue.console.connection;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqInstaller;
import dev.supaqueue.pgmq.PgmqProbe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * "Test connection": checks a profile step by step (TCP reachability, login, TLS, pgmq, the user's rights) on a
 * single short-lived connection built from broker-lib's {@link SupabaseBrokerSettings}, and says what it found
 * in plain words. Blocking: view models run it through {@code BackgroundTasks}.
 *
 * <p>Its only SQL is {@link PgmqProbe#detect} and read-only catalog functions (pg_stat_ssl, has_*_privilege).
 */
public final class ConnectionTester {

    private static final String TLS_SQL = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    /** CASE keeps has_schema_privilege away from a schema that does not exist (it would raise an error). */
    private static final String RIGHTS_SQL = """
            SELECT
              CASE WHEN to_regnamespace('pgmq') IS NULL THEN false
                   ELSE has_schema_privilege('pgmq', 'USAGE') END AS pgmq_usage,
              COALESCE((SELECT bool_or(has_function_privilege(p.oid, 'EXECUTE')) FROM pg_catalog.pg_proc p
                        WHERE p.pronamespace = to_regnamespace('pgmq') AND p.proname = 'send'), false) AS pgmq_send,
              CASE WHEN to_regnamespace('pgmq_public') IS NULL THEN false
                   ELSE has_schema_privilege('pgmq_public', 'USAGE') END AS public_usage,
              COALESCE((SELECT bool_or(has_function_privilege(p.oid, 'EXECUTE')) FROM pg_catalog.pg_proc p
                        WHERE p.pronamespace = to_regnamespace('pgmq_public') AND p.proname = 'send'), false)
                  AS public_send
            """;

    private final Duration timeout;

    /** A tester that gives up on each step after 10 seconds. */
    public ConnectionTester() {
        this(Duration.ofSeconds(10));
    }

    public ConnectionTester(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("timeout must be at least one second");
        }
    }

    /**
     * Tests {@code profile} with {@code password} (null or empty: none). Never throws for a database problem:
     * the report says what failed.
     *
     * @throws IllegalArgumentException if the profile itself has problems (see {@link ConnectionProfile#problems()})
     */
    public ConnectionReport test(ConnectionProfile profile, char[] password) {
        SupabaseBrokerSettings settings = profile.toBrokerSettings(password);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(profile.host(), profile.port()), Math.toIntExact(timeout.toMillis()));
        } catch (IOException | IllegalArgumentException e) {
            return new ConnectionReport(profile, false, false, TlsState.UNKNOWN, null, null, null,
                    ConnectionProblems.describe(e, profile, password), false);
        }
        Connection connection;
        try {
            connection = open(settings);
        } catch (SQLException e) {
            return new ConnectionReport(profile, true, false, TlsState.UNKNOWN, null, null, null,
                    ConnectionProblems.describe(e, profile, password), false);
        }
        TlsState tls = TlsState.UNKNOWN;
        String serverVersion = null;
        PgmqInstallation pgmq = null;
        RoleRights rights = null;
        try (connection) {
            serverVersion = connection.getMetaData().getDatabaseProductVersion();
            tls = tlsState(connection);
            pgmq = PgmqProbe.detect(connection);
            rights = rights(connection);
            return new ConnectionReport(profile, true, true, tls, serverVersion, pgmq, rights, null,
                    DevSchemaOffer.applies(profile, pgmq));
        } catch (SQLException e) {
            return new ConnectionReport(profile, true, true, tls, serverVersion, pgmq, rights,
                    ConnectionProblems.describe(e, profile, password), DevSchemaOffer.applies(profile, pgmq));
        }
    }

    /**
     * Installs Supaqueue's pgmq-compatible development schema into the profile's database and reports what is
     * there afterwards.
     *
     * @throws IllegalStateException if the profile's host is not this machine (the offer is local only), or the
     *                               database has a real pgmq
     * @throws SQLException          if connecting or installing fails
     */
    public PgmqInstallation installDevSchema(ConnectionProfile profile, char[] password) throws SQLException {
        if (!profile.isLocalHost()) {
            throw new IllegalStateException("The development schema is only installed into a database on this"
                    + " machine (127.0.0.1, localhost or ::1), not on " + profile.host() + ".");
        }
        try (Connection connection = open(profile.toBrokerSettings(password))) {
            PgmqInstaller.installCompatSchema(connection);
            return PgmqProbe.detect(connection);
        }
    }

    private Connection open(SupabaseBrokerSettings settings) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(settings.driverOptions());
        properties.setProperty("user", settings.user());
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        String seconds = Long.toString(timeout.toSeconds());
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", Long.toString(timeout.toSeconds() * 3));
        properties.setProperty("ApplicationName", "supaqueue-console connection test");
        if (settings.transactionPooler()) {
            // Behind a transaction pooler a named prepared statement may land on another server connection.
            properties.setProperty("prepareThreshold", "0");
        }
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    private static TlsState tlsState(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TLS_SQL);
             ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                return TlsState.UNKNOWN;
            }
            return row.getBoolean(1) ? TlsState.IN_USE : TlsState.NOT_IN_USE;
        }
    }

    private static RoleRights rights(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RIGHTS_SQL);
             ResultSet row = statement.executeQuery()) {
            row.next();
            if (row.getBoolean("pgmq_usage") && row.getBoolean("pgmq_send")) {
                return RoleRights.FULL_PGMQ;
            }
            if (row.getBoolean("public_usage") && row.getBoolean("public_send")) {
                return RoleRights.PUBLIC_ONLY;
            }
            return RoleRights.NONE;
        }
    }
}
