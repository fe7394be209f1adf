package dev.supaqueue.admin;

import static dev.supaqueue.testing.PgmqSql.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.SimpleDataSource;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The health check against the real database, an unreachable one, and connections without LISTEN. */
@PgmqIntegrationTest
class HealthInspectorIT {

    private static final String PASSWORD = "s3cr3t-Pa55";

    private static HealthInspector inspector(DataSource dataSource) {
        return new HealthInspector(dataSource, new PgmqClient(dataSource), new QueueTables(),
                AdminOptions.defaults());
    }

    @Test
    void theTestDatabaseIsUpWithPgmqLatencyAndListen(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("health_up");

        HealthReport report = inspector(db.dataSource()).check(Duration.ofHours(1));

        assertThat(report.status()).isEqualTo(HealthReport.Status.UP);
        assertThat(report.healthy()).isTrue();
        assertThat(report.problems()).isEmpty();
        assertThat(report.installation()).isEqualTo(db.pgmq());
        assertThat(report.serverVersion()).isNotBlank();
        assertThat(report.latency()).isPositive().isLessThan(Duration.ofSeconds(5));
        // The harness connects directly (no pooler), where LISTEN/NOTIFY works.
        assertThat(report.listenAvailable()).as(report.listenDetail()).isTrue();
        assertThat(report.listenDetail()).contains("works");
        assertThat(report.serverTime()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        QueueLag lag = report.lags().stream().filter(each -> each.queue().equals(queue)).findFirst().orElseThrow();
        assertThat(lag.ready()).isEqualTo(Count.exact(0));
        assertThat(lag.oldestReadyAge()).isNull();
    }

    @Test
    void aQueueWithAMessageReadyLongerThanTheLimitDegradesTheStatus(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("health_lag");
        String deadLetters = queues.track(queue + "_xq");
        try (Connection connection = db.connect()) {
            send(connection, queue, "{\"late\":true}");
            try (PreparedStatement create = connection.prepareStatement("SELECT pgmq.create(?::text)")) {
                create.setString(1, deadLetters);
                create.execute();
            }
            send(connection, deadLetters, "{\"dead\":true}");
        }
        HealthInspector inspector = inspector(db.dataSource());

        HealthReport lagging = inspector.check(Duration.ZERO);

        assertThat(lagging.status()).isEqualTo(HealthReport.Status.DEGRADED);
        assertThat(lagging.healthy()).isFalse();
        assertThat(lagging.problems()).anySatisfy(problem -> assertThat(problem).contains("\"" + queue + "\"")
                .contains("longer than the allowed 0 ms"));
        QueueLag lag = lagging.lags().stream().filter(each -> each.queue().equals(queue)).findFirst().orElseThrow();
        assertThat(lag.ready()).isEqualTo(Count.exact(1));
        assertThat(lag.oldestReadyAge()).isPositive().isLessThan(Duration.ofMinutes(1));
        assertThat(lag.exceeds(Duration.ZERO)).isTrue();
        assertThat(lagging.lags()).extracting(QueueLag::queue).as("dead letters are nobody's lag")
                .doesNotContain(deadLetters);
        List<Duration> ages = new ArrayList<>();
        lagging.lags().forEach(each -> ages.add(each.oldestReadyAge()));
        for (int i = 1; i < ages.size(); i++) {
            if (ages.get(i) != null) {
                assertThat(ages.get(i - 1)).as("longest lag first").isNotNull().isGreaterThanOrEqualTo(ages.get(i));
            }
        }

        HealthReport relaxed = inspector.check(Duration.ofHours(1));
        assertThat(relaxed.status()).isEqualTo(HealthReport.Status.UP);
        assertThat(relaxed.problems()).isEmpty();
    }

    @Test
    void anUnreachableDatabaseIsDownWithThePlaceNamedAndNoPassword() {
        Properties credentials = new Properties();
        credentials.setProperty("user", "admin");
        credentials.setProperty("password", PASSWORD);
        DataSource nowhere = new SimpleDataSource(
                "jdbc:postgresql://127.0.0.1:1/postgres?user=admin&password=" + PASSWORD + "&connectTimeout=3",
                credentials);

        HealthReport report = inspector(nowhere).check(Duration.ofSeconds(30));

        assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.healthy()).isFalse();
        assertThat(report.problems()).singleElement().asString()
                .contains("cannot be reached").contains("127.0.0.1:1");
        assertThat(report.installation()).isNull();
        assertThat(report.latency()).isNull();
        assertThat(report.listenAvailable()).isFalse();
        assertThat(report.lags()).isEmpty();
        assertThat(report.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void aPasswordInTheDriversMessageIsMasked() {
        DataSource leaky = new SimpleDataSource("jdbc:postgresql://127.0.0.1:1/postgres", new Properties()) {
            @Override
            public Connection getConnection() throws SQLException {
                throw new SQLException("could not connect to postgresql://admin:" + PASSWORD
                        + "@db.example:5432/postgres (jdbc:postgresql://db.example:5432/postgres?password="
                        + PASSWORD + ")", "08001");
            }
        };

        HealthReport report = inspector(leaky).check(Duration.ofSeconds(30));

        assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.problems()).singleElement().asString().contains("db.example:5432");
        assertThat(report.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void withoutListenTheStatusStaysUpAndTheReasonIsReported(TestDatabaseServer db) {
        DataSource plainJdbc = new SimpleDataSource(db.jdbcUrl(), db.credentials()) {
            @Override
            public Connection getConnection() throws SQLException {
                return withoutUnwrap(super.getConnection());
            }
        };

        HealthReport report = inspector(plainJdbc).check(Duration.ofHours(1));

        assertThat(report.status()).isEqualTo(HealthReport.Status.UP);
        assertThat(report.listenAvailable()).isFalse();
        assertThat(report.listenDetail()).contains("not a PostgreSQL JDBC connection").contains("poll");
    }

    @Test
    void theCheckStopsListeningAndKeepsTheConnectionsTransactionMode(TestDatabaseServer db) throws Exception {
        try (Connection shared = db.connect()) {
            shared.setAutoCommit(false);
            DataSource sameConnection = new SimpleDataSource(db.jdbcUrl(), db.credentials()) {
                @Override
                public Connection getConnection() {
                    return keptOpen(shared);
                }
            };

            HealthReport report = inspector(sameConnection).check(Duration.ofHours(1));

            assertThat(report.listenAvailable()).as(report.listenDetail()).isTrue();
            assertThat(shared.getAutoCommit()).isFalse();
            try (PreparedStatement channels = shared.prepareStatement("SELECT count(*) FROM pg_listening_channels()");
                 ResultSet row = channels.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).as("UNLISTENed").isZero();
            }
            shared.rollback();
        }
    }

    @Test
    void aNegativeLimitIsRefused(TestDatabaseServer db) {
        assertThatThrownBy(() -> inspector(db.dataSource()).check(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLag").hasMessageContaining("PT-1S");
    }

    /** The connection as a plain java.sql.Connection that cannot be unwrapped to the driver's class. */
    private static Connection withoutUnwrap(Connection real) {
        return (Connection) Proxy.newProxyInstance(HealthInspectorIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unwrap")) {
                        throw new SQLException("this pool hides the driver's connection");
                    }
                    if (method.getName().equals("isWrapperFor")) {
                        return false;
                    }
                    return delegate(real, method, args);
                });
    }

    /** The connection, with close() doing nothing, so a test can look at it after the check. */
    private static Connection keptOpen(Connection real) {
        return (Connection) Proxy.newProxyInstance(HealthInspectorIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    return delegate(real, method, args);
                });
    }

    private static Object delegate(Connection real, java.lang.reflect.Method method, Object[] args)
            throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
