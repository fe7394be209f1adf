package dev.supaqueue.admin;

import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqException;
import dev.supaqueue.pgmq.PgmqFlavour;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqProbe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The health check: reachability and latency, the pgmq installation, whether LISTEN/NOTIFY works on this
 * connection, and each queue's lag. It reports; it never throws because the database is unreachable, so it can
 * back a service's health endpoint directly.
 */
final class HealthInspector {

    /** How long the LISTEN check waits for its own notification before calling LISTEN unavailable. */
    static final Duration NOTIFICATION_WAIT = Duration.ofSeconds(2);

    private static final int LATENCY_PROBES = 3;
    private static final String OPERATION = "health check";

    private final DataSource dataSource;
    private final PgmqClient client;
    private final AdminOptions options;
    private final QueueInspector queues;

    HealthInspector(DataSource dataSource, PgmqClient client, QueueTables tables, AdminOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.queues = new QueueInspector(dataSource, client, Objects.requireNonNull(tables, "tables"), options);
    }

    /**
     * Checks the database and every queue.
     *
     * @param maxLag a queue whose oldest ready message has waited longer than this makes the status DEGRADED
     * @throws IllegalArgumentException if {@code maxLag} is negative (never for database trouble)
     */
    HealthReport check(Duration maxLag) {
        Objects.requireNonNull(maxLag, "maxLag");
        if (maxLag.isNegative()) {
            throw new IllegalArgumentException("maxLag must not be negative, got " + maxLag);
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException | RuntimeException e) {
            return unreachable("The database cannot be reached: " + describe(e));
        }
        try (connection) {
            return check(connection, maxLag);
        } catch (SQLException | RuntimeException e) {
            return unreachable("The database connection failed during the check: " + describe(e));
        }
    }

