package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.HealthReport;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.broker.BrokerException;
import dev.supaqueue.broker.ConnectionPools;
import dev.supaqueue.broker.DatabaseUri;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqAccess;
import dev.supaqueue.pgmq.PgmqInstaller;
import dev.supaqueue.pgmq.PgmqProbe;
import dev.supaqueue.testing.LogCapture;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PrivatePostgres;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wrong connection settings give a message that says what is wrong and what to do, from every entry point:
 * the broker's first use, QueueAdmin (connect, then health) and the one-shot connection with PgmqProbe. The
 * password never shows: not in logs, exception messages and causes, toString()s, nor files.
 */
@PgmqIntegrationTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectionSettingsIT {

    private static final Logger log = LoggerFactory.getLogger(ConnectionSettingsIT.class);
    private static final Duration SHORT = Duration.ofSeconds(1);

    /** What each failure said, for the report. */
    private final List<String> said = new CopyOnWriteArrayList<>();
    /** Every failure seen, for the password checks. */
    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();

    @Test
    void aWrongPasswordIsNamedAndNoPasswordEverShows(TestDatabaseServer db, TestQueues queues) throws Exception {
        String unavailable = PrivatePostgres.whyUnavailable();
        assumeTrue(unavailable == null, () -> "needs a private PostgreSQL with password authentication: " + unavailable);
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String right = "sqRightCanary" + suffix;
        String wrong = "sqWrongCanary" + suffix;
        Instant started = Instant.now().minusSeconds(1);
        List<String> shown = new ArrayList<>();
        Path clusterDirectory;
        try (LogCapture logs = new LogCapture(); PrivatePostgres pg = PrivatePostgres.start(right)) {
            clusterDirectory = pg.directory();
            try (Connection connection = pg.connect("postgres")) {
                PgmqInstaller.ensureInstalled(connection);
            }
            UnaryOperator<SupabaseBrokerSettings.Builder> base = b -> b.host("127.0.0.1").port(pg.port())
                    .database("postgres").user("postgres").namespace("rel").connectionTimeout(Duration.ofSeconds(2))
                    .enqueueAttempts(1).maxPollInterval(Duration.ofMillis(200));
            SupabaseBrokerSettings good = base.apply(SupabaseBrokerSettings.builder()).password(right).build();
            SupabaseBrokerSettings bad = base.apply(SupabaseBrokerSettings.builder()).password(wrong)
                    .connectionTimeout(SHORT).build();
            String badUri = "postgresql://postgres:" + wrong + "@127.0.0.1:" + pg.port() + "/postgres";
            SupabaseBrokerSettings badFromUri = SupabaseBrokerSettings.builder().uri(badUri).namespace("rel")
                    .connectionTimeout(SHORT).enqueueAttempts(1).build();

            // The right password works end to end: broker, worker, admin, probe.
            try (SupabaseBroker broker = new SupabaseBroker(good, List.of());
                 QueueAdmin admin = QueueAdmin.connect(good, AdminOptions.defaults())) {
                List<Integer> ran = new CopyOnWriteArrayList<>();
                Actor1<Integer, Void> job = ActorDefinition.named("job").on(broker).consumer(Integer.class, ran::add);
                job.send(1);
                job.send(2);
                Worker worker = new Worker(broker, Brokers.options().build());
                worker.start();
                try {
                    broker.join("default", Duration.ofSeconds(20));
                } finally {
                    worker.stop(Duration.ofSeconds(5));
                }
                assertThat(ran).containsExactlyInAnyOrder(1, 2);
                HealthReport health = admin.health();
                assertThat(health.status()).as("health %s", health).isNotEqualTo(HealthReport.Status.DOWN);
                assertThat(admin.queues().find(broker.pgmqQueue("default"))).isPresent();
                try (Connection connection = ConnectionPools.connectOnce(good, SHORT, "supaqueue-rel-test")) {
                    assertThat(PgmqProbe.access(connection)).isEqualTo(PgmqAccess.FULL);
                }
                shown.addAll(List.of(good.toString(), bad.toString(), badFromUri.toString(), broker.toString(),
                        admin.toString(), health.toString(), worker.toString(), DatabaseUri.parse(badUri).toString()));
            }

            // The wrong one is named as the problem everywhere, as a URI password too.
            for (SupabaseBrokerSettings settings : List.of(bad, badFromUri)) {
                Failures failures = failuresOf(settings);
                failures.allContain("password authentication failed", "The password is wrong");
            }
            shown.addAll(said);
            for (String password : List.of(right, wrong)) {
                assertThat(logs.text()).as("captured logs").doesNotContain(password);
                assertThat(shown).as("messages and toString()s").noneSatisfy(text ->
                        assertThat(text).contains(password));
                for (Throwable failure : thrown) {
                    assertThat(everything(failure)).as("cause chain of %s", failure).doesNotContain(password);
                }
            }
        }
        for (Path file : filesWrittenSince(started, clusterDirectory)) {
            String content = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(content).as("file %s", file).doesNotContain(right).doesNotContain(wrong);
        }
        log.info("connection settings: passwords checked in {} logs/messages/toStrings and {} exceptions",
                said.size(), thrown.size());
    }

    /** Message, toString and stack of a throwable with all its causes, suppressed and next exceptions. */
    private static String everything(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>(List.of(failure));
        while (!todo.isEmpty()) {
            Throwable t = todo.removeLast();
            if (t == null || !seen.add(t)) {
                continue;
            }
            text.append(t).append('\n').append(t.getMessage()).append('\n').append(t.getLocalizedMessage())
                    .append('\n');
            todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
            if (t instanceof SQLException sql) {
                todo.add(sql.getNextException());
            }
        }
        return text.toString();
    }

    /**
     * Regular files changed since the test began in the temporary directory and the working directory (the library
     * writes none; anything there with a password would be a leak), leaving out the private cluster's own files.
     */
    private static List<Path> filesWrittenSince(Instant since, Path clusterDirectory) throws IOException {
        List<Path> files = new ArrayList<>();
        FileTime after = FileTime.from(since);
        for (Path root : List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("").toAbsolutePath())) {
            try (Stream<Path> paths = Files.walk(root, 6)) {
                paths.filter(path -> !path.startsWith(clusterDirectory)).filter(path -> {
                    try {
                        return Files.isRegularFile(path) && Files.isReadable(path)
                                && Files.getLastModifiedTime(path).compareTo(after) > 0
                                && Files.size(path) < 64L * 1024 * 1024;
                    } catch (IOException e) {
                        return false;
                    }
                }).forEach(files::add);
            } catch (java.io.UncheckedIOException e) {
                // Other processes' temporary files may vanish while we walk; what was seen is checked.
            }
        }
        return files;
    }

    @Test
    void nothingListeningOnThePortSaysConnectionRefusedWithHostAndPort(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        int port = unusedPort();
        Failures failures = failuresOf(db.brokerSettings().host("127.0.0.1").port(port).namespace("rel")
                .connectionTimeout(SHORT).enqueueAttempts(1).build());
        failures.allContain("127.0.0.1:" + port, "refused", "Nothing is listening there", "host and port");
    }

    @Test
    void tlsRequiredOnAServerWithoutTlsSaysSo(TestDatabaseServer db, TestQueues queues) throws Exception {
        Failures failures = failuresOf(db.brokerSettings().namespace("rel").driverOption("sslmode", "require")
                .connectionTimeout(SHORT).enqueueAttempts(1).build());
        failures.allContain("does not support SSL", "TLS was required", "sslmode");
    }

    @Test
    void anUnknownDatabaseIsNamed(TestDatabaseServer db, TestQueues queues) throws Exception {
        String database = "supaqueue_no_such_db_" + ThreadLocalRandom.current().nextInt(1_000_000);
        Failures failures = failuresOf(db.brokerSettings().database(database).namespace("rel")
                .connectionTimeout(SHORT).enqueueAttempts(1).build());
        failures.allContain(database, "does not exist", "check the database name");
    }

    @Test
    void aRoleWithoutPgmqRightsIsToldWhichRightsItLacks(TestDatabaseServer db, TestQueues queues) throws Exception {
        String role = "supaqueue_rel_norights_" + ThreadLocalRandom.current().nextInt(1_000_000);
        try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
            // The name is made of letters, digits and underscores above.
            statement.execute("CREATE ROLE " + role + " LOGIN");
        }
        try {
            SupabaseBrokerSettings settings = db.brokerSettings().user(role).password(null).namespace("rel")
                    .connectionTimeout(SHORT).enqueueAttempts(1).build();
            try (Connection connection = ConnectionPools.connectOnce(settings, SHORT, "supaqueue-rel-test")) {
                assertThat(PgmqProbe.access(connection)).isEqualTo(PgmqAccess.NONE);
            }
            try (SupabaseBroker broker = new SupabaseBroker(settings, List.of())) {
                Throwable failure = catchThrowable(() -> ActorDefinition.named("job").on(broker)
                        .consumer(Integer.class, i -> { }));
                record("no pgmq rights, broker", failure);
                assertThat(failure).isInstanceOf(BrokerException.class);
                assertThat(failure.getMessage()).contains("permission denied", "pgmq", "GRANT USAGE ON SCHEMA pgmq");
            }
        } finally {
            try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
                statement.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    /** The one run of the failures of these settings through each entry point. */
    private Failures failuresOf(SupabaseBrokerSettings settings) throws Exception {
        List<String> messages = new ArrayList<>();
        // The broker connects lazily: construction works, the first use fails.
        try (SupabaseBroker broker = new SupabaseBroker(settings, List.of())) {
            Throwable failure = catchThrowable(() -> ActorDefinition.named("job").on(broker)
                    .consumer(Integer.class, i -> { }));
            assertThat(failure).as("first use of the broker").isInstanceOf(BrokerException.class);
            messages.add(record("broker first use", failure));
        }
        try (QueueAdmin admin = QueueAdmin.connect(settings, AdminOptions.defaults())) {
            HealthReport health = admin.health();
            assertThat(health.status()).isEqualTo(HealthReport.Status.DOWN);
            messages.add(record("admin health", String.join("; ", health.problems())));
            Throwable failure = catchThrowable(admin::queues);
            assertThat(failure).as("admin queues()").isNotNull();
            messages.add(record("admin queues()", failure));
        }
        Throwable failure = catchThrowable(() -> {
            try (Connection connection = ConnectionPools.connectOnce(settings, SHORT, "supaqueue-rel-test")) {
                PgmqProbe.detect(connection);
            }
        });
        assertThat(failure).as("connectOnce").isInstanceOf(SQLException.class);
        messages.add(record("connectOnce", failure));
        return new Failures(messages);
    }

    private String record(String where, Throwable failure) {
        if (failure != null) {
            thrown.add(failure);
        }
        return record(where, failure == null ? "(no failure)" : failure.getClass().getSimpleName() + ": "
                + failure.getMessage());
    }

    private String record(String where, String message) {
        said.add(where + " -> " + message);
        log.info("connection settings: {} -> {}", where, message);
        return message;
    }

    private record Failures(List<String> messages) {
        void allContain(String... words) {
            assertThat(messages).allSatisfy(message -> assertThat(message).contains(words));
        }

        void allContainAnyOf(String... words) {
            assertThat(messages).allSatisfy(message -> assertThat(message).containsAnyOf(words));
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
