package dev.supaqueue.ratelimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.supaqueue.SupaqueueException;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checklist item 46 against PostgreSQL: the limiters and the barrier over {@link PostgresRateLimiterBackend},
 * with two connection pools standing in for two worker processes.
 */
@PgmqIntegrationTest
class PostgresRateLimitersIT {

    private static final String SCHEMA = "supaqueue_rl_it_" + hex(8);

    private static TestDatabaseServer db;
    private static HikariDataSource poolA;
    private static HikariDataSource poolB;
    private static PostgresRateLimiterBackend processA;
    private static PostgresRateLimiterBackend processB;

    @BeforeAll
    static void start(TestDatabaseServer server) {
        db = server;
        poolA = pool(db.jdbcUrl(), db.credentials());
        poolB = pool(db.jdbcUrl(), db.credentials());
        processA = new PostgresRateLimiterBackend(poolA, SCHEMA);
        processB = new PostgresRateLimiterBackend(poolB, SCHEMA);
    }

    @AfterAll
    static void cleanUp() throws SQLException {
        try {
            if (poolA != null) {
                poolA.close();
            }
            if (poolB != null) {
                poolB.close();
            }
        } finally {
            if (db != null) {
                try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                }
            }
        }
    }

    private static String key() {
        return "key-" + UUID.randomUUID();
    }

    @Test
    void aConcurrentLimiterOfOneIsMutualExclusionAcrossConnections() throws Exception {
        String key = key();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            // Half the threads on each "process"; every call borrows its own pooled connection.
            ConcurrentRateLimiter mutex = new ConcurrentRateLimiter(t % 2 == 0 ? processA : processB, key, 1,
                    Duration.ofMinutes(1));
            workers.add(() -> {
                while (ran.get() < 200) {
                    mutex.tryRun(() -> {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.yield();
                        inside.decrementAndGet();
                        ran.incrementAndGet();
                    });
                }
                return null;
            });
        }
        runAll(workers);

        assertThat(ran.get()).isGreaterThanOrEqualTo(200);
        assertThat(maxInside.get()).isEqualTo(1);
    }

    @Test
    void aConcurrentLimiterAdmitsUpToItsLimit() throws Exception {
        String key = key();
        ConcurrentRateLimiter a = new ConcurrentRateLimiter(processA, key, 3, Duration.ofMinutes(1));
        ConcurrentRateLimiter b = new ConcurrentRateLimiter(processB, key, 3, Duration.ofMinutes(1));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            ConcurrentRateLimiter limiter = t % 2 == 0 ? a : b;
            workers.add(() -> {
                while (ran.get() < 100) {
                    limiter.tryRun(() -> {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        sleep(1);
                        inside.decrementAndGet();
                        ran.incrementAndGet();
                    });
                }
                return null;
            });
        }
        runAll(workers);
        assertThat(maxInside.get()).isBetween(1, 3);

        RateLimiter.Permit one = a.acquire();
        RateLimiter.Permit two = b.acquire();
        RateLimiter.Permit three = a.acquire();
        assertThatThrownBy(b::acquire).isInstanceOf(RateLimitExceeded.class).hasMessageContaining(key);
        two.close();
        assertThat(b.tryRun(() -> { })).isTrue();
        one.close();
        three.close();
    }

    @Test
    void aDeadHoldersLeaseIsFreedAfterItsTtl() throws Exception {
        String key = key();
        ConcurrentRateLimiter dying = new ConcurrentRateLimiter(processA, key, 1, Duration.ofMillis(700));
        ConcurrentRateLimiter other = new ConcurrentRateLimiter(processB, key, 1, Duration.ofMillis(700));
        long start = System.nanoTime();
        dying.acquire(); // never released

        assertThat(other.tryAcquire()).isEmpty();
        RateLimiter.Permit taken = poll(other, Duration.ofSeconds(8));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(dying.tryAcquire()).as("the new holder's lease is live").isEmpty();
        taken.close();
    }

    @Test
    void aWindowLimiterCapsThroughputAcrossConnections() throws Exception {
        String key = key();
        AtomicInteger allowed = new AtomicInteger();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            WindowRateLimiter limiter = new WindowRateLimiter(t % 2 == 0 ? processA : processB, key, 10,
                    Duration.ofMinutes(5));
            workers.add(() -> {
                for (int i = 0; i < 25; i++) {
                    if (limiter.tryRun(() -> { })) {
                        allowed.incrementAndGet();
                    }
                }
                return null;
            });
        }
        runAll(workers);
        assertThat(allowed).hasValue(10);
    }

    @Test
    void aWindowSlides() throws Exception {
        WindowRateLimiter limiter = new WindowRateLimiter(processA, key(), 2, Duration.ofMillis(600));
        long start = System.nanoTime();
        assertThat(limiter.tryRun(() -> { })).isTrue();
        assertThat(limiter.tryRun(() -> { })).isTrue();
        assertThat(limiter.tryRun(() -> { })).isFalse();

        poll(limiter, Duration.ofSeconds(8)).close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aBucketLimiterCapsAcquisitionsPerBucketAndStartsAfreshInTheNext() throws Exception {
        String key = key();
        AtomicInteger allowed = new AtomicInteger();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            // A bucket of ~27 years: no boundary falls inside this test.
            BucketRateLimiter limiter = new BucketRateLimiter(t % 2 == 0 ? processA : processB, key, 5,
                    Duration.ofDays(10_000));
            workers.add(() -> {
                for (int i = 0; i < 10; i++) {
                    if (limiter.tryRun(() -> { })) {
                        allowed.incrementAndGet();
                    }
                }
                return null;
            });
        }
        runAll(workers);
        assertThat(allowed).hasValue(5);

        BucketRateLimiter small = new BucketRateLimiter(processB, key(), 1, Duration.ofMillis(400));
        int first = 0;
        while (!small.tryRun(() -> { })) {
            first++; // only if the previous bucket was already used: never, the key is new
        }
        assertThat(first).isZero();
        assertThat(small.tryRun(() -> { })).isFalse();
        poll(small, Duration.ofSeconds(8)).close();
    }

    @Test
    void aBarrierReleasesPartiesOnOtherThreadsOnTheNthWait() throws Exception {
        String key = key();
        assertThat(new Barrier(processA, key, Duration.ofMinutes(1)).create(5)).isTrue();
        assertThat(new Barrier(processB, key, Duration.ofMinutes(1)).create(5)).isFalse();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> waiting = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Barrier party = new Barrier(t % 2 == 0 ? processA : processB, key, Duration.ofMinutes(1));
                waiting.add(pool.submit(() -> party.await(Duration.ofSeconds(10))));
            }
            Barrier last = new Barrier(processA, key, Duration.ofMinutes(1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (last.remaining() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(last.remaining()).isEqualTo(1);
            Thread.sleep(200);
            assertThat(waiting).as("four of five keep waiting").noneMatch(Future::isDone);

            assertThat(last.await(Duration.ofSeconds(1))).isTrue();
            for (Future<Boolean> party : waiting) {
                assertThat(party.get(5, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exactlyOneOfManyConcurrentArrivalsClearsTheBarrier() throws Exception {
        String key = key();
        new Barrier(processA, key).create(20);
        AtomicInteger cleared = new AtomicInteger();
        List<Callable<Void>> parties = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            Barrier party = new Barrier(t % 2 == 0 ? processA : processB, key);
            parties.add(() -> {
                if (party.arrive()) {
                    cleared.incrementAndGet();
                }
                return null;
            });
        }
        runAll(parties);
        assertThat(cleared).hasValue(1);
        assertThat(new Barrier(processB, key).remaining()).isZero();

        assertThatThrownBy(() -> new Barrier(processA, key()).arrive())
                .isInstanceOf(SupaqueueException.class).hasMessageContaining("never created");
    }

    @Test
    void expiredRowsArePurged() throws Exception {
        new Barrier(processA, key(), Duration.ofMillis(1)).create(2);
        new ConcurrentRateLimiter(processA, key(), 1, Duration.ofMillis(1)).acquire();
        Thread.sleep(20);
        assertThat(processA.purgeExpired()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void schemaNamesAreValidated() {
        for (String bad : List.of("", "Upper", "1st", "has-dash", "a.b", "x; drop table y", "a".repeat(64))) {
            assertThatThrownBy(() -> new PostgresRateLimiterBackend(poolA, bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema name");
        }
        assertThat(new PostgresRateLimiterBackend(poolA, "_" + "a".repeat(62)).schema()).hasSize(63);
    }

    @Test
    void aRoleWithoutCreateRightsGetsAClearErrorAndWorksOnceAnOwnerHasCreatedTheTables() throws Exception {
        String role = "supaqueue_rl_" + hex(12);
        String password = UUID.randomUUID().toString();
        String schema = "supaqueue_rl_it_" + hex(8);
        try (Connection admin = db.connect()) {
            createRole(admin, role, password);
        }
        try (HikariDataSource restricted = restrictedPool(role, password)) {
            PostgresRateLimiterBackend noSchema = new PostgresRateLimiterBackend(restricted, schema);
            assertThatThrownBy(() -> new ConcurrentRateLimiter(noSchema, "k", 1).tryAcquire())
                    .isInstanceOf(SupaqueueException.class)
                    .hasMessageContaining("CREATE on database")
                    .hasMessageContaining(role)
                    .hasMessageContaining(schema);

            try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
                statement.execute("CREATE SCHEMA " + schema);
            }
            PostgresRateLimiterBackend emptySchema = new PostgresRateLimiterBackend(restricted, schema);
            assertThatThrownBy(() -> new ConcurrentRateLimiter(emptySchema, "k", 1).tryAcquire())
                    .isInstanceOf(SupaqueueException.class)
                    .hasMessageContaining("CREATE on schema " + schema)
                    .hasMessageContaining(role);

            try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
                for (String ddl : PostgresRateLimiterBackend.schemaSql(schema)) {
                    statement.execute(ddl);
                }
                statement.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
                statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema
                        + " TO " + role);
            }
            PostgresRateLimiterBackend granted = new PostgresRateLimiterBackend(restricted, schema);
            assertThat(new ConcurrentRateLimiter(granted, "k", 1).tryRun(() -> { })).isTrue();
            assertThat(new WindowRateLimiter(granted, "k", 1, Duration.ofMinutes(1)).tryRun(() -> { })).isTrue();
        } finally {
            try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                statement.execute("DROP OWNED BY " + role);
                statement.execute("DROP ROLE " + role);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------

    private static HikariDataSource pool(String url, Properties properties) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setDataSourceProperties(properties);
        config.setMaximumPoolSize(6);
        config.setPoolName("ratelimits-it");
        return new HikariDataSource(config);
    }

    private static HikariDataSource restrictedPool(String role, String password) {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        Properties properties = new Properties();
        settings.driverOptions().forEach(properties::setProperty);
        properties.setProperty("user", role);
        properties.setProperty("password", password);
        return pool(settings.jdbcUrl(), properties);
    }

    /** A login role with no rights beyond PUBLIC's (no CREATE on the database). */
    private static void createRole(Connection admin, String role, String password) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            // The role name is a fixed prefix and hex digits, so it is a safe identifier.
            statement.execute("CREATE ROLE " + role + " LOGIN");
            try (PreparedStatement setPassword = admin.prepareStatement(
                    "SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text)")) {
                setPassword.setString(1, role);
                setPassword.setString(2, password);
                try (ResultSet row = setPassword.executeQuery()) {
                    row.next();
                    statement.execute(row.getString(1));
                }
            }
        }
    }

    /** Tries until the limiter admits, within the timeout. */
    private static RateLimiter.Permit poll(RateLimiter limiter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var permit = limiter.tryAcquire();
            if (permit.isPresent()) {
                return permit.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError(limiter + " did not admit within " + timeout);
    }

    private static void runAll(List<? extends Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<Void> future : futures) {
                future.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hex(int length) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, length);
    }
}
