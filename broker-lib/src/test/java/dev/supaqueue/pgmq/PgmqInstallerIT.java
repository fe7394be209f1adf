package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PgmqInstaller and PgmqProbe against a PostgreSQL server on 127.0.0.1:5432 (user PGUSER, default postgres;
 * PGPASSWORD if needed). Every test works in a database of its own, created and dropped here, so it starts
 * from "no pgmq" and can fake other installations.
 */
class PgmqInstallerIT {

    private static final String SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String COMPAT_DESCRIPTION =
            "Supaqueue pgmq-compatible schema (pgmq 1.5.1 API, with insert notifications)";
    private static final PgmqInstallation COMPAT = new PgmqInstallation(PgmqFlavour.SUPAQUEUE_COMPAT,
            new PgmqVersion(1, 5, 1), false, false, Set.of(PgmqFeature.NOTIFY_INSERT));

    @BeforeAll
    static void serverIsReachable() {
        try (Connection admin = DriverManager.getConnection(SERVER_URL + "postgres", credentials())) {
            assertThat(admin.isValid(5)).isTrue();
        } catch (SQLException e) {
            throw new IllegalStateException("PgmqInstallerIT needs a PostgreSQL server on 127.0.0.1:5432 whose user "
                    + "(PGUSER, default postgres; PGPASSWORD if needed) may create databases: " + e.getMessage(), e);
        }
    }

    @Test
    void ensureInstalledProvidesPgmqAndIsIdempotent() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            PgmqInstallation before = PgmqProbe.detect(connection);
            assertThat(before).isEqualTo(new PgmqInstallation(PgmqFlavour.ABSENT, null, false, false));
            assertThat(before.describe()).isEqualTo("no pgmq");

            PgmqInstallation first = PgmqInstaller.ensureInstalled(connection);
            if (PgmqProbe.extensionAvailable(connection)) {
                assertThat(first.flavour()).isEqualTo(PgmqFlavour.EXTENSION);
            } else {
                assertThat(first).isEqualTo(COMPAT);
                assertThat(first.describe()).isEqualTo(COMPAT_DESCRIPTION);
            }
            assertThat(connection.getAutoCommit()).as("auto-commit restored").isTrue();

