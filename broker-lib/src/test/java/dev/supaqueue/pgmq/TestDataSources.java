package dev.supaqueue.pgmq;

import dev.supaqueue.testing.TestDatabaseServer;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** Small DataSources for the client tests (the library itself takes any DataSource, e.g. HikariCP). */
final class TestDataSources {

    private TestDataSources() {
    }

    /** A new connection per call, like an unpooled DataSource. */
    static DataSource of(TestDatabaseServer db) {
        return of(db.jdbcUrl(), db.credentials());
    }

    static DataSource of(String url, Properties credentials) {
        return new Basic(url, credentials);
    }

    /** The test database's URL with {@code parameter=value} appended, whether or not it has parameters. */
    static String withParameter(String url, String parameter, String value) {
        return url + (url.contains("?") ? "&" : "?") + parameter + "=" + value;
    }

    /**
     * A "pool" of one: always the same connection, whose close() only counts. Lets a test look at the connection
     * the client gave back (autocommit mode, prepared statements).
     */
    static SingleConnection single(Connection connection) {
        return new SingleConnection(connection);
    }

    /** A DataSource that must not be used: proves that a call fails before borrowing a connection. */
    static DataSource failing() {
        return new Basic(null, null) {
            @Override
            public Connection getConnection() throws SQLException {
                throw new SQLException("this test's DataSource must not be used", "08001");
            }
        };
    }

    private static class Basic implements DataSource {

        private final String url;
        private final Properties credentials;

        Basic(String url, Properties credentials) {
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

    static final class SingleConnection extends Basic {

        private final Connection connection;
        private final AtomicInteger borrowed = new AtomicInteger();
        private final AtomicInteger returned = new AtomicInteger();

        private SingleConnection(Connection connection) {
            super(null, null);
            this.connection = connection;
        }

        /** How many times the client borrowed / gave back the connection. */
        int borrowed() {
            return borrowed.get();
        }

        int returned() {
            return returned.get();
        }

        @Override
        public Connection getConnection() {
            borrowed.incrementAndGet();
            return (Connection) Proxy.newProxyInstance(TestDataSources.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            returned.incrementAndGet();
                            return null;
                        }
                        try {
                            return method.invoke(connection, arguments);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
