package dev.supaqueue.admin;

import static dev.supaqueue.testing.PgmqSql.read;
import static dev.supaqueue.testing.PgmqSql.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The queue list and single-queue summaries against the real database. */
@PgmqIntegrationTest
class QueueInspectorIT {

    private static final Pattern SAFE_TEST_QUEUE = Pattern.compile("[a-z0-9_]{1,47}");

    private static QueueInspector inspector(TestDatabaseServer db, AdminOptions options) {
        return new QueueInspector(db.dataSource(), new PgmqClient(db.dataSource()), new QueueTables(), options);
    }

    private static void create(Connection connection, String queue) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pgmq.create(?::text)")) {
            statement.setString(1, queue);
            statement.execute();
        }
    }

    private static void sendMany(Connection connection, String queue, int count, int delaySeconds)
            throws SQLException {
        List<String> messages = Collections.nCopies(count, "{\"n\":1}");
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT * FROM pgmq.send_batch(?::text, ?::jsonb[], ?::integer)")) {
            statement.setString(1, queue);
            statement.setArray(2, connection.createArrayOf("jsonb", messages.toArray()));
            statement.setInt(3, delaySeconds);
            statement.execute();
        }
    }

    private static void archive(Connection connection, String queue, List<Long> ids) throws SQLException {
        PgmqSql.longs(connection, "SELECT * FROM pgmq.archive(?::text, ?::bigint[])", queue,
                PgmqSql.bigintArray(connection, ids));
    }

    @Test
    void countsEveryStateOfAConstructedMix(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("mix");
        String deadLetters = queues.track(queue + "_xq");
        try (Connection connection = db.connect()) {
            create(connection, deadLetters);
            sendMany(connection, queue, 2, 0);
            assertThat(read(connection, queue, 300, 2)).hasSize(2);          // 2 in flight
            sendMany(connection, queue, 3, 0);                                // 3 ready
            sendMany(connection, queue, 4, 300);                              // 4 delayed
            List<Long> toArchive = List.of(send(connection, queue, "{\"a\":1}"), send(connection, queue, "{\"a\":2}"));
            archive(connection, queue, toArchive);                            // 2 archived
            sendMany(connection, deadLetters, 6, 0);                          // 6 dead letters
        }

        QueueInspector inspector = inspector(db, AdminOptions.defaults());
        QueueSummary summary = inspector.summary(queue);
        QueueOverview overview = inspector.overview();

        for (QueueSummary row : List.of(summary, overview.find(queue).orElseThrow())) {
            assertThat(row.name()).isEqualTo(queue);
            assertThat(row.type()).isEqualTo(QueueType.LOGGED);
            assertThat(row.createdAt()).isNotNull();
            assertThat(row.ready()).isEqualTo(Count.exact(3));
            assertThat(row.inFlight()).isEqualTo(Count.exact(2));
            assertThat(row.delayed()).isEqualTo(Count.exact(4));
            assertThat(row.length()).isEqualTo(Count.exact(9));
            assertThat(row.archived()).isEqualTo(Count.exact(2));
            assertThat(row.deadLetterQueue()).isEqualTo(deadLetters);
            assertThat(row.deadLetters()).isEqualTo(Count.exact(6));
            assertThat(row.totalSent()).isEqualTo(11);
            assertThat(row.oldestMessageAge()).isNotNull().isBetween(Duration.ZERO, Duration.ofMinutes(1));
            assertThat(row.oldestReadyAge()).isNotNull().isBetween(Duration.ZERO, Duration.ofMinutes(1));
            assertThat(row.oldestMessageAge()).as("the in-flight messages were sent first")
                    .isGreaterThanOrEqualTo(row.oldestReadyAge());
            assertThat(row.countsExact()).isTrue();
        }
        assertThat(overview.find(deadLetters)).as("folded into its origin's row").isEmpty();
        assertThat(overview.countCap()).isEqualTo(AdminOptions.DEFAULT_COUNT_CAP);
        assertThat(overview.elapsed()).isPositive();
        assertThat(overview.serverTime()).isNotNull();
    }

    @Test
    void anEmptyQueueHasNoAgesAndNothingSent(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("empty");

        QueueSummary summary = inspector(db, AdminOptions.defaults()).summary(queue);

        assertThat(summary.length()).isEqualTo(Count.exact(0));
        assertThat(summary.oldestMessageAge()).isNull();
        assertThat(summary.oldestReadyAge()).isNull();
        assertThat(summary.totalSent()).isZero();
        assertThat(summary.deadLetterQueue()).isNull();
        assertThat(summary.deadLetters()).isNull();
    }

    @Test
    void totalSentCountsMessagesEvenAfterTheyAreGone(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("sent");
        try (Connection connection = db.connect()) {
            long id = send(connection, queue, "{}");
            send(connection, queue, "{}");
            PgmqSql.longs(connection, "SELECT * FROM pgmq.delete(?::text, ?::bigint[])", queue,
                    PgmqSql.bigintArray(connection, List.of(id)));
        }

        QueueSummary summary = inspector(db, AdminOptions.defaults()).summary(queue);

        assertThat(summary.totalSent()).isEqualTo(2);
        assertThat(summary.length()).isEqualTo(Count.exact(1));
    }

    @Test
    void aNamespaceGroupsItsQueuesWithTheirDeadLetters(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        String a = namespace + "_a";
        String b = namespace + "_b";
        try (Connection connection = db.connect()) {
            create(connection, a);
            create(connection, b);
            create(connection, a + "_xq");
            send(connection, a + "_xq", "{}");
        }

        for (AdminOptions options : List.of(AdminOptions.builder().namespaces(namespace).build(),
                AdminOptions.builder().inferNamespaces(true).build())) {
            QueueOverview overview = inspector(db, options).overview();

            NamespaceGroup group = overview.group(namespace).orElseThrow();
            assertThat(group.queues()).extracting(QueueSummary::name).containsExactly(a, b);
            assertThat(group.queues()).extracting(QueueSummary::shortName).containsExactly("a", "b");
            assertThat(group.queues()).extracting(QueueSummary::namespace).containsOnly(namespace);
            assertThat(overview.find(a).orElseThrow().deadLetters()).isEqualTo(Count.exact(1));
            assertThat(overview.find(b).orElseThrow().deadLetterQueue()).isNull();
            assertThat(group.totalDeadLetters()).isEqualTo(Count.exact(1));
            List<String> order = overview.groups().stream().map(NamespaceGroup::namespace).toList();
            assertThat(order.stream().filter(name -> !name.isEmpty()).toList()).isSorted();
            if (order.contains("")) {
                assertThat(order.get(order.size() - 1)).as("no namespace comes last").isEmpty();
            }
            for (NamespaceGroup each : overview.groups()) {
                assertThat(each.queues()).extracting(QueueSummary::name).isSorted();
            }
        }

        QueueSummary alone = inspector(db, AdminOptions.builder().inferNamespaces(false).build()).summary(a);
        assertThat(alone.namespace()).isEmpty();
        assertThat(alone.shortName()).isEqualTo(a);
        assertThat(inspector(db, AdminOptions.builder().namespaces(namespace).build()).summary(a).shortName())
                .isEqualTo("a");
    }

    @Test
    void anOrphanDeadLetterQueueIsListedAsAQueue(TestDatabaseServer db, TestQueues queues) throws Exception {
        String orphan = queues.track(queues.newName("orphan") + "_xq");
        try (Connection connection = db.connect()) {
            create(connection, orphan);
            send(connection, orphan, "{}");
        }

        QueueSummary row = inspector(db, AdminOptions.defaults()).overview().find(orphan).orElseThrow();

        assertThat(row.ready()).isEqualTo(Count.exact(1));
        assertThat(row.deadLetterQueue()).isNull();
    }

    @Test
    void countsStopAtTheCapAndSaySo(TestDatabaseServer db, TestQueues queues) throws Exception {
        // One state per queue, 25 messages each: fewer than autovacuum's 50 inserts before it analyses a table,
        // so no estimate appears and the lower bounds are what is reported.
        String ready = queues.create("cap_ready");
        String delayed = queues.create("cap_delayed");
        String archived = queues.create("cap_archived");
        try (Connection connection = db.connect()) {
            sendMany(connection, ready, 25, 0);
            sendMany(connection, delayed, 25, 300);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                ids.add(send(connection, archived, "{}", 300));
            }
            archive(connection, archived, ids);
        }
        QueueInspector capped = inspector(db, AdminOptions.builder().countCap(10).build());

        QueueSummary readyRow = capped.summary(ready);
        assertThat(readyRow.ready()).isEqualTo(Count.atLeast(10));
        assertThat(readyRow.inFlight()).isEqualTo(Count.exact(0));
        assertThat(readyRow.length()).isEqualTo(Count.atLeast(10));
        assertThat(readyRow.countsExact()).isFalse();

        QueueSummary delayedRow = capped.summary(delayed);
        assertThat(delayedRow.delayed()).isEqualTo(Count.atLeast(10));
        assertThat(delayedRow.inFlight()).as("a lower bound from the same capped sample")
                .isEqualTo(Count.atLeast(0));
        assertThat(delayedRow.ready()).isEqualTo(Count.exact(0));

        QueueSummary archivedRow = capped.summary(archived);
        assertThat(archivedRow.archived()).isEqualTo(Count.atLeast(10));
        assertThat(archivedRow.length()).isEqualTo(Count.exact(0));

        QueueOverview overview = capped.overview();
        assertThat(overview.countCap()).isEqualTo(10);
        assertThat(overview.find(ready).orElseThrow().ready()).isEqualTo(Count.atLeast(10));

        // Exactly the cap is still exact: the count looks at cap + 1 rows.
        QueueInspector atCap = inspector(db, AdminOptions.builder().countCap(25).build());
        assertThat(atCap.summary(ready).ready()).isEqualTo(Count.exact(25));
        assertThat(atCap.summary(delayed).delayed()).isEqualTo(Count.exact(25));
        assertThat(atCap.summary(archived).archived()).isEqualTo(Count.exact(25));
    }

    @Test
    void aCappedLengthUsesTheTableEstimateWhenItIsLarger(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("estimated");
        try (Connection connection = db.connect()) {
            sendMany(connection, queue, 40, 0);
            analyze(connection, queue);
        }

        QueueSummary summary = inspector(db, AdminOptions.builder().countCap(10).build()).summary(queue);

        assertThat(summary.ready()).isEqualTo(Count.atLeast(10));
        assertThat(summary.length()).isEqualTo(Count.estimate(40));
    }

    @Test
    void anUnloggedQueueIsReportedAsSuch(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.track(queues.newName("unlogged"));
        try (Connection connection = db.connect();
             PreparedStatement create = connection.prepareStatement("SELECT pgmq.create_unlogged(?::text)")) {
            create.setString(1, queue);
            create.execute();
        }

        QueueInspector inspector = inspector(db, AdminOptions.defaults());

        assertThat(inspector.summary(queue).type()).isEqualTo(QueueType.UNLOGGED);
        assertThat(inspector.overview().find(queue).orElseThrow().type()).isEqualTo(QueueType.UNLOGGED);
    }

    @Test
    void aMissingQueueIsUnknownAndABadNameIsRefusedBeforeAnySql(TestDatabaseServer db, TestQueues queues) {
        QueueInspector inspector = inspector(db, AdminOptions.defaults());
        String missing = queues.newName("missing");

        assertThatThrownBy(() -> inspector.summary(missing)).isInstanceOf(UnknownQueueException.class)
                .hasMessageContaining(missing);
        assertThatThrownBy(() -> inspector.summary("x'; DROP TABLE pgmq.meta; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain");
    }

    @Test
    void lookingChangesNoMessage(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("look");
        try (Connection connection = db.connect()) {
            sendMany(connection, queue, 3, 0);
            read(connection, queue, 300, 1);
            sendMany(connection, queue, 2, 300);
            List<String> before = snapshot(connection, queue);

            QueueInspector inspector = inspector(db, AdminOptions.builder().countCap(1).build());
            inspector.overview();
            inspector.summary(queue);
            inspector(db, AdminOptions.defaults()).overview();

            assertThat(snapshot(connection, queue)).isEqualTo(before).hasSize(5);
        }
    }

    @Test
    void listsTwoHundredQueuesCorrectly(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add(namespace + "_q" + i);
        }
        try (Connection connection = db.connect()) {
            try (PreparedStatement create = connection.prepareStatement(
                    "SELECT pgmq.create(n) FROM unnest(?::text[]) AS n")) {
                create.setArray(1, connection.createArrayOf("text", names.toArray()));
                create.execute();
            }
            try (PreparedStatement fill = connection.prepareStatement(
                    "SELECT pgmq.send(n, jsonb_build_object('i', i), CASE WHEN i % 2 = 0 THEN 0 ELSE 300 END)"
                            + " FROM unnest(?::text[]) WITH ORDINALITY AS t(n, i)")) {
                fill.setArray(1, connection.createArrayOf("text", names.toArray()));
                fill.execute();
            }
        }

        QueueOverview overview = inspector(db, AdminOptions.builder().namespaces(namespace).build()).overview();

        NamespaceGroup group = overview.group(namespace).orElseThrow();
        assertThat(group.queues()).hasSize(200);
        assertThat(group.totalLength()).isEqualTo(Count.exact(200));
        assertThat(group.totalReady()).isEqualTo(Count.exact(100));
        assertThat(group.totalDelayed()).isEqualTo(Count.exact(100));
        for (int i = 0; i < 200; i++) {
            QueueSummary row = overview.find(names.get(i)).orElseThrow();
            // WITH ORDINALITY counts from 1: queue i has ordinal i + 1, so odd i was sent without delay.
            assertThat(row.ready()).isEqualTo(Count.exact(i % 2 == 1 ? 1 : 0));
            assertThat(row.delayed()).isEqualTo(Count.exact(i % 2 == 1 ? 0 : 1));
            assertThat(row.totalSent()).isEqualTo(1);
        }
        System.out.println("overview of " + overview.queues().size() + " queues took " + overview.elapsed());
    }

    private static void analyze(Connection connection, String queue) throws SQLException {
        if (!SAFE_TEST_QUEUE.matcher(queue).matches()) {
            throw new IllegalArgumentException("not a test queue name: " + queue);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE pgmq.\"q_" + queue + "\"");
        }
    }

    /** msg_id, read_ct and vt of every live row, read directly. */
    private static List<String> snapshot(Connection connection, String queue) throws SQLException {
        if (!SAFE_TEST_QUEUE.matcher(queue).matches()) {
            throw new IllegalArgumentException("not a test queue name: " + queue);
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT msg_id, read_ct, vt FROM pgmq.\"q_" + queue + "\" ORDER BY msg_id");
             ResultSet rows = statement.executeQuery()) {
            List<String> result = new ArrayList<>();
            while (rows.next()) {
                result.add(rows.getLong(1) + "/" + rows.getInt(2) + "/" + rows.getString(3));
            }
            return result;
        }
    }
}
