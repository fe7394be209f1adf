package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Insert notifications ({@code enable_notify_insert}) as a LISTENing connection sees them: on the real pgmq from
 * 1.7 and on Supaqueue's compat schema from revision 2. Tests of behaviour that only the compat schema promises
 * (or that needs the throttle of pgmq 1.8) are skipped elsewhere.
 *
 * <p>Counting is exact, without sleeping: after the inserts a sentinel NOTIFY is committed on another
 * connection, and PostgreSQL delivers notifications in commit order, so everything the inserts caused has
 * arrived once the sentinel has.
 */
@PgmqIntegrationTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgmqNotifyInsertIT {

    private static final Logger log = LoggerFactory.getLogger(PgmqNotifyInsertIT.class);

    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(10);

    @Test
    void aListenerIsNotifiedOfSendAndSendBatchOncePerCommittedTransaction(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        PgmqClient client = notifyingClient(db);
        String queue = queues.create("notify_send");
        String silent = queues.create("notify_silent");
        enable(db, queue, 0);

        try (Listener listener = new Listener(db, channel(queue), channel(silent))) {
            client.send(queue, "{\"n\":1}");
            List<PGNotification> afterSend = listener.untilSentinel(db);
            assertThat(afterSend).extracting(PGNotification::getName).containsExactly(channel(queue));
            assertThat(afterSend.get(0).getParameter()).as("no payload, as in pgmq").isEmpty();

            client.sendBatch(queue, List.of("{\"n\":2}", "{\"n\":3}", "{\"n\":4}"));
            assertThat(listener.untilSentinel(db)).as("three rows, one transaction")
                    .extracting(PGNotification::getName).containsExactly(channel(queue));

            client.send(queue, "{\"n\":5}");
            client.sendBatch(queue, List.of("{\"n\":6}"));
            client.send(queue, "{\"n\":7}", Duration.ofSeconds(30));
            assertThat(listener.untilSentinel(db)).as("three transactions, no throttle; delayed ones too")
                    .extracting(PGNotification::getName).containsExactly(channel(queue), channel(queue), channel(queue));

            client.send(silent, "{\"n\":8}");
            assertThat(listener.untilSentinel(db)).as("a queue without notifications").isEmpty();
        }
        assertThat(client.metrics(queue).queueLength()).isEqualTo(7);
    }

    @Test
    void aRolledBackSendNotifiesNobody(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = notifyingClient(db);
        String queue = queues.create("notify_rollback");
        enable(db, queue, 0);
        try (Listener listener = new Listener(db, channel(queue)); Connection sender = db.connect()) {
            sender.setAutoCommit(false);
            client.session(sender).send(queue, "{}");
            sender.rollback();
            assertThat(listener.untilSentinel(db)).isEmpty();
        }
    }

    @Test
    void afterDisableInsertsNotifyNoMore(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = notifyingClient(db);
        String queue = queues.create("notify_disable");
        client.enableNotifyInsert(queue);
        try (Listener listener = new Listener(db, channel(queue))) {
            client.send(queue, "{}");
            assertThat(listener.untilSentinel(db)).hasSize(1);

            client.disableNotifyInsert(queue);
            client.send(queue, "{}");
            client.sendBatch(queue, List.of("{}", "{}"));
            assertThat(listener.untilSentinel(db)).isEmpty();

            client.disableNotifyInsert(queue);
            assertThat(listener.untilSentinel(db)).as("disabling twice is harmless").isEmpty();
        }
        assertThat(client.metrics(queue).queueLength()).isEqualTo(4);
    }

    @Test
    void theThrottleCollapsesABurstButTheFirstInsertAfterAQuietIntervalNotifies(TestDatabaseServer db,
                                                                              TestQueues queues) throws Exception {
        PgmqClient client = throttlingClient(db);
        String queue = queues.create("notify_throttle");
        long throttleMillis = 1_500;
        enable(db, queue, (int) throttleMillis);

        try (Listener listener = new Listener(db, channel(queue))) {
            int burst = 20;
            long burstStart = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                client.send(queue, "{\"burst\":" + i + "}");
            }
            long burstMillis = millisSince(burstStart);
            int notified = listener.untilSentinel(db).size();
            log.info("{} sends in {} ms gave {} notifications (throttle {} ms)", burst, burstMillis, notified,
                    throttleMillis);
            // Claims are at least one interval apart and all fall within the burst.
            assertThat(notified).as("%d sends in %d ms", burst, burstMillis)
                    .isBetween(1, 1 + (int) (burstMillis / throttleMillis));
            assertThat(notified).isLessThan(burst);

            // Quiet for longer than the interval (setup, not an assertion): the next insert must notify.
            Thread.sleep(throttleMillis + 200);
            long first = System.nanoTime();
            client.send(queue, "{\"after\":\"quiet\"}");
            client.send(queue, "{\"right\":\"behind\"}");
            long pairMillis = millisSince(first);
            List<PGNotification> afterQuiet = listener.untilSentinel(db);
            if (pairMillis < throttleMillis) {
                assertThat(afterQuiet).as("the first notifies, the second is within its interval").hasSize(1);
            } else {
                log.warn("Two sends took {} ms on this machine; only checking the first one notified", pairMillis);
                assertThat(afterQuiet).isNotEmpty();
            }
        }
    }

    @Test
    void enablingAgainChangesTheThrottleAndTheNextInsertNotifies(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        PgmqClient client = throttlingClient(db);
        String queue = queues.create("notify_reenable");
        enable(db, queue, 60_000);
        try (Listener listener = new Listener(db, channel(queue))) {
            client.send(queue, "{}");
            client.send(queue, "{}");
            assertThat(listener.untilSentinel(db)).as("a minute's throttle").hasSize(1);

            enable(db, queue, 0);
            client.send(queue, "{}");
            client.send(queue, "{}");
            assertThat(listener.untilSentinel(db)).as("re-enabled without throttle").hasSize(2);
        }
        try (Connection connection = db.connect()) {
            assertThat(throttleRows(connection, queue)).containsExactly(queue + ":0");
            assertThat(notifyTriggers(connection, queue)).isOne();
        }
    }

    @Test
    void enableRefusesAMissingQueueAndANegativeThrottle(TestDatabaseServer db, TestQueues queues) throws Exception {
        throttlingClient(db);
        String queue = queues.create("notify_refuse");
        assertThatThrownBy(() -> enable(db, queues.newName("notify_missing"), 250))
                .isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> enable(db, queue, -1))
                .isInstanceOf(SQLException.class).hasMessageContaining("throttle_interval_ms");
    }

    // ---- What Supaqueue's compat schema promises beyond upstream ------------------------------------------

    @Test
    void droppingAQueueRemovesItsThrottleRowAndTrigger(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = compatClient(db);
        String queue = queues.create("notify_drop");
        String other = queues.create("notify_keep");
        client.enableNotifyInsert(queue);
        client.enableNotifyInsert(other);
        try (Connection connection = db.connect()) {
            assertThat(throttleRows(connection, queue)).containsExactly(queue + ":250");

            assertThat(client.dropQueue(queue)).isTrue();
            assertThat(throttleRows(connection, queue)).isEmpty();
            assertThat(throttleRows(connection, other)).as("other queues keep theirs").hasSize(1);

            // A queue created again under the name starts without notifications.
            client.createQueue(queue);
            assertThat(notifyTriggers(connection, queue)).isZero();
            try (Listener listener = new Listener(db, channel(queue))) {
                client.send(queue, "{}");
                assertThat(listener.untilSentinel(db)).isEmpty();
            }
        }
    }

    @Test
    void enablingAnEnabledQueueAgainLeavesItsTriggerAlone(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = compatClient(db);
        String queue = queues.create("notify_keep_trigger");
        client.enableNotifyInsert(queue);
        try (Connection connection = db.connect()) {
            long trigger = notifyTriggerOid(connection, queue);
            // Brokers enable on every declare; recreating the trigger would lock the table each time.
            client.enableNotifyInsert(queue);
            enable(db, queue, 0);
            assertThat(notifyTriggerOid(connection, queue)).isEqualTo(trigger);
            assertThat(throttleRows(connection, queue)).containsExactly(queue + ":0");

            client.disableNotifyInsert(queue);
            client.enableNotifyInsert(queue);
            assertThat(notifyTriggerOid(connection, queue)).isNotEqualTo(trigger);
        }
    }

    @Test
    void aSenderWithAnOpenTransactionDelaysNobodysNotification(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        PgmqClient client = compatClient(db);
        String queue = queues.create("notify_open_tx");
        enable(db, queue, 0);
        try (Listener listener = new Listener(db, channel(queue)); Connection open = db.connect()) {
            open.setAutoCommit(false);
            client.session(open).send(queue, "{\"outbox\":true}");

            // The trigger runs at commit, so the open transaction holds no lock another sender could wait on.
            CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> client.send(queue, "{}"));
            assertThat(other.get(10, TimeUnit.SECONDS)).isPositive();
            assertThat(listener.untilSentinel(db)).as("the other sender's commit").hasSize(1);

            open.commit();
            assertThat(listener.untilSentinel(db)).as("the outbox commit").hasSize(1);
        }
    }

    @Test
    void aRepeatableReadSenderCommitsAndNotifiesAfterOthersHaveNotified(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        PgmqClient client = compatClient(db);
        String queue = queues.create("notify_rr");
        enable(db, queue, 0);
        try (Listener listener = new Listener(db, channel(queue)); Connection serial = db.connect()) {
            serial.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            serial.setAutoCommit(false);
            try (Statement snapshot = serial.createStatement()) {
                snapshot.execute("SELECT count(*) FROM pgmq.notify_insert_throttle");
            }
            // Changes the throttle row after the snapshot: locking it would be a serialization failure.
            client.send(queue, "{}");
            client.session(serial).send(queue, "{\"isolation\":\"repeatable read\"}");
            serial.commit();

            assertThat(listener.untilSentinel(db)).hasSize(2);
        }
        assertThat(client.metrics(queue).queueLength()).isEqualTo(2);
    }

    @Test
    void withoutItsThrottleRowAQueueStillNotifies(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = compatClient(db);
        String queue = queues.create("notify_no_row");
        enable(db, queue, 60_000);
        try (Connection connection = db.connect();
             PreparedStatement lose = connection.prepareStatement(
                     "DELETE FROM pgmq.notify_insert_throttle WHERE queue_name = ?::text")) {
            // What a crash does to the unlogged table.
            lose.setString(1, queue);
            assertThat(lose.executeUpdate()).isOne();
        }
        try (Listener listener = new Listener(db, channel(queue))) {
            client.send(queue, "{}");
            client.send(queue, "{}");
            assertThat(listener.untilSentinel(db)).as("unthrottled rather than silent").hasSize(2);
        }
    }

    // ------------------------------------------------------------------------------------------------------

    /** The channel pgmq notifies for a queue: its table name (lowercased) between "pgmq." and ".INSERT". */
    static String channel(String queue) {
        return "pgmq.q_" + queue + ".INSERT";
    }

    private static PgmqClient notifyingClient(TestDatabaseServer db) {
        PgmqClient client = new PgmqClient(TestDataSources.of(db));
        if (db.pgmq().flavour() == PgmqFlavour.SUPAQUEUE_COMPAT) {
            assertThat(client.supports(PgmqFeature.NOTIFY_INSERT)).as(client.installation().describe()).isTrue();
        }
        assumeTrue(client.supports(PgmqFeature.NOTIFY_INSERT),
                client.installation().describe() + " has no insert notifications (pgmq 1.7)");
        return client;
    }

    /** The compat schema has pgmq 1.8's throttle argument without advertising the rest of 1.8. */
    private static PgmqClient throttlingClient(TestDatabaseServer db) {
        PgmqClient client = notifyingClient(db);
        assumeTrue(client.supports(PgmqFeature.NOTIFY_THROTTLE)
                        || client.installation().flavour() == PgmqFlavour.SUPAQUEUE_COMPAT,
                client.installation().describe() + " has no notification throttle (pgmq 1.8)");
        return client;
    }

    private static PgmqClient compatClient(TestDatabaseServer db) {
        PgmqClient client = notifyingClient(db);
        assumeTrue(client.installation().flavour() == PgmqFlavour.SUPAQUEUE_COMPAT,
                "a promise of Supaqueue's compat schema, not of " + client.installation().describe());
        return client;
    }

    /** {@code enable_notify_insert} with a throttle where it has one (pgmq 1.7 has none: every insert notifies). */
    private static void enable(TestDatabaseServer db, String queue, int throttleMillis) throws SQLException {
        try (Connection connection = db.connect()) {
            boolean throttled = queryBoolean(connection,
                    "SELECT to_regprocedure('pgmq.enable_notify_insert(text,integer)') IS NOT NULL");
            String sql = throttled ? "SELECT pgmq.enable_notify_insert(?::text, ?::integer)"
                    : "SELECT pgmq.enable_notify_insert(?::text)";
            try (PreparedStatement enable = connection.prepareStatement(sql)) {
                enable.setString(1, queue);
                if (throttled) {
                    enable.setInt(2, throttleMillis);
                }
                enable.execute();
            }
        }
    }

    /** {@code queue:throttle_interval_ms} of the queue's rows in pgmq.notify_insert_throttle. */
    private static List<String> throttleRows(Connection connection, String queue) throws SQLException {
        try (PreparedStatement rows = connection.prepareStatement("""
                SELECT queue_name || ':' || throttle_interval_ms FROM pgmq.notify_insert_throttle
                WHERE queue_name = ?::text""")) {
            rows.setString(1, queue);
            List<String> found = new ArrayList<>();
            try (ResultSet row = rows.executeQuery()) {
                while (row.next()) {
                    found.add(row.getString(1));
                }
            }
            return found;
        }
    }

    private static long notifyTriggers(Connection connection, String queue) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("""
                SELECT count(*) FROM pg_catalog.pg_trigger
                WHERE tgrelid = to_regclass(format('pgmq.%I', 'q_' || ?::text)) AND NOT tgisinternal""")) {
            count.setString(1, queue);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long notifyTriggerOid(Connection connection, String queue) throws SQLException {
        try (PreparedStatement oid = connection.prepareStatement("""
                SELECT oid FROM pg_catalog.pg_trigger
                WHERE tgrelid = to_regclass(format('pgmq.%I', 'q_' || ?::text))
                  AND tgname = 'trigger_notify_queue_insert_listeners'""")) {
            oid.setString(1, queue);
            try (ResultSet row = oid.executeQuery()) {
                assertThat(row.next()).as("the notify trigger of " + queue).isTrue();
                return row.getLong(1);
            }
        }
    }

    private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet row = statement.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A connection LISTENing on some channels, and on a sentinel channel of its own. */
    static final class Listener implements AutoCloseable {

        private final Connection connection;
        private final PGConnection pg;
        private final String sentinel = "supaqueue_sentinel_" + UUID.randomUUID().toString().replace("-", "");

        Listener(TestDatabaseServer db, String... channels) throws SQLException {
            connection = db.connect();
            pg = connection.unwrap(PGConnection.class);
            for (String channel : channels) {
                listen(channel);
            }
            listen(sentinel);
        }

        private void listen(String channel) throws SQLException {
            String sql;
            try (PreparedStatement quote = connection.prepareStatement("SELECT 'LISTEN ' || quote_ident(?::text)")) {
                quote.setString(1, channel);
                try (ResultSet row = quote.executeQuery()) {
                    row.next();
                    sql = row.getString(1);
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        /**
         * Commits a sentinel notification on a connection of its own and returns everything that arrived before
         * it, i.e. every notification of transactions committed before this call.
         */
        List<PGNotification> untilSentinel(TestDatabaseServer db) throws SQLException {
            try (Connection other = db.connect();
                 PreparedStatement notify = other.prepareStatement("SELECT pg_notify(?::text, 'sentinel')")) {
                notify.setString(1, sentinel);
                notify.execute();
            }
            List<PGNotification> received = new ArrayList<>();
            long deadline = System.nanoTime() + DELIVERY_DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                int waitMillis = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                PGNotification[] batch = pg.getNotifications(waitMillis);
                if (batch == null) {
                    continue;
                }
                for (PGNotification notification : batch) {
                    if (notification.getName().equals(sentinel)) {
                        return received;
                    }
                    received.add(notification);
                }
            }
            throw new AssertionError("the sentinel notification did not arrive within " + DELIVERY_DEADLINE
                    + "; received meanwhile: " + received.stream().map(PGNotification::getName).toList());
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
