package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The statement choices for other pgmq versions than the test database's, by forcing the installation the
 * client believes in.
 *
 * <p>Older versions: the client restricts itself to what 1.4.4 has, which every later version still has.
 * Newer versions: the functions they add are created inside a transaction that is rolled back (PostgreSQL DDL is
 * transactional, so no other session ever sees them), unless the database already has them.
 */
@PgmqIntegrationTest
class PgmqClientVersionsIT {

    @Test
    void onPgmq144DelaysRoundUpToWholeSeconds(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client144(db);
        String queue = queues.create("v144_delay");

        long single = client.send(queue, "{\"d\":1}", Duration.ofMillis(300));
        List<Long> batch = client.sendBatch(queue, List.of("{\"b\":1}"), Duration.ofMillis(300));
        Thread.sleep(500);
        assertThat(client.read(queue, 30, 10)).as("300 ms became 1 s").isEmpty();

        Thread.sleep(800);
        assertThat(client.read(queue, 30, 10)).extracting(PgmqMessage::msgId).containsExactly(single, batch.get(0));
    }

    @Test
    void onPgmq144HeadersAndConditionalReadsAreRefusedNotDropped(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client144(db);
        String queue = queues.create("v144_headers");

        assertThatThrownBy(() -> client.send(queue, "{}", "{\"h\":1}", Duration.ZERO))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("message headers needs pgmq 1.5.0 or newer")
                .hasMessageContaining("1.4.4");
        assertThatThrownBy(() -> client.sendBatch(queue, List.of("{}"), List.of("{\"h\":1}"), Duration.ZERO))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("1.5.0");
        assertThatThrownBy(() -> client.read(queue, 30, 1, "{\"a\":1}"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("1.5.0");
        assertThat(client.metrics(queue).queueLength()).as("nothing was sent").isZero();

        // Without headers everything works; null headers are simply no headers.
        long id = client.send(queue, "{\"plain\":true}", null, Duration.ZERO);
        assertThat(client.read(queue, 30, 1)).extracting(PgmqMessage::msgId).containsExactly(id);
    }

    @Test
    void onPgmq144DropQueueChecksMetaFirstAndOtherOperationsWork(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client144(db);
        String queue = queues.track(queues.newName("v144_ops"));
        client.createQueue(queue);
        assertThat(client.queueExists(queue)).isTrue();

        List<Long> ids = client.sendBatch(queue, List.of("{}", "{}", "{}"));
        assertThat(client.read(queue, 300, 3)).hasSize(3);
        assertThat(client.setVt(queue, ids, 0)).as("one statement per id in one transaction").hasSize(3);
        assertThat(client.pop(queue)).get().extracting(PgmqMessage::msgId).isEqualTo(ids.get(0));
        assertThatThrownBy(() -> client.pop(queue, 2))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("1.7.0");
        assertThatThrownBy(() -> client.enableNotifyInsert(queue))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("1.7.0");
        assertThat(client.delete(queue, List.of(ids.get(1)))).containsExactly(ids.get(1));
        assertThat(client.archive(queue, ids.get(2))).isTrue();

        assertThat(client.dropQueue(queue)).isTrue();
        assertThat(client.dropQueue(queue)).as("missing: false, not an error").isFalse();
        assertThat(client.queueExists(queue)).isFalse();
    }

    @Test
    void onPgmq15xDropQueueOfAMissingQueueIsFalse(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = new PgmqClient(TestDataSources.of(db), installation("1.5.1"));
        assertThat(client.dropQueue(queues.newName("v151_missing"))).isFalse();
        String queue = queues.create("v151_drop");
        assertThat(client.dropQueue(queue)).isTrue();
    }

    @Test
    void onPgmq110TheArrayAndTimestampOverloadsAreUsed(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("v110_overloads");
        PgmqClient client = new PgmqClient(TestDataSources.of(db), installation("1.10.0"));
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            try {
                addNewerFunctions(connection);
                PgmqSession session = client.session(connection);

                List<Long> ids = session.sendBatch(queue, List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"));
                // Own-session reads: the uncommitted messages are visible to this transaction only.
                assertThat(session.read(queue, 300, 2)).hasSize(2);

                List<PgmqMessage> changed = session.setVt(queue, List.of(ids.get(1), ids.get(0), 987_654_321L), 0);
                assertThat(changed).extracting(PgmqMessage::msgId).containsExactly(ids.get(0), ids.get(1));

                OffsetDateTime before = now(connection);
                PgmqMessage one = session.setVt(queue, ids.get(2), Duration.ofMillis(1500)).orElseThrow();
                assertThat(one.vt()).as("milliseconds, not rounded up to 2 s")
                        .isBetween(before.plusNanos(1_500_000_000L).toInstant(),
                                before.plusNanos(1_900_000_000L).toInstant());
                List<PgmqMessage> many = session.setVt(queue, List.of(ids.get(3)), Duration.ofMillis(700));
                assertThat(many).singleElement().satisfies(m -> assertThat(m.vt())
                        .isBetween(before.plusNanos(700_000_000L).toInstant(), before.plusNanos(1_100_000_000L).toInstant()));

                assertThat(session.pop(queue, 5)).extracting(PgmqMessage::msgId).containsExactly(ids.get(0), ids.get(1));
                session.enableNotifyInsert(queue);
                session.enableNotifyInsert(queue, Duration.ofMillis(100));
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
        assertThat(client(db).metrics(queue).queueLength()).as("all rolled back").isZero();
    }

    @Test
    void withoutPgmqEveryOperationFailsClearly(TestDatabaseServer db) {
        PgmqClient client = new PgmqClient(TestDataSources.of(db),
                new PgmqInstallation(PgmqFlavour.ABSENT, null, false, false));
        assertThat(client.supports(PgmqFeature.HEADERS)).isFalse();
        assertThatThrownBy(() -> client.send("jobs", "{}"))
                .isInstanceOf(PgmqException.class)
                .hasMessageContaining("pgmq send on queue \"jobs\" failed")
                .hasMessageContaining("pgmq is not installed in this database");
        assertThatThrownBy(() -> client.inTransaction(session -> null))
                .isInstanceOf(PgmqException.class).hasMessageContaining("not installed");
    }

    /**
     * Minimal stand-ins for functions of newer pgmq versions, for the duration of the caller's transaction: they
     * only have to accept the calls the client makes and behave as pgmq documents.
     */
    private static void addNewerFunctions(Connection connection) throws SQLException {
        if (!exists(connection, "pgmq.set_vt(text,bigint,timestamp with time zone)")) {
            execute(connection, """
                    CREATE FUNCTION pgmq.set_vt(queue_name text, msg_id bigint, vt timestamptz)
                    RETURNS SETOF pgmq.message_record LANGUAGE plpgsql AS $$
                    BEGIN
                        RETURN QUERY EXECUTE format(
                            'UPDATE pgmq.%I SET vt = $1 WHERE msg_id = $2
                             RETURNING msg_id, read_ct, enqueued_at, vt, message, headers',
                            pgmq.format_table_name(queue_name, 'q'))
                            USING vt, msg_id;
                    END $$""");
        }
        if (!exists(connection, "pgmq.set_vt(text,bigint[],integer)")) {
            execute(connection, """
                    CREATE FUNCTION pgmq.set_vt(queue_name text, msg_ids bigint[], vt integer)
                    RETURNS SETOF pgmq.message_record LANGUAGE sql AS $$
                        SELECT changed.* FROM unnest(msg_ids) AS ids(id),
                               LATERAL pgmq.set_vt(queue_name, ids.id, vt) AS changed
                    $$""");
        }
        if (!exists(connection, "pgmq.set_vt(text,bigint[],timestamp with time zone)")) {
            execute(connection, """
                    CREATE FUNCTION pgmq.set_vt(queue_name text, msg_ids bigint[], vt timestamptz)
                    RETURNS SETOF pgmq.message_record LANGUAGE sql AS $$
                        SELECT changed.* FROM unnest(msg_ids) AS ids(id),
                               LATERAL pgmq.set_vt(queue_name, ids.id, vt) AS changed
                    $$""");
        }
        if (!exists(connection, "pgmq.pop(text,integer)")) {
            execute(connection, """
                    CREATE FUNCTION pgmq.pop(queue_name text, qty integer)
                    RETURNS SETOF pgmq.message_record LANGUAGE plpgsql AS $$
                    DECLARE
                        popped pgmq.message_record;
                    BEGIN
                        FOR i IN 1..qty LOOP
                            SELECT * INTO popped FROM pgmq.pop(queue_name);
                            EXIT WHEN popped.msg_id IS NULL;
                            RETURN NEXT popped;
                        END LOOP;
                    END $$""");
        }
        if (!exists(connection, "pgmq.enable_notify_insert(text,integer)")) {
            execute(connection, """
                    CREATE FUNCTION pgmq.enable_notify_insert(queue_name text, throttle_interval_ms integer)
                    RETURNS void LANGUAGE sql AS $$ SELECT $$""");
        }
    }

    private static boolean exists(Connection connection, String signature) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regprocedure(?::text) IS NOT NULL")) {
            statement.setString(1, signature);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static OffsetDateTime now(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT clock_timestamp()");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getObject(1, OffsetDateTime.class);
        }
    }

    private static PgmqClient client144(TestDatabaseServer db) {
        return new PgmqClient(TestDataSources.of(db), installation("1.4.4"));
    }

    private static PgmqClient client(TestDatabaseServer db) {
        return new PgmqClient(TestDataSources.of(db));
    }

    private static PgmqInstallation installation(String version) {
        return new PgmqInstallation(PgmqFlavour.EXTENSION, PgmqVersion.parse(version), false, false);
    }
}
