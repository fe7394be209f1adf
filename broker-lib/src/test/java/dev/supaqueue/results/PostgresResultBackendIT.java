package dev.supaqueue.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.Actor0;
import dev.supaqueue.actor.Actor2;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.composition.Pipeline;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.DefaultMiddleware;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.SimpleDataSource;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The PostgreSQL result backend on a real database, in a schema of its own that is dropped afterwards. */
@PgmqIntegrationTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresResultBackendIT {

    private static final String SCHEMA = "results_it_" + hex(12);

    @AfterAll
    static void dropSchema(TestDatabaseServer db) throws SQLException {
        try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    private static String hex(int length) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, length);
    }

    private static Message message(String actor) {
        return Message.create("default", actor, List.of(), Map.of(), Map.of());
    }

    @Test
    void storesAndReadsJsonValues(TestDatabaseServer db) {
        PostgresResultBackend backend = new PostgresResultBackend(db.dataSource(), SCHEMA);
        Message message = message("add");
        assertThat(backend.peek(message)).isEmpty();
        assertThatThrownBy(() -> backend.get(message)).isInstanceOf(ResultMissing.class);
        Map<String, Object> value = Map.of("sum", 3, "parts", Arrays.asList(1, 2, null), "name", "\u00e9t\u00e9");
        backend.store(message, value, Duration.ofMinutes(1));
        assertThat(backend.get(message).json()).isEqualTo(value);
        // An upsert: storing again replaces the value.
        backend.store(message, 42, Duration.ofMinutes(1));
        assertThat(backend.getResult(message, Integer.class)).isEqualTo(42);
        Message nothing = message("nothing");
        backend.store(nothing, null, Duration.ofMinutes(1));
        assertThat(backend.get(nothing).value()).isNull();
    }

    @Test
    void blockingGetWaitsForTheResultOrTimesOut(TestDatabaseServer db) throws Exception {
        PostgresResultBackend backend = new PostgresResultBackend(db.dataSource(), SCHEMA);
        Message message = message("slow");
        long start = System.nanoTime();
        assertThatThrownBy(() -> backend.get(message, Duration.ofMillis(300))).isInstanceOf(ResultTimeout.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(290L, 5000L);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            backend.store(message, "late", Duration.ofMinutes(1));
        });
        assertThat(backend.getResult(message, Duration.ofSeconds(10), String.class)).isEqualTo("late");
        writer.join();
    }

    @Test
    void failuresAndKeysAreDramatiqs(TestDatabaseServer db) throws SQLException {
        PostgresResultBackend backend = new PostgresResultBackend(db.dataSource(), SCHEMA);
        Message message = message("fail");
        backend.storeFailure(message, "ValueError", "bad input", Duration.ofMinutes(1));
        try (Connection admin = db.connect(); PreparedStatement query = admin.prepareStatement("SELECT value = "
                + "'{\"__t\": \"dramatiq.results.Result\", \"exn\": {\"type\": \"ValueError\", \"msg\": \"bad input\"}}'"
                + "::jsonb FROM " + SCHEMA + ".results WHERE key = md5(?)")) {
            // Postgres' own md5 of Dramatiq's key string finds the row: the same key a Python reader computes.
            query.setString(1, "dramatiq-results:default:fail:" + message.messageId());
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("row under Dramatiq's key").isTrue();
                assertThat(rows.getBoolean(1)).as("Dramatiq's failure format").isTrue();
            }
        }
        assertThatThrownBy(() -> backend.getResult(message, Duration.ofSeconds(1), Object.class))
                .isInstanceOfSatisfying(ResultFailure.class, e -> {
                    assertThat(e).hasMessage("actor raised ValueError: bad input");
                    assertThat(e.origExcType()).isEqualTo("ValueError");
                    assertThat(e.origExcMsg()).isEqualTo("bad input");
                });

        // A failure written by a Python process is read as one.
        Message python = message("py");
        try (Connection admin = db.connect(); PreparedStatement insert = admin.prepareStatement("INSERT INTO "
                + SCHEMA + ".results VALUES (md5(?), ?::jsonb, now() + interval '1 minute')")) {
            insert.setString(1, "dramatiq-results:default:py:" + python.messageId());
            insert.setString(2, "{\"__t\":\"dramatiq.results.Result\",\"exn\":{\"type\":\"KeyError\",\"msg\":\"'x'\"}}");
            insert.executeUpdate();
        }
        assertThatThrownBy(() -> backend.getResult(python, Object.class)).isInstanceOf(ResultFailure.class)
                .hasMessage("actor raised KeyError: 'x'");

        PostgresResultBackend readable = new PostgresResultBackend(db.dataSource(), SCHEMA,
                ResultKeys.readable());
        Message plain = message("plain");
        readable.store(plain, 1, Duration.ofMinutes(1));
        assertThat(count(db, "key = 'dramatiq-results:default:plain:" + plain.messageId() + "'")).isEqualTo(1);
    }

    @Test
    void expiredResultsAreIgnoredAndDeleted(TestDatabaseServer db) throws Exception {
        PostgresResultBackend backend = new PostgresResultBackend(db.dataSource(), SCHEMA);
        Message kept = message("kept");
        Message expired = message("expired");
        Message brief = message("brief");
        backend.store(kept, 1, Duration.ofMinutes(5));
        backend.store(expired, 2, Duration.ofMinutes(5));
        backend.store(brief, 3, Duration.ofMillis(1));
        // Expire by hand rather than sleeping out a real TTL.
        try (Connection admin = db.connect(); PreparedStatement update = admin.prepareStatement("UPDATE " + SCHEMA
                + ".results SET expires_at = now() - interval '1 second' WHERE key = ?")) {
            update.setString(1, ResultKeys.md5().keyOf(expired));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        Thread.sleep(20);
        assertThat(backend.peek(expired)).isEmpty();
        assertThat(backend.peek(brief)).isEmpty();
        assertThat(backend.peek(kept)).isPresent();
        assertThat(backend.deleteExpired()).isGreaterThanOrEqualTo(2);
        assertThat(count(db, "expires_at <= now()")).isZero();
        assertThat(backend.peek(kept)).isPresent();
    }

    @Test
    void schemaNamesAreValidated() {
        for (String bad : List.of("", "Results", "1results", "a-b", "a;drop table x", "r\u00e9sultats", "pg_results",
                "x".repeat(64))) {
            assertThatThrownBy(() -> new PostgresResultBackend(new NeverUsed(), bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema name");
        }
        assertThat(new PostgresResultBackend(new NeverUsed(), "_" + "x".repeat(62)).schema()).hasSize(63);
    }

    @Test
    void aRoleWithoutCreateRightsGetsAClearErrorAndWorksOnceAnAdminCreatedTheTable(TestDatabaseServer db)
            throws SQLException {
        String role = "supaqueue_results_" + hex(12);
        String password = UUID.randomUUID().toString();
        String schema = "results_role_" + hex(12);
        try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
            // The role name is a fixed prefix and hex digits, so it is a safe identifier.
            statement.execute("CREATE ROLE " + role + " LOGIN");
            try (PreparedStatement setPassword = admin.prepareStatement(
                    "SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text)")) {
                setPassword.setString(1, role);
                setPassword.setString(2, password);
                try (ResultSet sql = setPassword.executeQuery()) {
                    sql.next();
                    statement.execute(sql.getString(1));
                }
            }
            try {
                Properties credentials = new Properties();
                credentials.setProperty("user", role);
                credentials.setProperty("password", password);
                DataSource restricted = new SimpleDataSource(db.brokerSettings().build().jdbcUrl(), credentials);
                PostgresResultBackend backend = new PostgresResultBackend(restricted, schema);
                Message message = message("add");
                assertThatThrownBy(() -> backend.store(message, 1, Duration.ofMinutes(1)))
                        .isInstanceOf(ResultError.class)
                        .hasMessageContaining("may not create the result schema " + schema)
                        .hasMessageContaining("CREATE privilege on the database")
                        .hasMessageContaining("CREATE TABLE IF NOT EXISTS");

                // An administrator creates the table ahead and grants only what the backend uses.
                PostgresResultBackend owner = new PostgresResultBackend(db.dataSource(), schema);
                assertThat(owner.deleteExpired()).isZero();
                statement.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
                statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + schema + ".results TO " + role);
                backend.store(message, 1, Duration.ofMinutes(1));
                assertThat(backend.getResult(message, Integer.class)).isEqualTo(1);
            } finally {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                statement.execute("DROP OWNED BY " + role);
                statement.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    void workersStoreResultsAndFailuresAndPipelinesReadThem(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(queues.newNamespace())
                .maxPollInterval(Duration.ofMillis(200)).build(), DefaultMiddleware.create())) {
            PostgresResultBackend backend = new PostgresResultBackend(broker, SCHEMA);
            broker.addMiddleware(new Results(backend, true, null));
            Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").on(broker)
                    .function(Integer.class, Integer.class, Integer::sum);
            Actor0<Integer> fail = ActorDefinition.named("fail").on(broker).option(ActorOptions.MAX_RETRIES, 0)
                    .function(() -> {
                        throw new IllegalArgumentException("nope");
                    });
            Pipeline pipeline = Pipeline.pipeline(List.of(add.message(1, 2), add.message(3), add.message(4)), broker)
                    .run();
            Message failed = fail.send();
            Worker worker = new Worker(broker, WorkerOptions.builder().workerThreads(2)
                    .consumerTimeout(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(5)).build());
            worker.start();
            try {
                assertThat(pipeline.getResults(Duration.ofSeconds(20))).containsExactly(3, 6, 10);
                assertThat(pipeline.completedCount(backend)).isEqualTo(3);
                assertThat(pipeline.completed(backend)).isTrue();
                assertThatThrownBy(() -> backend.getResult(failed, Duration.ofSeconds(20), Integer.class))
                        .isInstanceOf(ResultFailure.class).hasMessage("actor raised IllegalArgumentException: nope");
            } finally {
                worker.stop(Duration.ofSeconds(5));
            }
        }
    }

    private static long count(TestDatabaseServer db, String where) throws SQLException {
        try (Connection admin = db.connect(); Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + SCHEMA + ".results WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Proves that validation happens before any connection is borrowed. */
    private static final class NeverUsed extends SimpleDataSource {
        NeverUsed() {
            super(null, null);
        }

        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLException("this DataSource must not be used");
        }
    }
}
