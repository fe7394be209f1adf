package dev.supaqueue.pgmq;

import dev.supaqueue.testing.SimpleDataSource;
import dev.supaqueue.testing.TestDatabaseServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Small DataSources for the client tests (the library itself takes any DataSource, e.g. HikariCP). */
final class TestDataSources {

    private TestDataSources() {
    }

    /** A new connection per call, like an unpooled DataSource. */
    static DataSource of(TestDatabaseServer db) {
        return db.dataSource();
    }

    static DataSource of(String url, Properties credentials) {
        return new SimpleDataSource(url, credentials);
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
        return new SimpleDataSource(null, null) {
            @Override
            public Connection getConnection() throws SQLException {
                throw new SQLException("this test's DataSource must not be used", "08001");
            }
        };
    }

    static final class SingleConnection extends SimpleDataSource {

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