            assertThat(PgmqInstaller.ensureInstalled(connection)).isEqualTo(first);
            assertThat(PgmqInstaller.ensureInstalled(connection)).isEqualTo(first);
            assertThat(PgmqProbe.detect(connection)).isEqualTo(first);
            sendAndReadOneMessage(connection);
        }
    }

    @Test
    void compatSchemaCanBeReappliedWithoutLosingQueues() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            PgmqInstaller.installCompatSchema(connection);
            execute(connection, "SELECT pgmq.create('kept')");
            execute(connection, "SELECT * FROM pgmq.send('kept', '{\"n\":1}'::jsonb)");

            PgmqInstaller.installCompatSchema(connection);
            PgmqInstaller.installCompatSchema(connection);

            assertThat(PgmqProbe.detect(connection).describe()).isEqualTo(COMPAT_DESCRIPTION);
            assertThat(queryLong(connection, "SELECT queue_length FROM pgmq.metrics('kept')")).isEqualTo(1);
            assertThat(queryLong(connection, "SELECT count(*) FROM pgmq.list_queues()")).isEqualTo(1);
        }
    }

    @Test
    void compatSchemaOfAnOlderRevisionIsUpgraded() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            PgmqInstaller.installCompatSchema(connection);
            // A marker of the revision-1 shape, claiming revision 0.
            execute(connection, "DROP FUNCTION pgmq._supaqueue_compat()");
            execute(connection, """
                    CREATE FUNCTION pgmq._supaqueue_compat()
                    RETURNS TABLE (api_version text, schema_revision integer)
                    LANGUAGE sql IMMUTABLE AS $$ SELECT '1.5.1'::text, 0 $$""");
            assertThat(PgmqProbe.compatSchemaRevision(connection)).isZero();

            PgmqInstallation upgraded = PgmqInstaller.ensureInstalled(connection);

            assertThat(upgraded.flavour()).isEqualTo(PgmqFlavour.SUPAQUEUE_COMPAT);
            assertThat(PgmqProbe.compatSchemaRevision(connection)).isEqualTo(PgmqInstaller.COMPAT_SCHEMA_REVISION);
        }
    }

    @Test
    void revision1IsUpgradedInPlaceKeepingQueuesAndMessages() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            runScript(connection, revision1Sql());
            PgmqInstallation old = PgmqProbe.detect(connection);
            assertThat(old).isEqualTo(new PgmqInstallation(PgmqFlavour.SUPAQUEUE_COMPAT, new PgmqVersion(1, 5, 1),
                    false, false));
            assertThat(old.supports(PgmqFeature.NOTIFY_INSERT)).isFalse();
            assertThat(PgmqProbe.compatSchemaRevision(connection)).isOne();

            execute(connection, "SELECT pgmq.create('kept')");
            execute(connection, "SELECT pgmq.create_unlogged('kept_fast')");
            execute(connection, "SELECT * FROM pgmq.send('kept', '{\"n\":1}'::jsonb, '{\"h\":1}'::jsonb)");
            execute(connection, "SELECT * FROM pgmq.send('kept', '{\"n\":2}'::jsonb)");
            execute(connection, "SELECT * FROM pgmq.send('kept', '{\"n\":3}'::jsonb, 3600)");
            execute(connection, "SELECT * FROM pgmq.send_batch('kept', ARRAY['{\"n\":4}', '{\"n\":5}']::jsonb[])");
            execute(connection, "SELECT * FROM pgmq.read('kept', 600, 1)");
            execute(connection, "SELECT pgmq.archive('kept', 2::bigint)");
            execute(connection, "SELECT * FROM pgmq.send('kept_fast', '{\"fast\":true}'::jsonb)");
            String before = contents(connection);

            PgmqInstallation upgraded = PgmqInstaller.ensureInstalled(connection);

            assertThat(upgraded).isEqualTo(COMPAT);
            assertThat(PgmqProbe.compatSchemaRevision(connection)).isEqualTo(PgmqInstaller.COMPAT_SCHEMA_REVISION)
                    .isEqualTo(2);
            assertThat(contents(connection)).as("queues, messages, archive, persistence").isEqualTo(before);
            assertThat(queryLong(connection, "SELECT * FROM pgmq.send('kept', '{\"n\":6}'::jsonb)"))
                    .as("the id sequence goes on").isEqualTo(6);

            // The upgraded schema notifies on a queue created before the upgrade.
            execute(connection, "SELECT pgmq.enable_notify_insert('kept', 0)");
            execute(connection, "LISTEN \"pgmq.q_kept.INSERT\"");
            execute(connection, "SELECT * FROM pgmq.send('kept', '{\"n\":7}'::jsonb)");
            assertThat(notificationsOf(connection, Duration.ofSeconds(5)))
                    .extracting(PGNotification::getName).containsExactly("pgmq.q_kept.INSERT");

            // Re-applying revision 2 keeps the notification set-up as well.
            String upgradedContents = contents(connection);
            PgmqInstaller.installCompatSchema(connection);
            runScript(connection, PgmqInstaller.compatSchemaSql());
            assertThat(contents(connection)).isEqualTo(upgradedContents);
            assertThat(PgmqProbe.detect(connection)).isEqualTo(COMPAT);
            execute(connection, "SELECT * FROM pgmq.send('kept', '{\"n\":8}'::jsonb)");
            assertThat(notificationsOf(connection, Duration.ofSeconds(5))).hasSize(1);
        }
    }

    @Test
    void anUnknownFeatureInTheMarkerIsIgnored() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            PgmqInstaller.installCompatSchema(connection);
            execute(connection, """
                    CREATE OR REPLACE FUNCTION pgmq._supaqueue_compat()
                    RETURNS TABLE (api_version text, schema_revision integer, features text[])
                    LANGUAGE sql IMMUTABLE AS $$ SELECT '1.5.1'::text, 99, ARRAY['notify_insert', 'time_travel'] $$""");
            assertThat(PgmqProbe.detect(connection)).isEqualTo(COMPAT);
            assertThat(PgmqInstaller.ensureInstalled(connection)).as("a newer revision is left alone").isEqualTo(COMPAT);
            assertThat(PgmqProbe.compatSchemaRevision(connection)).isEqualTo(99);
        }
    }

    @Test
    void installerJoinsTheCallersOpenTransaction() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            PgmqInstaller.installCompatSchema(connection);
            assertThat(PgmqProbe.detect(connection).flavour()).isEqualTo(PgmqFlavour.SUPAQUEUE_COMPAT);
            connection.rollback();

            assertThat(connection.getAutoCommit()).isFalse();
            assertThat(PgmqProbe.detect(connection).flavour()).isEqualTo(PgmqFlavour.ABSENT);
        }
    }

    @Test
    void concurrentInstallersWaitForEachOther() throws Exception {
        try (FreshDatabase db = new FreshDatabase()) {
            int installers = 4;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(installers);
            try {
                List<Future<PgmqInstallation>> results = new ArrayList<>();
                for (int i = 0; i < installers; i++) {
                    Callable<PgmqInstallation> install = () -> {
                        try (Connection connection = db.connect()) {
                            start.await();
                            return PgmqInstaller.ensureInstalled(connection);
                        }
                    };
                    results.add(pool.submit(install));
                }
                start.countDown();
                List<PgmqInstallation> outcomes = new ArrayList<>();
                for (Future<PgmqInstallation> result : results) {
                    outcomes.add(result.get(60, TimeUnit.SECONDS));
                }
                assertThat(outcomes).hasSize(installers).allSatisfy(outcome ->
                        assertThat(outcome.flavour()).isIn(PgmqFlavour.SUPAQUEUE_COMPAT, PgmqFlavour.EXTENSION));
                assertThat(outcomes).containsOnly(outcomes.get(0));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void publicWrappersInstallIdempotentlyAndWork() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            PgmqInstaller.installCompatSchema(connection);
            PgmqInstaller.installPublicWrappers(connection);
            PgmqInstaller.installPublicWrappers(connection);
            assertThat(PgmqProbe.detect(connection).publicWrappers()).isTrue();
            assertThat(connection.getAutoCommit()).isTrue();

            execute(connection, "SELECT pgmq.create('wrapped')");
            long id = queryLong(connection, "SELECT * FROM pgmq_public.send('wrapped', '{\"via\":\"public\"}'::jsonb)");
            assertThat(queryLong(connection, "SELECT msg_id FROM pgmq_public.read('wrapped', 30, 5)")).isEqualTo(id);
            assertThat(queryLong(connection, "SELECT pgmq_public.delete('wrapped', " + id + "::bigint)::int")).isOne();
        }
    }

    @Test
    void publicWrappersNeedPgmq() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            assertThatThrownBy(() -> PgmqInstaller.installPublicWrappers(connection))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no pgmq");
            assertThat(connection.getAutoCommit()).isTrue();
        }
    }

    @Test
    void neverInstallsOverPgmqInstalledAsSql() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            fakeSqlOnlyPgmq(connection);
            PgmqInstallation sqlOnly = PgmqProbe.detect(connection);
            assertThat(sqlOnly).isEqualTo(new PgmqInstallation(PgmqFlavour.SQL_ONLY, new PgmqVersion(1, 4, 0), true, false));
            assertThat(sqlOnly.describe())
                    .isEqualTo("pgmq installed as SQL (no extension), version ≥ 1.4.0 by feature probe");

            assertThatThrownBy(() -> PgmqInstaller.installCompatSchema(connection))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Refusing")
                    .hasMessageContaining("real pgmq");
            assertThat(connection.getAutoCommit()).as("auto-commit restored after the refusal").isTrue();

            assertThat(PgmqInstaller.ensureInstalled(connection)).isEqualTo(sqlOnly);

            // The script guards itself too, for anyone who runs it by hand.
            assertThatThrownBy(() -> execute(connection, PgmqInstaller.compatSchemaSql()))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("must not replace it");
            assertThat(queryLong(connection,
                    "SELECT count(*) FROM pg_proc WHERE pronamespace = 'pgmq'::regnamespace")).isOne();
        }
    }

    @Test
    void featureProbeEstimatesTheVersionOfPgmqInstalledAsSql() throws Exception {
        try (FreshDatabase db = new FreshDatabase(); Connection connection = db.connect()) {
            fakeSqlOnlyPgmq(connection);
            execute(connection, "CREATE TYPE pgmq.message_record AS (msg_id bigint, read_ct integer,"
                    + " enqueued_at timestamptz, vt timestamptz, message jsonb, headers jsonb)");
            assertThat(PgmqProbe.detect(connection).version()).isEqualTo(new PgmqVersion(1, 5, 0));

            execute(connection, "CREATE FUNCTION pgmq.enable_notify_insert(queue_name text) RETURNS void"
                    + " LANGUAGE sql AS 'SELECT'");
            assertThat(PgmqProbe.detect(connection).version()).isEqualTo(new PgmqVersion(1, 7, 0));

            execute(connection, "CREATE FUNCTION pgmq.set_vt(queue_name text, msg_ids bigint[], vt integer)"
                    + " RETURNS SETOF pgmq.message_record LANGUAGE sql AS 'SELECT NULL::pgmq.message_record'");
            assertThat(PgmqProbe.detect(connection).version()).isEqualTo(new PgmqVersion(1, 8, 0));

            execute(connection, "CREATE FUNCTION pgmq.read_grouped(queue_name text, vt integer, qty integer)"
                    + " RETURNS SETOF pgmq.message_record LANGUAGE sql AS 'SELECT NULL::pgmq.message_record'");
            assertThat(PgmqProbe.detect(connection).version()).isEqualTo(new PgmqVersion(1, 9, 0));

            execute(connection, "ALTER TYPE pgmq.message_record ADD ATTRIBUTE last_read_at timestamptz");
            assertThat(PgmqProbe.detect(connection).version()).isEqualTo(new PgmqVersion(1, 10, 0));

            execute(connection, "CREATE FUNCTION pgmq.bind_topic(pattern text, queue_name text) RETURNS void"
                    + " LANGUAGE sql AS 'SELECT'");
            assertThat(PgmqProbe.detect(connection).version()).isEqualTo(new PgmqVersion(1, 11, 0));

            execute(connection, "CREATE FUNCTION pgmq.read_grouped_head(queue_name text, vt integer, qty integer)"
                    + " RETURNS SETOF pgmq.message_record LANGUAGE sql AS 'SELECT NULL::pgmq.message_record'");
            PgmqInstallation newest = PgmqProbe.detect(connection);
            assertThat(newest.version()).isEqualTo(new PgmqVersion(1, 11, 1));
            assertThat(newest.versionIsLowerBound()).isTrue();
            assertThat(newest.describe())
                    .isEqualTo("pgmq installed as SQL (no extension), version ≥ 1.11.1 by feature probe");
        }
    }

    @Test
    void compatScriptDeclaresTheRevisionTheInstallerExpects() {
        Matcher marker = Pattern.compile("SELECT '([0-9.]+)'::text, (\\d+)").matcher(PgmqInstaller.compatSchemaSql());
        assertThat(marker.find()).as("marker function in pgmq-compat.sql").isTrue();
        assertThat(marker.group(1)).isEqualTo("1.5.1");
        assertThat(Integer.parseInt(marker.group(2))).isEqualTo(PgmqInstaller.COMPAT_SCHEMA_REVISION);
        assertThat(PgmqInstaller.publicWrappersSql()).contains("pgmq_public.send", "SECURITY INVOKER");
    }

    @Test
    void devSchemaToolInstallsAndReportsWithoutPrintingThePassword() throws Exception {
        try (FreshDatabase db = new FreshDatabase()) {
            String url = db.url() + "?user=" + credentials().getProperty("user") + "&ApplicationName=installer-it";
            Output install = runTool(List.of("install", url, "--with-public-wrappers"));
            assertThat(install.exitCode()).as(install.err()).isZero();
            assertThat(install.out()).contains("Installed:", "pgmq_public wrappers: installed",
                    "Supabase projects use the real pgmq extension");

            Output info = runTool(List.of("info", url));
            assertThat(info.exitCode()).as(info.err()).isZero();
            assertThat(info.out()).contains("pgmq_public wrappers: present");

            Output withPassword = runTool(List.of("info", url + "&password=s3cret-value"));
            assertThat(withPassword.out() + withPassword.err()).doesNotContain("s3cret-value").contains("password=***");
        }
    }

    @Test
    void devSchemaToolRejectsBadArgumentsWithUsage() {
        for (List<String> arguments : List.of(List.<String>of(), List.of("info"), List.of("frobnicate", "jdbc:postgresql://x/y"),
                List.of("info", "postgres://x/y"), List.of("install", "jdbc:postgresql://x/y", "--force"))) {
            Output output = runTool(arguments);
            assertThat(output.exitCode()).as(arguments.toString()).isEqualTo(PgmqDevSchemaTool.BAD_ARGUMENTS);
            assertThat(output.err()).contains("Usage:");
        }
    }

    @Test
    void passwordsAreMaskedInPrintedUrls() {
        assertThat(PgmqDevSchemaTool.maskPassword("jdbc:postgresql://h:5432/db?user=u&password=p%40ss&ssl=true"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=u&password=***&ssl=true");
        assertThat(PgmqDevSchemaTool.maskPassword("jdbc:postgresql://h/db?password=x"))
                .isEqualTo("jdbc:postgresql://h/db?password=***");
        assertThat(PgmqDevSchemaTool.maskPassword("jdbc:postgresql://h/db?sslpassword=k&user=u"))
                .isEqualTo("jdbc:postgresql://h/db?sslpassword=***&user=u");
        assertThat(PgmqDevSchemaTool.maskPassword("jdbc:postgresql://u:secret@h:5432/db"))
                .isEqualTo("jdbc:postgresql://u:***@h:5432/db");
        assertThat(PgmqDevSchemaTool.maskPassword("jdbc:postgresql://h:5432/db")).isEqualTo("jdbc:postgresql://h:5432/db");
    }

    // ------------------------------------------------------------------------------------------------

    /** A pgmq installed as plain SQL, reduced to what detection looks at: schema pgmq with a send function. */
    private static void fakeSqlOnlyPgmq(Connection connection) throws SQLException {
        execute(connection, "CREATE SCHEMA pgmq");
        execute(connection, "CREATE FUNCTION pgmq.send(queue_name text, msg jsonb) RETURNS SETOF bigint"
                + " LANGUAGE sql AS 'SELECT 1::bigint'");
    }

    private static void sendAndReadOneMessage(Connection connection) throws SQLException {
        execute(connection, "SELECT pgmq.create('installer_smoke')");
        long id = queryLong(connection, "SELECT * FROM pgmq.send('installer_smoke', '{\"ok\":true}'::jsonb)");
        assertThat(queryLong(connection, "SELECT msg_id FROM pgmq.read('installer_smoke', 30, 1)")).isEqualTo(id);
    }

    private static String revision1Sql() throws IOException {
        try (InputStream in = PgmqInstallerIT.class.getResourceAsStream("pgmq-compat-revision1.sql")) {
            assertThat(in).as("test resource pgmq-compat-revision1.sql").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A whole script in one transaction, as PgmqInstaller runs it. */
    private static void runScript(Connection connection, String sql) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(sql);
            connection.commit();
        } finally {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    /** Everything an upgrade must keep, as text: the queue list, every row, and which tables are unlogged. */
    private static String contents(Connection connection) throws SQLException {
        StringBuilder all = new StringBuilder();
        for (String sql : List.of(
                "SELECT string_agg(format('%s %s %s %s', queue_name, is_partitioned, is_unlogged, created_at), ';'"
                        + " ORDER BY queue_name) FROM pgmq.list_queues()",
                "SELECT string_agg(format('%s %s %s %s %s %s', msg_id, read_ct, enqueued_at, vt, message, headers), ';'"
                        + " ORDER BY msg_id) FROM pgmq.q_kept",
                "SELECT string_agg(format('%s %s %s %s', msg_id, read_ct, archived_at, message), ';' ORDER BY msg_id)"
                        + " FROM pgmq.a_kept",
                "SELECT string_agg(format('%s %s', msg_id, message), ';' ORDER BY msg_id) FROM pgmq.q_kept_fast",
                "SELECT string_agg(format('%s %s', relname, relpersistence), ';' ORDER BY relname) FROM pg_class"
                        + " WHERE relnamespace = 'pgmq'::regnamespace AND relkind = 'r'"
                        + " AND relname IN ('meta', 'q_kept', 'a_kept', 'q_kept_fast', 'a_kept_fast')")) {
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                row.next();
                all.append(row.getString(1)).append('\n');
            }
        }
        return all.toString();
    }

    /** Waits up to the timeout for the first notifications to this connection, and returns them. */
    private static List<PGNotification> notificationsOf(Connection connection, Duration timeout) throws SQLException {
        PGNotification[] received = connection.unwrap(PGConnection.class).getNotifications((int) timeout.toMillis());
        return received == null ? List.of() : List.of(received);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).as("a row from " + sql).isTrue();
            return row.getLong(1);
        }
    }

    private record Output(int exitCode, String out, String err) {
    }

    private static Output runTool(List<String> arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exitCode = PgmqDevSchemaTool.run(arguments, environment(), outStream, errStream);
        }
        return new Output(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> environment() {
        String password = System.getenv("PGPASSWORD");
        return password == null ? Map.of() : Map.of("PGPASSWORD", password);
    }

    private static Properties credentials() {
        Properties credentials = new Properties();
        credentials.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            credentials.setProperty("password", password);
        }
        return credentials;
    }

    /** A database of its own for one test, dropped (with any connections left) when closed. */
    private static final class FreshDatabase implements AutoCloseable {
        private final String name = "supaqueue_installer_it_" + System.currentTimeMillis() + "_"
                + ThreadLocalRandom.current().nextInt(1_000_000);

        FreshDatabase() throws SQLException {
            try (Connection admin = DriverManager.getConnection(SERVER_URL + "postgres", credentials())) {
                // The name is letters, digits and underscores only (built above).
                execute(admin, "CREATE DATABASE " + name);
            }
        }

        String url() {
            return SERVER_URL + name;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url(), credentials());
        }

        @Override
        public void close() throws SQLException {
            try (Connection admin = DriverManager.getConnection(SERVER_URL + "postgres", credentials())) {
                execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }
}
