package dev.supaqueue.testing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A plain, unpooled JDBC DataSource: a new connection per call (the library itself takes any DataSource, e.g.
 * HikariCP). Tests may subclass it to change {@link #getConnection()}.
 */
public class SimpleDataSource implements DataSource {

    private final String url;
    private final Properties credentials;

    public SimpleDataSource(String url, Properties credentials) {
        this.url = url;
        this.credentials = credentials;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return DriverManager.getConnection(url, credentials);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials come from the test database");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
