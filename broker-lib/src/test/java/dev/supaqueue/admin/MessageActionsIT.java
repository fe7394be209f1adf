package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqFeature;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Enqueue, delete, archive, visibility, purge, create and drop against the real database. */
@PgmqIntegrationTest
class MessageActionsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final MessageCodec CODEC = new MessageCodec();
    private static final Pattern SAFE_TEST_QUEUE = Pattern.compile("[a-z0-9_]{1,47}");

    /** A live row as the test reads it back; {@code headers} is null where the table has no such column. */
    record Live(long msgId, int readCt, OffsetDateTime vt, boolean visible, String message, String headers) {
    }

    // ------------------------------------------------------------------------------------------------------
    // Enqueue
    // ------------------------------------------------------------------------------------------------------

    @Test
    void enqueueStoresARawPayloadAsGiven(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("enq_raw");
        String payload = "{ \"order\" : 42,\n  \"items\": [ {\"sku\": \"A-1\", \"qty\": 2.50} ], \"note\": null }";

        EnqueueResult result = actions(db).enqueue(EnqueueRequest.raw(queue, payload));

        try (Connection connection = db.connect()) {
            List<Live> rows = live(connection, queue);
            assertThat(rows).extracting(Live::msgId).containsExactlyElementsOf(result.msgIds());
            assertThat(JSON.readTree(rows.get(0).message())).isEqualTo(JSON.readTree(payload));
            assertThat(rows.get(0).message()).contains("2.50");
            assertThat(rows.get(0).visible()).isTrue();
            assertThat(rows.get(0).readCt()).isZero();
        }
        assertThat(result.queue()).isEqualTo(queue);
    }

    @Test
    void enqueueSendsDistinctDramatiqMessagesForEachCopy(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("enq_dramatiq");
        EnqueueRequest request = EnqueueRequest.dramatiq(queue, "emails", "send_email", List.of("ann@example.com"),
                Map.of("urgent", true), Map.of("max_retries", 1)).withCount(25);

        EnqueueResult result = actions(db, AdminOptions.builder().batchSize(10).build()).enqueue(request);

        assertThat(result.msgIds()).hasSize(25).isSorted().doesNotHaveDuplicates();
        try (Connection connection = db.connect()) {
            List<Message> messages = live(connection, queue).stream().map(row -> CODEC.decode(row.message()))
                    .toList();
            assertThat(messages).hasSize(25);
            assertThat(messages).extracting(Message::messageId).doesNotHaveDuplicates();
            assertThat(messages).allSatisfy(message -> {
                assertThat(message.actorName()).isEqualTo("send_email");
                assertThat(message.queueName()).isEqualTo("emails");
                assertThat(message.args()).containsExactly("ann@example.com");
                assertThat(message.options()).containsEntry("max_retries", 1);
            });
        }
    }

    @Test
    void enqueueWithADelayLeavesTheMessagesInvisibleUntilThen(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("enq_delay");

        actions(db).enqueue(EnqueueRequest.raw(queue, "{\"later\": true}").withDelay(Duration.ofMinutes(10))
                .withCount(3));

        try (Connection connection = db.connect()) {
            OffsetDateTime now = serverNow(connection);
            List<Live> rows = live(connection, queue);
            assertThat(rows).hasSize(3).allSatisfy(row -> {
                assertThat(row.visible()).isFalse();
                assertThat(row.vt()).isBetween(now.plusMinutes(9), now.plusMinutes(11));
            });
            assertThat(PgmqSql.read(connection, queue, 30, 10)).isEmpty();
        }
    }

    @Test
    void enqueueWithHeadersStoresThemWherePgmqHasHeaders(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("enq_headers");
        MessageActions actions = actions(db);
        EnqueueRequest request = EnqueueRequest.raw(queue, "{\"h\": 1}").withHeaders("{\"trace_id\": \"t-42\"}");

        if (!new PgmqClient(db.dataSource()).supports(PgmqFeature.HEADERS)) {
            assertThatThrownBy(() -> actions.enqueue(request)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("headers need pgmq 1.5.0");
            return;
        }
        actions.enqueue(request.withCount(2));

        try (Connection connection = db.connect()) {
            assertThat(live(connection, queue)).hasSize(2).allSatisfy(row ->
                    assertThat(JSON.readTree(row.headers())).isEqualTo(JSON.readTree("{\"trace_id\": \"t-42\"}")));
        }
    }

    @Test
    void enqueueToAMissingQueueFailsBeforeSending(TestDatabaseServer db, TestQueues queues) {
        String missing = queues.newName("enq_missing");

        assertThatThrownBy(() -> actions(db).enqueue(EnqueueRequest.raw(missing, "{}")))
                .isInstanceOf(UnknownQueueException.class).hasMessageContaining(missing);
    }

    @Test
    void hostilePayloadsAreStoredVerbatimAndNeverExecuted(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("enq_hostile");
        String big = "x".repeat(1024 * 1024);
        List<String> payloads = List.of(
                "{\"name\": \"'); DROP TABLE pgmq.meta; --\", \"sql\": \"SELECT * FROM pg_user WHERE 1=1\"}",
                "\"$$; DELETE FROM pgmq.meta; $$\"",
                "{\"html\": \"<script>alert('x')</script><img src=x onerror=alert(1)>\", \"amp\": \"&amp;&lt;\"}",
                "{\"unicode\": \"Grüße 😀 مرحبا e\u0301 \u2028\u2029 \\u00e9\", \"\u202eevil\": \"\\\"quoted\\\"\"}",
                "{\"big\": \"" + big + "\"}");
        MessageActions actions = actions(db);

        List<Long> ids = new ArrayList<>();
        for (String payload : payloads) {
            ids.addAll(actions.enqueue(EnqueueRequest.raw(queue, payload)).msgIds());
        }

        try (Connection connection = db.connect()) {
            List<Live> rows = live(connection, queue);
            assertThat(rows).extracting(Live::msgId).containsExactlyElementsOf(ids);
            for (int i = 0; i < payloads.size(); i++) {
                assertThat(JSON.readTree(rows.get(i).message())).as("payload %d", i)
                        .isEqualTo(JSON.readTree(payloads.get(i)));
            }
            assertThat(JSON.readTree(rows.get(4).message()).get("big").textValue()).hasSize(1024 * 1024);
            assertThat(PgmqSql.single(connection, "SELECT count(*) FROM pgmq.meta WHERE queue_name = ?::text",
                    queue)).isEqualTo(1);
        }
    }

    @Test
    void hostileQueueNamesAreRejectedBeforeAnySql(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("hostile_names");
        MessageActions actions = actions(db);
        List<String> hostile = List.of("jobs'; DROP TABLE pgmq.meta; --", "jobs; DELETE FROM pgmq.meta",
                "$1", "a--b", "x".repeat(48), "");
        Selection one = Selection.ids(1);

        for (String name : hostile) {
            List<Consumer<String>> calls = List.of(
                    n -> actions.enqueue(EnqueueRequest.raw(n, "{}")),
                    n -> actions.delete(MessageSource.queue(n), one, null),
                    n -> actions.archive(n, one, null),
                    n -> actions.makeVisible(n, one, null),
                    n -> actions.postpone(n, one, Duration.ofMinutes(1), null),
                    n -> actions.move(MessageSource.queue(queue), one, n, null),
                    n -> actions.replay(MessageSource.archive(queue), one, n, null),
                    n -> actions.purge(MessageSource.archive(n)),
                    n -> actions.createQueue(n, QueueType.LOGGED),
                    n -> actions.dropQueue(n));
            for (Consumer<String> call : calls) {
                assertThatThrownBy(() -> call.accept(name)).as("%s", name)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("pgmq queue name");
            }
        }
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.single(connection, "SELECT count(*) FROM pgmq.meta WHERE queue_name = ?::text",
                    queue)).isEqualTo(1);
        }
    }

    @Test
    void aQuotedNameThatPgmqAllowsIsJustAnUnknownQueue(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("quoted_name");
        MessageActions actions = actions(db);
        String quoted = "x\" OR \"1\"=\"1";

        assertThatThrownBy(() -> actions.delete(MessageSource.queue(quoted), Selection.upTo(10), null))
                .isInstanceOf(UnknownQueueException.class);
        assertThatThrownBy(() -> actions.move(MessageSource.queue(queue), Selection.upTo(10), quoted, null))
                .isInstanceOf(UnknownQueueException.class);
        assertThatThrownBy(() -> actions.createQueue(quoted, QueueType.LOGGED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only lowercase letters");
    }

    // ------------------------------------------------------------------------------------------------------
    // Delete, archive, visibility
    // ------------------------------------------------------------------------------------------------------

    @Test
    void deleteByIdsCountsIdsThatAreNoLongerThere(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("del_ids");
        List<Long> ids = send(db, queue, 5);

        ActionReport report = actions(db).delete(MessageSource.queue(queue),
                Selection.ids(List.of(ids.get(0), ids.get(2), ids.get(4) + 1000)), null);

        assertReport(report, "delete", 3, 2, 1, 0);
        assertThat(report.cancelled()).isFalse();
        assertThat(report.batches()).isEqualTo(1);
        assertThat(report.target()).isNull();
        assertThat(report.summary()).isEqualTo("Deleted 2 of 3 selected messages from " + queue
                + "; 1 was no longer there.");
        try (Connection connection = db.connect()) {
            assertThat(live(connection, queue)).extracting(Live::msgId)
                    .containsExactly(ids.get(1), ids.get(3), ids.get(4));
        }
    }

    @Test
    void deleteByBoundTakesOnlyMatchingMessagesUpToTheBound(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("del_bound");
        PgmqClient client = new PgmqClient(db.dataSource());
        List<Long> emails = new ArrayList<>();
        List<Long> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            emails.add(client.send(queue, dramatiq("emails", "send_email")));
            others.add(client.send(queue, dramatiq("emails", "send_sms")));
        }
        long bound = others.get(3);
        long later = client.send(queue, dramatiq("emails", "send_email"));

        ActionReport report = actions(db, AdminOptions.builder().batchSize(3).build()).delete(
                MessageSource.queue(queue),
                Selection.upTo(bound, MessageFilter.all().withActorName("send_email")), null);

        assertReport(report, "delete", 4, 4, 0, 0);
        assertThat(report.batches()).isEqualTo(2);
        try (Connection connection = db.connect()) {
            List<Long> left = live(connection, queue).stream().map(Live::msgId).toList();
            assertThat(left).containsAll(others).contains(later).doesNotContainAnyElementsOf(emails);
        }
    }

    @Test
    void deleteFromTheArchiveRemovesArchivedRows(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("del_archive");
        List<Long> ids = send(db, queue, 4);
        new PgmqClient(db.dataSource()).archive(queue, ids);
        MessageActions actions = actions(db);

        ActionReport byIds = actions.delete(MessageSource.archive(queue),
                Selection.ids(ids.get(0), ids.get(0) + 100), null);
        ActionReport byBound = actions.delete(MessageSource.archive(queue), Selection.upTo(ids.get(2)), null);

        assertReport(byIds, "delete", 2, 1, 1, 0);
        assertThat(byIds.summary()).contains("from " + queue + " (archive)");
        assertReport(byBound, "delete", 2, 2, 0, 0);
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.archive(connection, queue)).extracting(PgmqSql.ArchivedRow::msgId)
                    .containsExactly(ids.get(3));
        }
    }

    @Test
    void archiveMovesMessagesToTheArchiveByIdsAndByBound(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("archive");
        List<Long> ids = send(db, queue, 6);
        MessageActions actions = actions(db);

        ActionReport byIds = actions.archive(queue, Selection.ids(ids.get(0), ids.get(1), 999_999), null);
        ActionReport byBound = actions.archive(queue, Selection.upTo(ids.get(3)), null);

        assertReport(byIds, "archive", 3, 2, 1, 0);
        assertReport(byBound, "archive", 2, 2, 0, 0);
        assertThat(byBound.summary()).isEqualTo("Archived 2 of 2 selected messages in " + queue + ".");
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.archive(connection, queue)).extracting(PgmqSql.ArchivedRow::msgId)
                    .containsExactlyElementsOf(ids.subList(0, 4));
            assertThat(live(connection, queue)).extracting(Live::msgId).containsExactlyElementsOf(ids.subList(4, 6));
        }
    }

    @Test
    void makeVisibleShowsDelayedAndInFlightMessagesNow(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("visible");
        PgmqClient client = new PgmqClient(db.dataSource());
        long delayed = client.send(queue, dramatiq("q", "a"), Duration.ofHours(1));
        long inFlight = client.send(queue, dramatiq("q", "b"));
        client.read(queue, 3600, 1);
        long otherActor = client.send(queue, dramatiq("q", "b"), Duration.ofHours(1));
        MessageActions actions = actions(db);

        ActionReport byIds = actions.makeVisible(queue, Selection.ids(delayed, inFlight, 424_242), null);
        ActionReport none = actions.makeVisible(queue,
                Selection.upTo(otherActor, MessageFilter.all().withActorName("c")), null);

        assertReport(byIds, "makeVisible", 3, 2, 1, 0);
        assertThat(byIds.summary()).isEqualTo("Made 2 of 3 selected messages in " + queue
                + " visible now; 1 was no longer there.");
        assertReport(none, "makeVisible", 0, 0, 0, 0);
        assertThat(none.summary()).isEqualTo("No messages in " + queue
                + " matched the selection, so nothing was made visible.");
        try (Connection connection = db.connect()) {
            assertThat(live(connection, queue)).filteredOn(Live::visible).extracting(Live::msgId)
                    .containsExactly(delayed, inFlight);
        }
    }

    @Test
    void postponeHidesMessagesForTheDelay(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("postpone");
        List<Long> ids = send(db, queue, 3);
        MessageActions actions = actions(db);

        ActionReport report = actions.postpone(queue, Selection.ids(ids.get(0), ids.get(1), 777_777),
                Duration.ofMinutes(90), null);
        ActionReport ready = actions.postpone(queue,
                Selection.upTo(ids.get(2), MessageFilter.all().withStates(MessageState.READY)), Duration.ofHours(2),
                null);

        assertReport(report, "postpone", 3, 2, 1, 0);
        assertThat(report.summary()).isEqualTo("Postponed 2 of 3 selected messages in " + queue
                + " by 1 hour 30 minutes; 1 was no longer there.");
        assertReport(ready, "postpone", 1, 1, 0, 0);
        try (Connection connection = db.connect()) {
            OffsetDateTime now = serverNow(connection);
            List<Live> rows = live(connection, queue);
            assertThat(rows.get(0).vt()).isBetween(now.plusMinutes(89), now.plusMinutes(91));
            assertThat(rows.get(1).vt()).isBetween(now.plusMinutes(89), now.plusMinutes(91));
            assertThat(rows.get(2).vt()).isBetween(now.plusMinutes(119), now.plusMinutes(121));
        }
    }

    @Test
    void postponeNeedsAPositiveDelayOfAtMostTenYears(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("postpone_bad");
        MessageActions actions = actions(db);
        Selection one = Selection.ids(1);

        assertThatThrownBy(() -> actions.postpone(queue, one, Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("makeVisible");
        assertThatThrownBy(() -> actions.postpone(queue, one, Duration.ofSeconds(-5), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive, got PT-5S");
        assertThatThrownBy(() -> actions.postpone(queue, one, Duration.ofDays(3654), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10 years");
        assertThatThrownBy(() -> actions.postpone(queues.newName("absent"), one, Duration.ofSeconds(5), null))
                .isInstanceOf(UnknownQueueException.class);
    }

    @Test
    void aStateFilterOnTheArchiveIsRefusedBeforeAnySql(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("archive_state");

        assertThatThrownBy(() -> actions(db).delete(MessageSource.archive(queue),
                Selection.upTo(10, MessageFilter.all().withStates(MessageState.READY)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("archive holds only ARCHIVED");
    }

    // ------------------------------------------------------------------------------------------------------
    // Purge, create, drop
    // ------------------------------------------------------------------------------------------------------

    @Test
    void purgeEmptiesAQueueItsArchiveOrItsDeadLetters(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("purge");
        String deadLetters = queues.track(queue + "_xq");
        PgmqClient client = new PgmqClient(db.dataSource());
        client.createQueue(deadLetters);
        List<Long> ids = send(db, queue, 7);
        client.archive(queue, ids.subList(0, 3));
        client.sendBatch(deadLetters, List.of("{}", "{}"));
        MessageActions actions = actions(db);

        ActionReport live = actions.purge(MessageSource.queue(queue));
        ActionReport archive = actions.purge(MessageSource.archive(queue));
        ActionReport dead = actions.purge(MessageSource.deadLetters(queue));
        ActionReport again = actions.purge(MessageSource.archive(queue));

        assertReport(live, "purge", 4, 4, 0, 0);
        assertThat(live.summary()).isEqualTo("Purged 4 messages from " + queue + ".");
        assertReport(archive, "purge", 3, 3, 0, 0);
        assertThat(archive.summary()).isEqualTo("Purged 3 messages from " + queue + " (archive).");
        assertReport(dead, "purge", 2, 2, 0, 0);
        assertThat(dead.source().queue()).isEqualTo(deadLetters);
        assertReport(again, "purge", 0, 0, 0, 0);
        assertThat(again.summary()).isEqualTo(queue + " (archive) was already empty; nothing was purged.");
        try (Connection connection = db.connect()) {
            assertThat(live(connection, queue)).isEmpty();
            assertThat(PgmqSql.archive(connection, queue)).isEmpty();
            assertThat(live(connection, deadLetters)).isEmpty();
        }
        assertThatThrownBy(() -> actions.purge(MessageSource.queue(queues.newName("absent"))))
                .isInstanceOf(UnknownQueueException.class);
    }

    @Test
    void createMakesLoggedAndUnloggedQueuesAndDropRemovesThem(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String logged = queues.track(queues.newName("create_logged"));
        String unlogged = queues.track(queues.newName("create_unlogged"));
        MessageActions actions = actions(db);

        actions.createQueue(logged, QueueType.LOGGED);
        actions.createQueue(logged, QueueType.LOGGED);
        actions.createQueue(unlogged, QueueType.UNLOGGED);

        try (Connection connection = db.connect()) {
            assertThat(bool(connection, "SELECT is_unlogged FROM pgmq.meta WHERE queue_name = ?::text", logged))
                    .isFalse();
            assertThat(bool(connection, "SELECT is_unlogged FROM pgmq.meta WHERE queue_name = ?::text", unlogged))
                    .isTrue();
        }
        actions.enqueue(EnqueueRequest.raw(unlogged, "{}"));
        assertThatThrownBy(() -> actions.createQueue(logged, QueueType.UNLOGGED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already exists as a LOGGED queue");

        assertThat(actions.dropQueue(unlogged)).isTrue();
        assertThat(actions.dropQueue(unlogged)).isFalse();
        assertThatThrownBy(() -> actions.enqueue(EnqueueRequest.raw(unlogged, "{}")))
                .as("a dropped queue is forgotten at once").isInstanceOf(UnknownQueueException.class);
        assertThat(actions.dropQueue(queues.newName("never_there"))).isFalse();
    }

    @Test
    void createRefusesNamesPgmqWouldFoldOrReject(TestDatabaseServer db, TestQueues queues) throws Exception {
        MessageActions actions = actions(db);

        assertThatThrownBy(() -> actions.createQueue("Jobs", QueueType.LOGGED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only lowercase letters a-z, digits 0-9 and underscores")
                .hasMessageContaining("folds table names to lowercase");
        assertThatThrownBy(() -> actions.createQueue("my-jobs", QueueType.LOGGED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"my-jobs\"");
        assertThatThrownBy(() -> actions.createQueue("jobs;x", QueueType.LOGGED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain ;");
        assertThatThrownBy(() -> actions.createQueue("x".repeat(48), QueueType.LOGGED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 47 characters");
        assertThatThrownBy(() -> actions.createQueue(queues.newName("parted"), QueueType.PARTITIONED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pg_partman");

        // A queue created elsewhere in upper case already owns the lowercase tables.
        String lower = queues.newName("folded");
        String upper = queues.track(lower.toUpperCase(java.util.Locale.ROOT));
        new PgmqClient(db.dataSource()).createQueue(upper);
        assertThatThrownBy(() -> actions.createQueue(lower, QueueType.LOGGED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue \"" + upper + "\" already uses its tables");
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.single(connection, "SELECT count(*) FROM pgmq.meta WHERE queue_name = ?::text",
                    lower)).isZero();
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Helpers, shared with the other action tests
    // ------------------------------------------------------------------------------------------------------

    static MessageActions actions(TestDatabaseServer db) {
        return actions(db, AdminOptions.defaults());
    }

    static MessageActions actions(TestDatabaseServer db, AdminOptions options) {
        return new MessageActions(db.dataSource(), new PgmqClient(db.dataSource()), new QueueTables(), options);
    }

    static void assertReport(ActionReport report, String action, long selected, long affected, long missing,
                             long skipped) {
        assertThat(report.action()).isEqualTo(action);
        assertThat(report.selected()).as("selected").isEqualTo(selected);
        assertThat(report.affected()).as("affected").isEqualTo(affected);
        assertThat(report.missing()).as("missing").isEqualTo(missing);
        assertThat(report.skipped()).as("skipped").isEqualTo(skipped);
        assertThat(report.selected()).isEqualTo(report.affected() + report.missing() + report.skipped());
        assertThat(report.elapsed().isNegative()).isFalse();
    }

    /** Sends {@code count} small raw messages and returns their ids. */
    static List<Long> send(TestDatabaseServer db, String queue, int count) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add("{\"n\": " + i + "}");
        }
        return new PgmqClient(db.dataSource()).sendBatch(queue, bodies);
    }

    /** A Dramatiq message as JSON. */
    static String dramatiq(String queueName, String actor) {
        return CODEC.encode(Message.create(queueName, actor, List.of(1), Map.of(), Map.of()));
    }

    static String messageId(String json) {
        try {
            return JSON.readTree(json).get("message_id").textValue();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static OffsetDateTime serverNow(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT clock_timestamp()");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getObject(1, OffsetDateTime.class);
        }
    }

    /** The live rows of a test queue by msg_id; the name is checked before it is quoted into the statement. */
    static List<Live> live(Connection connection, String queue) throws SQLException {
        if (!SAFE_TEST_QUEUE.matcher(queue).matches()) {
            throw new IllegalArgumentException("not a test queue name: " + queue);
        }
        String sql = "SELECT msg_id, read_ct, vt, vt <= clock_timestamp() AS visible, message::text AS message,"
                + " (to_jsonb(q) -> 'headers')::text AS headers FROM pgmq.\"q_" + queue + "\" AS q ORDER BY msg_id";
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            List<Live> result = new ArrayList<>();
            while (rows.next()) {
                String headers = rows.getString("headers");
                result.add(new Live(rows.getLong("msg_id"), rows.getInt("read_ct"),
                        rows.getObject("vt", OffsetDateTime.class), rows.getBoolean("visible"),
                        rows.getString("message"), headers == null || headers.equals("null") ? null : headers));
            }
            return result;
        }
    }

    private static boolean bool(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }
}
