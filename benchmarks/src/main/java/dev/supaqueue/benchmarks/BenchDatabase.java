package dev.supaqueue.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqInstaller;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database a benchmark runs on: an explicit JDBC URL, or the local server's {@code supaqueue_bench} database
 * (created when missing). pgmq is used as found; where it is absent, Supaqueue's development schema is installed.
 */
final class BenchDatabase implements AutoCloseable {

    static final String LOCAL_SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String LOCAL_DATABASE = "supaqueue_bench";

    private final String jdbcUrl;
    private final HikariDataSource pool;
    private final PgmqInstallation pgmq;
    private final String serverVersion;

    private BenchDatabase(String jdbcUrl, int poolSize) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("bench");
        this.pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection()) {
            this.pgmq = PgmqInstaller.ensureInstalled(connection);
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT version()")) {
                row.next();
                this.serverVersion = row.getString(1);
            }
        }
    }

    /** Opens the database named by the options, or the local benchmark database. */
    static BenchDatabase open(String explicitUrl, int poolSize) throws SQLException {
        if (explicitUrl != null && !explicitUrl.isBlank()) {
            return new BenchDatabase(explicitUrl, poolSize);
        }
        try (Connection admin = DriverManager.getConnection(LOCAL_SERVER + "postgres" + localLogin());
             PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, LOCAL_DATABASE);
            try (ResultSet row = exists.executeQuery()) {
                if (!row.next()) {
                    try (Statement create = admin.createStatement()) {
                        create.execute("CREATE DATABASE " + LOCAL_DATABASE);
                    }
                }
            }
        }
        return new BenchDatabase(LOCAL_SERVER + LOCAL_DATABASE + localLogin(), poolSize);
    }

    /** The URL as given, with any password: for the benchmark's own connections only, never printed. */
    String jdbcUrl() {
        return jdbcUrl;
    }

    /** The local superuser, as libpq would pick it: PGUSER (default postgres) and PGPASSWORD when set. */
    private static String localLogin() {
        String user = System.getenv().getOrDefault("PGUSER", "postgres");
        String password = System.getenv("PGPASSWORD");
        return "?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + (password == null ? "" : "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8));
    }

    HikariDataSource dataSource() {
        return pool;
    }

    PgmqInstallation pgmq() {
        return pgmq;
    }

    String serverVersion() {
        return serverVersion;
    }

    /** The URL without any password, for the report. */
    String describe() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(//[^/:@]*:)[^/@]*@", "$1***@");
    }

    @Override
    public void close() {
        pool.close();
    }
}
