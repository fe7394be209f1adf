package dev.supaqueue.admin;

import static dev.supaqueue.admin.MessageActionsIT.CODEC;
import static dev.supaqueue.admin.MessageActionsIT.actions;
import static dev.supaqueue.admin.MessageActionsIT.assertReport;
import static dev.supaqueue.admin.MessageActionsIT.live;
import static dev.supaqueue.admin.MessageActionsIT.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.admin.MessageActionsIT.Live;
import dev.supaqueue.message.Message;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqFeature;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replay from dead letters and archives, and moves between queues. */
@PgmqIntegrationTest
class ReplayMoveIT {

    /** A Dramatiq message as the broker dead-letters it: retried, with a traceback and the reason. */
    private static Message deadLettered(String queueName, String actor) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("max_retries", 3);
        options.put("retries", 4);
        options.put("traceback", "java.lang.IllegalStateException: boom\n\tat Work.run(Work.java:1)");
        options.put("dead_letter_reason", "java.lang.IllegalStateException: boom");
        options.put("dead_lettered_at", 1_700_000_000_000L);
        return Message.create(queueName, actor, List.of("a", 1), Map.of("k", "v"), options);
    }

    @Test
    void replayFromDeadLettersSendsTheSameMessageAFreshStart(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        String queue = namespace + "_emails";
        String deadLetters = queue + "_xq";
        PgmqClient client = new PgmqClient(db.dataSource());
        client.createQueue(queue);
        client.createQueue(deadLetters);
        boolean headers = client.supports(PgmqFeature.HEADERS);
        Message first = deadLettered("emails", "send_email");
        Message second = deadLettered("emails", "send_email");
        String reasonHeaders = "{\"x-supaqueue-dead-letter-reason\": \"boom\", \"trace_id\": \"t-7\"}";
        long a = headers ? client.send(deadLetters, CODEC.encode(first), reasonHeaders, Duration.ZERO)
                : client.send(deadLetters, CODEC.encode(first));
        long b = client.send(deadLetters, CODEC.encode(second));

        ActionReport report = actions(db).replay(MessageSource.deadLetters(queue),
                Selection.ids(a, b, b + 50), null, null);

        assertReport(report, "replay", 3, 2, 1, 0);
        assertThat(report.target()).isEqualTo(queue);
        assertThat(report.source()).isEqualTo(MessageSource.queue(deadLetters));
        assertThat(report.summary()).isEqualTo("Replayed 2 of 3 selected messages from " + deadLetters + " to "
                + queue + "; 1 was no longer there.");
        try (Connection connection = db.connect()) {
            assertThat(live(connection, deadLetters)).as("the originals are gone").isEmpty();
            List<Live> replayed = live(connection, queue);
            assertThat(replayed).extracting(Live::msgId).containsExactlyElementsOf(report.newMsgIds());
            assertThat(replayed).allSatisfy(row -> {
                assertThat(row.readCt()).isZero();
                assertThat(row.visible()).isTrue();
            });
            Message again = CODEC.decode(replayed.get(0).message());
            assertThat(again.messageId()).isEqualTo(first.messageId());
            assertThat(again.messageTimestamp()).isEqualTo(first.messageTimestamp());
            assertThat(again.queueName()).isEqualTo("emails");
            assertThat(again.actorName()).isEqualTo("send_email");
            assertThat(again.args()).isEqualTo(first.args());
            assertThat(again.kwargs()).isEqualTo(first.kwargs());
            assertThat(again.options()).containsOnlyKeys("max_retries");
            assertThat(CODEC.decode(replayed.get(1).message()).messageId()).isEqualTo(second.messageId());
            if (headers) {
                assertThat(tree(replayed.get(0).headers())).isEqualTo(tree("{\"trace_id\": \"t-7\"}"));
                assertThat(replayed.get(1).headers()).isNull();
            }
        }
    }

    @Test
    void replayUnwrapsTheEnvelopeOfAnUndecodableMessage(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("replay_env");
        String deadLetters = queues.track(queue + "_xq");
        PgmqClient client = new PgmqClient(db.dataSource());
        client.createQueue(deadLetters);
        client.send(deadLetters,
                "{\"undecodable_message\": {\"legacy\": [1, 2]}, \"dead_letter_reason\": \"not Dramatiq\"}");
        long foreign = client.send(deadLetters, "{\"legacy\": true, \"retries\": 2}");

        ActionReport report = actions(db).replay(MessageSource.deadLetters(queue), Selection.upTo(foreign), null,
                null);

        assertReport(report, "replay", 2, 2, 0, 0);
        try (Connection connection = db.connect()) {
            List<Live> rows = live(connection, queue);
            assertThat(tree(rows.get(0).message())).isEqualTo(tree("{\"legacy\": [1, 2]}"));
            assertThat(tree(rows.get(1).message())).as("other payloads are replayed as they are")
                    .isEqualTo(tree("{\"legacy\": true, \"retries\": 2}"));
        }
    }

    @Test
    void replayFromAnArchiveRemovesTheArchivedRows(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("replay_archive");
        PgmqClient client = new PgmqClient(db.dataSource());
        Message message = deadLettered(queue, "work");
        List<Long> ids = client.sendBatch(queue, List.of(CODEC.encode(message), "{\"plain\": 1}", "{\"plain\": 2}"));
        client.read(queue, 30, 3);
        client.archive(queue, ids);

        ActionReport report = actions(db).replay(MessageSource.archive(queue),
                Selection.upTo(ids.get(1)), null, null);

        assertReport(report, "replay", 2, 2, 0, 0);
        assertThat(report.target()).isEqualTo(queue);
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.archive(connection, queue)).extracting(PgmqSql.ArchivedRow::msgId)
                    .containsExactly(ids.get(2));
            List<Live> rows = live(connection, queue);
            assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.readCt()).isZero());
            Message again = CODEC.decode(rows.get(0).message());
            assertThat(again.messageId()).isEqualTo(message.messageId());
            assertThat(again.options()).doesNotContainKeys("retries", "traceback", "dead_letter_reason",
                    "dead_lettered_at");
        }
    }

    @Test
    void replayLeavesMessagesAWorkerHoldsAndRefusesToReplayALiveQueueIntoItself(TestDatabaseServer db,
                                                                              TestQueues queues) throws Exception {
        String queue = queues.create("replay_guard");
        String deadLetters = queues.track(queue + "_xq");
        PgmqClient client = new PgmqClient(db.dataSource());
        client.createQueue(deadLetters);
        List<Long> ids = client.sendBatch(deadLetters, List.of("{\"n\": 1}", "{\"n\": 2}"));
        client.read(deadLetters, 600, 1);
        MessageActions actions = actions(db);

        ActionReport report = actions.replay(MessageSource.deadLetters(queue), Selection.ids(ids), null, null);

        assertReport(report, "replay", 2, 1, 0, 1);
        assertThat(report.summary()).contains("1 was left alone (in flight with a worker");
        assertThatThrownBy(() -> actions.replay(MessageSource.queue(queue), Selection.upTo(10), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("into the same queue");
        assertThatThrownBy(() -> actions.replay(MessageSource.deadLetters(queue), Selection.upTo(10),
                queues.newName("absent"), null)).isInstanceOf(UnknownQueueException.class);
        try (Connection connection = db.connect()) {
            assertThat(live(connection, deadLetters)).extracting(Live::msgId).containsExactly(ids.get(0));
        }
    }

    @Test
    void moveKeepsTheMessageAndRenamesItsQueueWithinTheNamespace(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        String other = queues.newNamespace();
        String emails = namespace + "_emails";
        String reports = namespace + "_reports";
        String foreign = other + "_reports";
        PgmqClient client = new PgmqClient(db.dataSource());
        for (String queue : List.of(emails, reports, foreign)) {
            client.createQueue(queue);
        }
        Message first = deadLettered("emails", "send_email");
        Message second = Message.create("emails", "send_email", List.of(), Map.of(), Map.of());
        long a = client.send(emails, CODEC.encode(first));
        long b = client.send(emails, CODEC.encode(second));
        long plain = client.send(emails, "{\"queue_name\": \"emails\", \"not\": \"dramatiq\"}");
        MessageActions actions = actions(db);

        ActionReport within = actions.move(MessageSource.queue(emails), Selection.ids(a, plain), reports, null);
        ActionReport across = actions.move(MessageSource.queue(emails), Selection.ids(b), foreign, null);

        assertReport(within, "move", 2, 2, 0, 0);
        assertThat(within.summary()).isEqualTo("Moved 2 of 2 selected messages from " + emails + " to " + reports
                + ".");
        assertReport(across, "move", 1, 1, 0, 0);
        try (Connection connection = db.connect()) {
            assertThat(live(connection, emails)).isEmpty();
            List<Live> moved = live(connection, reports);
            Message renamed = CODEC.decode(moved.get(0).message());
            assertThat(renamed.queueName()).isEqualTo("reports");
            assertThat(renamed.messageId()).isEqualTo(first.messageId());
            assertThat(renamed.options()).as("a move keeps the options").isEqualTo(first.options());
            assertThat(tree(moved.get(1).message())).isEqualTo(tree("{\"queue_name\": \"emails\", \"not\":"
                    + " \"dramatiq\"}"));
            Message kept = CODEC.decode(live(connection, foreign).get(0).message());
            assertThat(kept.queueName()).as("another namespace: unchanged").isEqualTo("emails");
            assertThat(kept.messageId()).isEqualTo(second.messageId());
        }
    }

    @Test
    void moveSkipsMessagesInFlightAndKeepsDelays(TestDatabaseServer db, TestQueues queues) throws Exception {
        String source = queues.create("move_states");
        String target = queues.create("move_states_to");
        PgmqClient client = new PgmqClient(db.dataSource());
        long inFlight = client.send(source, "{\"s\": \"in flight\"}");
        client.read(source, 600, 1);
        client.send(source, "{\"s\": \"ready\"}");
        long delayed = client.send(source, "{\"s\": \"delayed\"}", Duration.ofHours(2));

        ActionReport report = actions(db).move(MessageSource.queue(source), Selection.upTo(delayed), target, null);

        assertReport(report, "move", 3, 2, 0, 1);
        assertThat(report.summary()).isEqualTo("Moved 2 of 3 selected messages from " + source + " to " + target
                + "; 1 was left alone (in flight with a worker, or locked by a reader at that moment).");
        try (Connection connection = db.connect()) {
            assertThat(live(connection, source)).extracting(Live::msgId).containsExactly(inFlight);
            List<Live> moved = live(connection, target);
            assertThat(moved).extracting(row -> tree(row.message()).get("s").textValue())
                    .containsExactly("ready", "delayed");
            assertThat(moved.get(0).visible()).isTrue();
            assertThat(moved.get(1).visible()).isFalse();
        }
    }

    @Test
    void aMovedDelayedMessageKeepsItsExactVisibilityTime(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String source = queues.create("move_vt");
        String target = queues.create("move_vt_to");
        PgmqClient client = new PgmqClient(db.dataSource());
        long delayed = client.send(source, "{\"later\": true}", Duration.ofMinutes(45));
        java.time.OffsetDateTime before;
        try (Connection connection = db.connect()) {
            before = live(connection, source).get(0).vt();
        }

        ActionReport report = actions(db).move(MessageSource.queue(source), Selection.ids(delayed), target, null);

        assertReport(report, "move", 1, 1, 0, 0);
        try (Connection connection = db.connect()) {
            assertThat(live(connection, target).get(0).vt()).isEqualTo(before);
        }
    }

    @Test
    void moveFromAnArchiveSendsTheArchivedPayloadOnAsItIs(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String source = queues.create("move_archive");
        String target = queues.create("move_archive_to");
        PgmqClient client = new PgmqClient(db.dataSource());
        Message message = deadLettered("x", "work");
        List<Long> ids = client.sendBatch(source, List.of(CODEC.encode(message), "{\"n\": 2}"));
        client.archive(source, ids);

        ActionReport report = actions(db).move(MessageSource.archive(source), Selection.ids(ids), target, null);
        ActionReport back = actions(db).move(MessageSource.archive(source), Selection.upTo(ids.get(1)), source,
                null);

        assertReport(report, "move", 2, 2, 0, 0);
        assertThat(report.summary()).contains("from " + source + " (archive) to " + target);
        assertReport(back, "move", 0, 0, 0, 0);
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.archive(connection, source)).isEmpty();
            List<Live> moved = live(connection, target);
            assertThat(CODEC.decode(moved.get(0).message())).isEqualTo(message);
            assertThat(moved).allSatisfy(row -> assertThat(row.visible()).isTrue());
        }
    }

    @Test
    void moveKeepsHeadersWherePgmqHasThem(TestDatabaseServer db, TestQueues queues) throws Exception {
        String source = queues.create("move_headers");
        String target = queues.create("move_headers_to");
        PgmqClient client = new PgmqClient(db.dataSource());
        org.junit.jupiter.api.Assumptions.assumeTrue(client.supports(PgmqFeature.HEADERS),
                "headers need pgmq 1.5");
        String headers = "{\"x-supaqueue-dead-letter-reason\": \"kept by a move\", \"trace_id\": \"t-9\"}";
        long id = client.send(source, "{\"h\": true}", headers, Duration.ZERO);

        actions(db).move(MessageSource.queue(source), Selection.ids(id), target, null);

        try (Connection connection = db.connect()) {
            assertThat(tree(live(connection, target).get(0).headers())).isEqualTo(tree(headers));
        }
    }

    @Test
    void moveChecksItsTargetBeforeChangingAnything(TestDatabaseServer db, TestQueues queues) throws Exception {
        String source = queues.create("move_checks");
        List<Long> ids = MessageActionsIT.send(db, source, 2);
        MessageActions actions = actions(db);

        assertThatThrownBy(() -> actions.move(MessageSource.queue(source), Selection.ids(ids),
                queues.newName("absent"), null))
                .isInstanceOf(UnknownQueueException.class).hasMessageContaining("absent");
        assertThatThrownBy(() -> actions.move(MessageSource.queue(source), Selection.ids(ids), source, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to the same queue");
        assertThatThrownBy(() -> actions.move(MessageSource.queue(source), Selection.ids(ids), "t'; DROP", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain");
        assertThatThrownBy(() -> actions.move(MessageSource.queue(queues.newName("gone")), Selection.ids(ids),
                source, null)).isInstanceOf(UnknownQueueException.class);
        try (Connection connection = db.connect()) {
            assertThat(live(connection, source)).extracting(Live::msgId).containsExactlyElementsOf(ids);
        }
    }
}
