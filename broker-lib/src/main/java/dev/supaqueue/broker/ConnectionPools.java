package dev.supaqueue.broker;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.supaqueue.pgmq.SqlFailureHints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * HikariCP pools configured from {@link SupabaseBrokerSettings}, the same way for the broker and for tools that
 * only inspect queues (such as {@code dev.supaqueue.admin.QueueAdmin#connect}).
 */
public final class ConnectionPools {

    private ConnectionPools() {
    }

    /**
     * A pool for these settings: their URL, user, password, pool sizes, connection timeout and driver options
     * (plus {@code prepareThreshold=0} behind a transaction-mode pooler). It connects on first use, so it can be
     * made before the database is up. The caller closes it.
     */
    public static HikariDataSource open(SupabaseBrokerSettings settings, String poolName) {
        Objects.requireNonNull(settings, "settings");
        HikariConfig config = new HikariConfig();
        config.setPoolName(Objects.requireNonNull(poolName, "poolName"));
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMinimumIdle(settings.minConnections());
        config.setMaximumPoolSize(settings.maxConnections());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setInitializationFailTimeout(-1);
        driverProperties(settings).forEach(config::addDataSourceProperty);
        return new HikariDataSource(config);
    }

    /**
     * One connection outside any pool, for short checks (such as a console's "test connection"): the settings'
     * URL, user, password and driver options, with connect, login and socket timeouts. The caller closes it.
     *
     * @throws SQLException if it cannot connect; the message adds what to check (see {@link SqlFailureHints}), the
     *                      driver's exception is the cause and its SQLState is kept
     */
    public static Connection connectOnce(SupabaseBrokerSettings settings, Duration timeout, String applicationName)
            throws SQLException {
        Objects.requireNonNull(settings, "settings");
        Properties properties = new Properties();
        driverProperties(settings).forEach(properties::setProperty);
        properties.setProperty("ApplicationName", Objects.requireNonNull(applicationName, "applicationName"));
        properties.setProperty("user", settings.user());
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, timeout.toSeconds()) * 3));
        try {
            return DriverManager.getConnection(settings.jdbcUrl(), properties);
        } catch (SQLException e) {
            String hint = SqlFailureHints.explain(e);
            if (hint.isEmpty()) {
                throw e;
            }
            // Same state and the driver's exception as the cause, so callers that look at either still can.
            throw new SQLException(e.getMessage() + hint, e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /** The driver properties for these settings: the application name, the user's options, pooler needs. */
    static Map<String, String> driverProperties(SupabaseBrokerSettings settings) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("ApplicationName", "supaqueue");
        properties.putAll(settings.driverOptions());
        if (settings.transactionPooler()) {
            // Supavisor/PgBouncer in transaction mode cannot keep named prepared statements.
            properties.put("prepareThreshold", "0");
        }
        return properties;
    }
}
