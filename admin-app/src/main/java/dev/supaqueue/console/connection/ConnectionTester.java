package dev.supaqueue.console.connection;

import dev.supaqueue.broker.ConnectionPools;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqInstaller;
import dev.supaqueue.pgmq.PgmqProbe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * "Test connection": checks a profile step by step (TCP reachability, login, TLS, pgmq, the user's rights) on a
 * single short-lived connection built from broker-lib's {@link SupabaseBrokerSettings}, and says what it found
 * in plain words. Blocking: view models run it through {@code BackgroundTasks}.
 *
 * <p>All it asks the database goes through broker-lib: {@link PgmqProbe#detect}, {@link PgmqProbe#usesTls} and
 * {@link PgmqProbe#access}.
 */
public final class ConnectionTester {

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
     * What stops the console from working with {@code profile} before it switches to the queues: nothing listening,
     * a refused login, a missing database, TLS that cannot be had, pgmq missing, or a user without rights on it.
     * Empty when the connection is usable. One short-lived connection, like {@link #test}.
     *
     * @throws IllegalArgumentException if the profile itself has problems
     */
    public java.util.Optional<String> connectProblem(ConnectionProfile profile, char[] password) {
        ConnectionReport report = test(profile, password);
        String where = profile.host() + ":" + profile.port();
        if (report.problem() != null) {
            return java.util.Optional.of(report.problem());
        }
        if (report.pgmq() == null || report.pgmq().flavour() == dev.supaqueue.pgmq.PgmqFlavour.ABSENT) {
            return java.util.Optional.of("pgmq is missing in database '" + profile.database() + "' on " + where
                    + ": enable the pgmq extension (Supabase: Integrations > Queues)"
                    + (report.devSchemaOffered() ? ", or use Test connection to install the development schema." : "."));
        }
        if (report.rights() == RoleRights.NONE) {
            return java.util.Optional.of("User '" + profile.user() + "' has no rights on pgmq in database '"
                    + profile.database() + "' on " + where + ": grant it USAGE on schema pgmq and EXECUTE on its"
                    + " functions, or connect as another user.");
        }
        return java.util.Optional.empty();
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
        return ConnectionPools.connectOnce(settings, timeout, "supaqueue-console connection test");
    }

    private static TlsState tlsState(Connection connection) throws SQLException {
        Boolean tls = PgmqProbe.usesTls(connection);
        return tls == null ? TlsState.UNKNOWN : tls ? TlsState.IN_USE : TlsState.NOT_IN_USE;
    }

    private static RoleRights rights(Connection connection) throws SQLException {
        return switch (PgmqProbe.access(connection)) {
            case FULL -> RoleRights.FULL_PGMQ;
            case PUBLIC_WRAPPERS_ONLY -> RoleRights.PUBLIC_ONLY;
            case NONE -> RoleRights.NONE;
        };
    }
}