    private HealthReport check(Connection connection, Duration maxLag) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            // LISTEN and NOTIFY only take effect at commit; the check's own statements are all reads.
            connection.setAutoCommit(true);
        }
        try {
            return checkAutoCommit(connection, maxLag);
        } finally {
            if (!autoCommit) {
                connection.setAutoCommit(false);
            }
        }
    }

    private HealthReport checkAutoCommit(Connection connection, Duration maxLag) throws SQLException {
        List<String> problems = new ArrayList<>();
        String serverVersion = connection.getMetaData().getDatabaseProductVersion();
        Duration latency = null;
        Instant serverTime = null;
        for (int i = 0; i < LATENCY_PROBES; i++) {
            long started = System.nanoTime();
            serverTime = serverNow(connection);
            Duration roundTrip = Duration.ofNanos(System.nanoTime() - started);
            if (latency == null || roundTrip.compareTo(latency) < 0) {
                latency = roundTrip;
            }
        }

        HealthReport.Status status = HealthReport.Status.UP;
        PgmqInstallation installation = null;
        try {
            // Detected on this connection (and then cached by the client): borrowing a second one could wait
            // forever on a pool of one.
            installation = client.session(connection).installation();
        } catch (PgmqException e) {
            if (e.isConnectionFailure()) {
                throw e;
            }
            // The client refuses an absent pgmq without saying what it found: ask the probe.
            try {
                installation = PgmqProbe.detect(connection);
            } catch (SQLException probeFailure) {
                status = HealthReport.Status.DOWN;
                problems.add("Could not detect pgmq: " + describe(probeFailure));
            }
        }
        if (installation != null && installation.flavour() == PgmqFlavour.ABSENT) {
            status = HealthReport.Status.DOWN;
            problems.add("pgmq is not installed in this database: there are no queues to check");
        }

        List<QueueLag> lags = List.of();
        if (status == HealthReport.Status.UP) {
            try {
                QueueOverview overview = queues.overview(connection);
                serverTime = overview.serverTime();
                lags = lags(overview);
                for (QueueLag lag : lags) {
                    if (lag.exceeds(maxLag)) {
                        status = HealthReport.Status.DEGRADED;
                        problems.add("Queue \"" + lag.queue() + "\" has had a message ready for "
                                + words(lag.oldestReadyAge()) + ", longer than the allowed " + words(maxLag)
                                + " (" + lag.ready() + " ready): consumers are behind or not running");
                    }
                }
            } catch (SQLException e) {
                if (isConnectionFailure(e)) {
                    throw e;
                }
                status = HealthReport.Status.DEGRADED;
                problems.add("Could not measure the queues' lag: " + describe(e));
            } catch (RuntimeException e) {
                if (isConnectionFailure(e)) {
                    throw e;
                }
                status = HealthReport.Status.DEGRADED;
                problems.add("Could not measure the queues' lag: " + describe(e));
            }
        }

        Listen listen = checkListen(connection);
        return new HealthReport(status, installation, serverVersion, latency, listen.available(), listen.detail(),
                serverTime, lags, problems);
    }

    private static List<QueueLag> lags(QueueOverview overview) {
        List<QueueLag> lags = new ArrayList<>();
        for (QueueSummary queue : overview.queues()) {
            // An orphan dead-letter queue is listed as a row, but nobody consumes it: its age is not a lag.
            if (!QueueNames.isDeadLetter(queue.name())) {
                lags.add(new QueueLag(queue.name(), queue.ready(), queue.oldestReadyAge()));
            }
        }
        lags.sort(Comparator.comparing(QueueLag::oldestReadyAge, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(QueueLag::queue));
        return lags;
    }

    // ------------------------------------------------------------------------------------------------ LISTEN

    private record Listen(boolean available, String detail) {
    }

    /**
     * LISTENs on a fresh channel, NOTIFYs it and waits for the notification on the same connection. Through a
     * transaction-mode pooler the LISTEN and the NOTIFY land on different server connections (or are refused),
     * and the notification never comes back: that is what this reports. Always UNLISTENs.
     */
    private Listen checkListen(Connection connection) {
        PGConnection pg;
        try {
            pg = connection.unwrap(PGConnection.class);
        } catch (SQLException e) {
            return new Listen(false, "Not checked: the connection is not a PostgreSQL JDBC connection ("
                    + describe(e) + "), so notifications cannot be received on it; workers poll");
        }
        // Our own name, letters and digits only: no caller text reaches the LISTEN statement.
        String channel = "supaqueue_health_" + UUID.randomUUID().toString().replace("-", "");
        String payload = UUID.randomUUID().toString();
        try {
            try (Statement listen = connection.createStatement()) {
                listen.setQueryTimeout(queryTimeoutSeconds());
                listen.execute("LISTEN " + channel);
            }
            long started = System.nanoTime();
            try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?::text, ?::text)")) {
                notify.setQueryTimeout(queryTimeoutSeconds());
                notify.setString(1, channel);
                notify.setString(2, payload);
                notify.execute();
            }
            long deadline = started + NOTIFICATION_WAIT.toNanos();
            while (true) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    break;
                }
                PGNotification[] notifications = pg.getNotifications((int) leftMillis);
                if (notifications == null) {
                    continue;
                }
                for (PGNotification notification : notifications) {
                    if (channel.equals(notification.getName()) && payload.equals(notification.getParameter())) {
                        return new Listen(true, "LISTEN/NOTIFY works on this connection: a test notification came"
                                + " back in " + words(Duration.ofNanos(System.nanoTime() - started)));
                    }
                }
            }
            return new Listen(false, "A test notification did not come back within " + words(NOTIFICATION_WAIT)
                    + ": LISTEN/NOTIFY does not work through this connection (a transaction-mode pooler, such as"
                    + " Supabase's on port 6543, does not relay it); workers poll instead");
        } catch (SQLException | RuntimeException e) {
            return new Listen(false, "LISTEN/NOTIFY failed on this connection (" + describe(e) + "); a"
                    + " transaction-mode pooler, such as Supabase's on port 6543, does not support it; workers poll"
                    + " instead");
        } finally {
            unlisten(connection, channel);
        }
    }

    private void unlisten(Connection connection, String channel) {
        try (Statement unlisten = connection.createStatement()) {
            unlisten.setQueryTimeout(queryTimeoutSeconds());
            unlisten.execute("UNLISTEN " + channel);
        } catch (SQLException | RuntimeException ignored) {
            // The connection is closed right after; a failed UNLISTEN leaves nothing behind then.
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private HealthReport unreachable(String problem) {
        return new HealthReport(HealthReport.Status.DOWN, null, null, null, false,
                "Not checked: the database cannot be reached", null, List.of(), List.of(problem));
    }

    private Instant serverNow(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT now()")) {
            statement.setQueryTimeout(queryTimeoutSeconds());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    private int queryTimeoutSeconds() {
        return (int) Math.max(1, options.queryTimeout().toSeconds());
    }

    private static boolean isConnectionFailure(Throwable e) {
        if (e instanceof PgmqException pgmq) {
            return pgmq.isConnectionFailure();
        }
        if (e instanceof SQLException sql) {
            String state = sql.getSQLState();
            return state != null && (state.startsWith("08") || state.startsWith("57P"));
        }
        return false;
    }

    /** The failure in one line, with anything that looks like a password masked (PgmqException's masking). */
    static String describe(Throwable e) {
        if (e instanceof PgmqException) {
            return e.getMessage();
        }
        if (e instanceof SQLException sql) {
            return new PgmqException(OPERATION, null, sql).getMessage();
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new PgmqException(OPERATION, null, detail).getMessage();
    }

    /** A duration as people read it: {@code 850 ms}, {@code 12.5 s}, {@code 4 min 10 s}, {@code 3 h 5 min}. */
    static String words(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 7_200) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3_600 + " h " + seconds % 3_600 / 60 + " min";
    }
}
