package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every operation of {@link PgmqClient} against the real test database, with the version the database has. */
@PgmqIntegrationTest
class PgmqClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------------------------------------------
    // Installation
    // ------------------------------------------------------------------------------------------------------

    @Test
    void detectsTheInstallationOnceAndCachesIt(TestDatabaseServer db) throws Exception {
        PgmqClient client = new PgmqClient(TestDataSources.of(db));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<PgmqInstallation>> probes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                probes.add(client::installation);
            }
            List<PgmqInstallation> found = new ArrayList<>();
            for (Future<PgmqInstallation> future : pool.invokeAll(probes)) {
                found.add(future.get());
            }
            assertThat(found).allSatisfy(installation -> assertThat(installation).isSameAs(found.get(0)));
        } finally {
            pool.shutdownNow();
        }
        assertThat(client.installation()).isEqualTo(db.pgmq());
        for (PgmqFeature feature : PgmqFeature.values()) {
            // By version, plus what the compat schema lists as extra (insert notifications from revision 2).
            boolean byVersion = db.pgmq().version().atLeast(feature.since().major(), feature.since().minor(),
                    feature.since().patch());
            assertThat(client.supports(feature)).as(feature.name())
                    .isEqualTo(byVersion || db.pgmq().extraFeatures().contains(feature));
        }
        if (db.pgmq().flavour() == PgmqFlavour.SUPAQUEUE_COMPAT) {
            assertThat(db.pgmq().extraFeatures()).containsExactly(PgmqFeature.NOTIFY_INSERT);
        } else {
            assertThat(db.pgmq().extraFeatures()).as("a real pgmq: its version says it all").isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Queues
    // ------------------------------------------------------------------------------------------------------

    @Test
    void createsListsAndDropsQueues(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String logged = queues.track(queues.newName("client_logged"));
        String unlogged = queues.track(queues.newName("client_unlogged"));
        Instant before = Instant.now().minusSeconds(60);

        client.createQueue(logged);
        client.createQueue(logged); // idempotent, as pgmq.create is
        client.createUnloggedQueue(unlogged);

        assertThat(client.queueExists(logged)).isTrue();
        assertThat(client.queueExists(unlogged)).isTrue();
        List<QueueInfo> listed = client.listQueues();
        assertThat(listed).extracting(QueueInfo::name).isSorted();
        QueueInfo loggedInfo = find(listed, logged);
        QueueInfo unloggedInfo = find(listed, unlogged);
        assertThat(loggedInfo.partitioned()).isFalse();
        assertThat(loggedInfo.unlogged()).isFalse();
        assertThat(unloggedInfo.unlogged()).isTrue();
        assertThat(loggedInfo.createdAt()).isBetween(before, Instant.now().plusSeconds(60));

        assertThat(client.dropQueue(logged)).isTrue();
        assertThat(client.queueExists(logged)).isFalse();
        assertThat(client.dropQueue(logged)).as("already dropped").isFalse();
        assertThat(client.dropQueue(queues.newName("never_created"))).isFalse();
        assertThat(client.listQueues()).extracting(QueueInfo::name).doesNotContain(logged).contains(unlogged);
    }

    @Test
    void rejectsBadQueueNamesWithPgmqsRule(TestDatabaseServer db) {
        PgmqClient client = client(db);
        assertThatThrownBy(() -> client.createQueue("bad'name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain '");
        assertThatThrownBy(() -> client.send("x".repeat(48), "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 47");
        assertThat(client.listQueues()).extracting(QueueInfo::name).doesNotContain("bad'name");
    }

    @Test
    void purgeRemovesVisibleInFlightAndDelayedMessagesButNotTheArchive(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_purge");
        List<Long> ids = client.sendBatch(queue, List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"));
        client.send(queue, "{\"n\":4}", Duration.ofSeconds(60));
        client.read(queue, 60, 1);
        client.archive(queue, ids.get(2));

        assertThat(client.purgeQueue(queue)).isEqualTo(3);
        assertThat(client.metrics(queue).queueLength()).isZero();
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.archive(connection, queue)).extracting(PgmqSql.ArchivedRow::msgId)
                    .containsExactly(ids.get(2));
        }
        assertThat(client.purgeQueue(queue)).isZero();
    }

    @Test
    void metricsReportEveryColumnByName(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_metrics");

        QueueMetrics empty = client.metrics(queue);
        assertThat(empty.queueName()).isEqualTo(queue);
        assertThat(empty.queueLength()).isZero();
        assertThat(empty.oldestMsgAgeSec()).as("no messages, no age").isNull();
        assertThat(empty.newestMessageAgeSeconds()).isEmpty();
        assertThat(empty.totalMessages()).isZero();

        client.sendBatch(queue, List.of("{}", "{}"));
        client.send(queue, "{}", Duration.ofSeconds(60));
        QueueMetrics metrics = client.metrics(queue);
        assertThat(metrics.queueLength()).isEqualTo(3);
        assertThat(metrics.totalMessages()).isEqualTo(3);
        assertThat(metrics.oldestMsgAgeSec()).isNotNull().isBetween(0, 60);
        assertThat(metrics.newestMsgAgeSec()).isNotNull().isBetween(0, 60);
        assertThat(metrics.scrapeTime()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        assertThat(metrics.defaultPartitionLength()).as("not partitioned").isNull();
        if (client.supports(PgmqFeature.QUEUE_VISIBLE_LENGTH)) {
            assertThat(metrics.visibleLength()).hasValue(2);
        } else {
            assertThat(metrics.queueVisibleLength()).isNull();
        }

        List<QueueMetrics> all = client.metricsAll();
        assertThat(all).extracting(QueueMetrics::queueName).isSorted().contains(queue);
        assertThat(all).filteredOn(m -> m.queueName().equals(queue)).singleElement()
                .extracting(QueueMetrics::queueLength).isEqualTo(3L);
    }

    @Test
    void notifyInsertIsGatedByVersion(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_notify");
        assertThat(client.notifyInsertEnabled(queue)).isFalse();
        if (client.supports(PgmqFeature.NOTIFY_INSERT)) {
            client.enableNotifyInsert(queue);
            assertThat(client.notifyInsertEnabled(queue)).isTrue();
            client.disableNotifyInsert(queue);
            assertThat(client.notifyInsertEnabled(queue)).isFalse();
        } else {
            assertThatThrownBy(() -> client.enableNotifyInsert(queue))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("needs pgmq 1.7.0 or newer")
                    .hasMessageContaining(db.pgmq().version().toString());
            assertThatThrownBy(() -> client.disableNotifyInsert(queue))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("1.7.0");
        }
        if (!client.supports(PgmqFeature.NOTIFY_THROTTLE)) {
            assertThatThrownBy(() -> client.enableNotifyInsert(queue, Duration.ofMillis(100)))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("1.8.0");
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Sending and reading
    // ------------------------------------------------------------------------------------------------------

    @Test
    void readReturnsMessagesSortedByMsgIdWithEveryField(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_read");
        List<Long> sent = new ArrayList<>(client.sendBatch(queue, List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}")));
        for (int n = 4; n <= 8; n++) {
            sent.add(client.send(queue, "{\"n\":" + n + "}"));
        }
        assertThat(sent).isSorted().doesNotHaveDuplicates();
        Instant before = Instant.now().minusSeconds(60);

        List<PgmqMessage> read = client.read(queue, 30, 10);
        assertThat(read).extracting(PgmqMessage::msgId).containsExactlyElementsOf(sent);
        assertThat(read).extracting(PgmqMessage::message).containsExactly(
                "{\"n\": 1}", "{\"n\": 2}", "{\"n\": 3}", "{\"n\": 4}", "{\"n\": 5}", "{\"n\": 6}", "{\"n\": 7}",
                "{\"n\": 8}");
        PgmqMessage first = read.get(0);
        assertThat(first.readCt()).isEqualTo(1);
        assertThat(first.enqueuedAt()).isAfter(before);
        assertThat(first.vt()).isAfter(first.enqueuedAt().plusSeconds(25));
        assertThat(first.headers()).isNull();
        if (client.supports(PgmqFeature.LAST_READ_AT)) {
            assertThat(first.lastRead()).isPresent();
        } else {
            assertThat(first.lastReadAt()).as("no last_read_at column before 1.10").isNull();
        }

        assertThat(client.read(queue, 30, 10)).as("all in flight").isEmpty();
    }

    @Test
    void readTakesAtMostQtyLowestIdsFirst(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_read_qty");
        List<Long> ids = client.sendBatch(queue, List.of("{}", "{}", "{}", "{}", "{}"));

        assertThat(client.read(queue, 30, 2)).extracting(PgmqMessage::msgId).containsExactly(ids.get(0), ids.get(1));
        assertThat(client.read(queue, 30, 2)).extracting(PgmqMessage::msgId).containsExactly(ids.get(2), ids.get(3));
        assertThatThrownBy(() -> client.read(queue, 30, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.read(queue, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendBatchReturnsIdsInInputOrder(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_batch");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            bodies.add("{\"i\":" + i + "}");
        }
        List<Long> ids = client.sendBatch(queue, bodies);
        assertThat(ids).hasSize(50).isSorted().doesNotHaveDuplicates();

        List<PgmqMessage> read = client.read(queue, 30, 100);
        for (int i = 0; i < 50; i++) {
            assertThat(read.get(i).msgId()).isEqualTo(ids.get(i));
            assertThat(read.get(i).message()).isEqualTo("{\"i\": " + i + "}");
        }
        assertThat(client.sendBatch(queue, List.of())).as("nothing to send").isEmpty();
    }

    @Test
    void millisecondDelayIsInvisibleAtOnceAndVisibleSoonAfter(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        PgmqClient client = client(db);
        assumeThat(client.supports(PgmqFeature.TIMESTAMP_DELAY)).as("ms delays need pgmq 1.5.0").isTrue();
        String queue = queues.create("client_delay_ms");

        long delayed = client.send(queue, "{\"d\":300}", Duration.ofMillis(300));
        List<Long> batch = client.sendBatch(queue, List.of("{\"b\":1}", "{\"b\":2}"), Duration.ofMillis(300));
        assertThat(client.read(queue, 30, 10)).isEmpty();

        Thread.sleep(400);
        assertThat(client.read(queue, 30, 10)).extracting(PgmqMessage::msgId)
                .containsExactly(delayed, batch.get(0), batch.get(1));
    }

    @Test
    void zeroDelayIsVisibleAndNegativeDelayIsRejected(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_delay_zero");
        long id = client.send(queue, "{}", Duration.ZERO);
        assertThat(client.read(queue, 30, 1)).extracting(PgmqMessage::msgId).containsExactly(id);

        assertThatThrownBy(() -> client.send(queue, "{}", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay must not be negative");
        assertThatThrownBy(() -> client.sendBatch(queue, List.of("{}"), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay must not be negative");
        assertThat(client.metrics(queue).queueLength()).isEqualTo(1);
    }

    @Test
    void headersRoundTrip(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        assumeThat(client.supports(PgmqFeature.HEADERS)).as("headers need pgmq 1.5.0").isTrue();
        String queue = queues.create("client_headers");

        long plain = client.send(queue, "{\"h\":0}");
        long single = client.send(queue, "{\"h\":1}", "{\"x-pgmq-group\":\"g1\",\"trace\":[1,2]}", Duration.ZERO);
        List<Long> batch = client.sendBatch(queue, List.of("{\"h\":2}", "{\"h\":3}"),
                java.util.Arrays.asList("{\"k\":\"two\"}", null), Duration.ZERO);

        List<PgmqMessage> read = client.read(queue, 30, 10);
        assertThat(read).extracting(PgmqMessage::msgId).containsExactly(plain, single, batch.get(0), batch.get(1));
        assertThat(read.get(0).headers()).isNull();
        assertThat(json(read.get(1).headers())).isEqualTo(json("{\"trace\":[1,2],\"x-pgmq-group\":\"g1\"}"));
        assertThat(json(read.get(2).headers())).isEqualTo(json("{\"k\":\"two\"}"));
        assertThat(read.get(3).headersJson()).isEmpty();
        assertThat(json(read.get(1).message())).isEqualTo(json("{\"h\":1}"));

        long delayed = client.send(queue, "{}", "{\"d\":true}", Duration.ofMillis(300));
        assertThat(client.read(queue, 30, 10)).isEmpty();
        Thread.sleep(400);
        assertThat(client.read(queue, 30, 10)).extracting(PgmqMessage::msgId).containsExactly(delayed);

        assertThatThrownBy(() -> client.sendBatch(queue, List.of("{}", "{}"), List.of("{}"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one headers entry per message");
    }

    @Test
    void conditionalReadFiltersOnTheBody(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        assumeThat(client.supports(PgmqFeature.CONDITIONAL_READ)).isTrue();
        String queue = queues.create("client_conditional");
        client.send(queue, "{\"type\":\"a\",\"n\":1}");
        long b1 = client.send(queue, "{\"type\":\"b\",\"n\":2}");
        client.send(queue, "{\"type\":\"a\",\"n\":3}");
        long b2 = client.send(queue, "{\"type\":\"b\",\"n\":4,\"extra\":true}");

        assertThat(client.read(queue, 30, 10, "{\"type\":\"b\"}")).extracting(PgmqMessage::msgId)
                .containsExactly(b1, b2);
        assertThat(client.read(queue, 30, 10, "{\"type\":\"b\"}")).as("now in flight").isEmpty();
        assertThat(client.read(queue, 30, 10, "{}")).as("an empty filter matches all").hasSize(2);
    }

    @Test
    void popReturnsAndDeletesTheOldestVisibleMessage(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_pop");
        List<Long> ids = client.sendBatch(queue, List.of("{\"p\":1}", "{\"p\":2}", "{\"p\":3}"));

        Optional<PgmqMessage> popped = client.pop(queue);
        assertThat(popped).get().extracting(PgmqMessage::msgId).isEqualTo(ids.get(0));
        assertThat(popped.get().readCt()).isZero();
        assertThat(client.metrics(queue).queueLength()).isEqualTo(2);

        if (client.supports(PgmqFeature.POP_QTY)) {
            assertThat(client.pop(queue, 5)).extracting(PgmqMessage::msgId).containsExactly(ids.get(1), ids.get(2));
        } else {
            assertThatThrownBy(() -> client.pop(queue, 2))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("1.7.0");
            assertThat(client.pop(queue, 1)).extracting(PgmqMessage::msgId).containsExactly(ids.get(1));
            assertThat(client.pop(queue)).isPresent();
        }
        assertThat(client.pop(queue)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------
    // Acknowledging and visibility
    // ------------------------------------------------------------------------------------------------------

    @Test
    void deleteOneOrManyReportsWhatWasDeleted(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_delete");
        List<Long> ids = client.sendBatch(queue, List.of("{}", "{}", "{}", "{}"));

        assertThat(client.delete(queue, ids.get(0))).isTrue();
        assertThat(client.delete(queue, ids.get(0))).isFalse();
        assertThat(client.delete(queue, List.of(ids.get(3), ids.get(1), 987_654_321L, ids.get(0))))
                .containsExactly(ids.get(1), ids.get(3));
        assertThat(client.delete(queue, List.of())).isEmpty();
        assertThat(client.read(queue, 30, 10)).extracting(PgmqMessage::msgId).containsExactly(ids.get(2));
    }

    @Test
    void archiveOneOrManyMovesMessagesToTheArchive(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_archive");
        List<Long> ids = client.sendBatch(queue, List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"));

        assertThat(client.archive(queue, ids.get(0))).isTrue();
        assertThat(client.archive(queue, ids.get(0))).isFalse();
        assertThat(client.archive(queue, List.of(ids.get(2), ids.get(1), 987_654_321L)))
                .containsExactly(ids.get(1), ids.get(2));
        assertThat(client.archive(queue, List.of())).isEmpty();

        assertThat(client.metrics(queue).queueLength()).isZero();
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.archive(connection, queue)).extracting(PgmqSql.ArchivedRow::msgId)
                    .containsExactlyElementsOf(ids);
        }
    }

    @Test
    void setVtChangesWhenOneMessageIsVisible(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_set_vt");
        long id = client.send(queue, "{}");
        client.read(queue, 300, 1);

        Optional<PgmqMessage> now = client.setVt(queue, id, 0);
        assertThat(now).get().extracting(PgmqMessage::readCt).isEqualTo(1);
        assertThat(client.read(queue, 300, 1)).extracting(PgmqMessage::readCt).containsExactly(2);

        OffsetDateTime serverNow = serverNow(db);
        PgmqMessage postponed = client.setVt(queue, id, 60).orElseThrow();
        assertThat(postponed.vt()).isBetween(serverNow.plusSeconds(59).toInstant(), serverNow.plusSeconds(62).toInstant());

        // A duration: to the millisecond from 1.10.0, rounded up to whole seconds before.
        serverNow = serverNow(db);
        PgmqMessage byDuration = client.setVt(queue, id, Duration.ofMillis(1500)).orElseThrow();
        Duration expected = client.supports(PgmqFeature.TIMESTAMP_SET_VT) ? Duration.ofMillis(1500) : Duration.ofSeconds(2);
        assertThat(byDuration.vt()).isBetween(serverNow.plus(expected).toInstant(),
                serverNow.plus(expected).toInstant().plusMillis(900));

        assertThat(client.setVt(queue, 987_654_321L, 0)).isEmpty();
        assertThatThrownBy(() -> client.setVt(queue, id, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.setVt(queue, id, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setVtForManyIdsReturnsTheChangedMessagesSorted(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_set_vt_batch");
        List<Long> ids = client.sendBatch(queue, List.of("{}", "{}", "{}", "{}"));
        assertThat(client.read(queue, 300, 3)).hasSize(3);
        assertThat(client.read(queue, 300, 3)).hasSize(1);

        List<PgmqMessage> visible = client.setVt(queue, List.of(ids.get(2), 987_654_321L, ids.get(0), ids.get(1),
                ids.get(0)), 0);
        assertThat(visible).extracting(PgmqMessage::msgId).containsExactly(ids.get(0), ids.get(1), ids.get(2));
        assertThat(client.read(queue, 300, 10)).extracting(PgmqMessage::msgId)
                .containsExactly(ids.get(0), ids.get(1), ids.get(2));

        List<PgmqMessage> byDuration = client.setVt(queue, List.of(ids.get(3)), Duration.ofMillis(10));
        assertThat(byDuration).extracting(PgmqMessage::msgId).containsExactly(ids.get(3));
        assertThat(client.setVt(queue, List.of(), 0)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------
    // Transactions
    // ------------------------------------------------------------------------------------------------------

    @Test
    void moveToDeadLetterQueueCommitsSendAndDeleteTogether(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_tx_main");
        String deadLetters = queues.create("client_tx_xq");
        long id = client.send(queue, "{\"job\":1}");
        PgmqMessage message = client.read(queue, 30, 1).get(0);

        long moved = client.inTransaction(session -> {
            long copy = session.send(deadLetters, message.message());
            assertThat(session.delete(queue, message.msgId())).isTrue();
            return copy;
        });

        assertThat(client.metrics(queue).queueLength()).isZero();
        assertThat(client.read(deadLetters, 30, 10)).extracting(PgmqMessage::msgId, PgmqMessage::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(moved, "{\"job\": 1}"));
        assertThat(id).isEqualTo(message.msgId());
    }

    @Test
    void anExceptionRollsBackSendAndDelete(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_rb_main");
        String deadLetters = queues.create("client_rb_xq");
        long id = client.send(queue, "{\"job\":2}");
        IllegalStateException failure = new IllegalStateException("boom after send and delete");

        assertThatThrownBy(() -> client.inTransaction(session -> {
            session.send(deadLetters, "{\"job\":2}");
            session.delete(queue, id);
            throw failure;
        })).isSameAs(failure);

        assertThat(client.metrics(deadLetters).queueLength()).isZero();
        assertThat(client.read(queue, 30, 10)).extracting(PgmqMessage::msgId).containsExactly(id);
    }

    @Test
    void aFailingStatementRollsBackTheWholeTransaction(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_rb_sql");
        long id = client.send(queue, "{}");

        assertThatThrownBy(() -> client.inTransaction(session -> {
            session.delete(queue, id);
            return session.send(queue, "{not json");
        })).isInstanceOf(PgmqException.class)
                .hasMessageContaining("send on queue \"" + queue + "\"")
                .satisfies(e -> assertThat(((PgmqException) e).sqlState()).isEqualTo("22P02"));
        assertThat(client.metrics(queue).queueLength()).isEqualTo(1);

        // The caller's own JDBC work may throw SQLException: it also rolls back and is wrapped.
        assertThatThrownBy(() -> client.inTransaction(session -> {
            session.delete(queue, id);
            try (PreparedStatement statement = session.connection().prepareStatement("SELECT 1/0")) {
                statement.execute();
            }
            return null;
        })).isInstanceOf(PgmqException.class).hasMessageContaining("transaction")
                .satisfies(e -> assertThat(((PgmqException) e).sqlState()).isEqualTo("22012"));
        assertThat(client.metrics(queue).queueLength()).isEqualTo(1);
    }

    @Test
    void theBorrowedConnectionGetsItsAutocommitModeBack(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("client_autocommit");
        try (Connection connection = db.connect()) {
            TestDataSources.SingleConnection pool = TestDataSources.single(connection);
            PgmqClient client = new PgmqClient(pool);

            client.send(queue, "{}");
            client.inTransaction(session -> session.send(queue, "{}"));
            assertThatThrownBy(() -> client.inTransaction(session -> {
                throw new IllegalStateException("rolled back");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(connection.getAutoCommit()).isTrue();

            // A pool that hands out connections in manual-commit mode gets them back that way, and each
            // operation still committed on its own.
            connection.setAutoCommit(false);
            client.send(queue, "{}");
            assertThat(connection.getAutoCommit()).isFalse();
            client.inTransaction(session -> session.send(queue, "{}"));
            assertThat(connection.getAutoCommit()).isFalse();
            connection.setAutoCommit(true);

            assertThat(pool.returned()).isEqualTo(pool.borrowed());
        }
        assertThat(client(db).metrics(queue).queueLength()).isEqualTo(4);
    }

    @Test
    void aSessionOnTheCallersConnectionJoinsTheCallersTransaction(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_outbox");
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            PgmqSession session = client.session(connection);

            session.send(queue, "{\"outbox\":\"rolled back\"}");
            assertThat(client.read(queue, 30, 10)).as("not committed yet").isEmpty();
            connection.rollback();
            assertThat(client.metrics(queue).queueLength()).isZero();

            long id = session.send(queue, "{\"outbox\":\"committed\"}");
            // Batch set_vt without the array overload runs its statements in the caller's transaction too.
            assertThat(session.setVt(queue, List.of(id), 0)).extracting(PgmqMessage::msgId).containsExactly(id);
            assertThat(connection.getAutoCommit()).isFalse();
            connection.commit();
            assertThat(client.read(queue, 30, 10)).extracting(PgmqMessage::msgId).containsExactly(id);
            connection.setAutoCommit(true);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------------------

    @Test
    void databaseErrorsNameOperationQueueAndSqlState(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String missing = queues.newName("missing");
        assertThatThrownBy(() -> client.send(missing, "{}"))
                .isInstanceOf(PgmqException.class)
                .hasMessageContaining("pgmq send on queue \"" + missing + "\" failed [SQLState ")
                .hasCauseInstanceOf(SQLException.class)
                .satisfies(e -> {
                    PgmqException pgmq = (PgmqException) e;
                    assertThat(pgmq.operation()).isEqualTo("send");
                    assertThat(pgmq.queue()).isEqualTo(missing);
                    assertThat(pgmq.sqlState()).isNotBlank();
                    assertThat(pgmq.isConnectionFailure()).isFalse();
                });
        assertThatThrownBy(() -> client.read(missing, 30, 1)).isInstanceOf(PgmqException.class)
                .hasMessageContaining("read");
        assertThatThrownBy(() -> client.metrics(missing)).isInstanceOf(PgmqException.class);
    }

    // ------------------------------------------------------------------------------------------------------

    static PgmqClient client(TestDatabaseServer db) {
        return new PgmqClient(TestDataSources.of(db));
    }

    static OffsetDateTime serverNow(TestDatabaseServer db) throws SQLException {
        try (Connection connection = db.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT clock_timestamp()");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getObject(1, OffsetDateTime.class);
        }
    }

    private static QueueInfo find(List<QueueInfo> queues, String name) {
        return queues.stream().filter(q -> q.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + queues));
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** A batch is one array literal: the characters that literal syntax gives meaning to must arrive verbatim. */
    @Test
    void aBatchKeepsQuotesBackslashesBracesAndCommasVerbatim(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_batch_literal");
        List<String> bodies = List.of(
                "{\"s\":\"say \\\"hi\\\"\"}",
                "{\"s\":\"C:\\\\temp\\\\new\"}",
                "{\"s\":\"{a,b},{c}\", \"t\": \"}\"}",
                "\"NULL\"",
                "null",
                "[1, \"two\", {\"3\": [4]}]",
                "{\"s\":\"line\\nbreak\\ttab \\u00e9 \\ud83d\\ude00 ✓\"}",
                "  {\"padded\" : true}  ",
                "\"\\\\\"");
        List<Long> ids = client.sendBatch(queue, bodies);

        List<PgmqMessage> read = client.read(queue, 30, 100);
        assertThat(read).extracting(PgmqMessage::msgId).containsExactlyElementsOf(ids);
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(json(read.get(i).message())).as(bodies.get(i)).isEqualTo(json(bodies.get(i)));
        }
    }

    @Test
    void aBatchElementHoldingSeveralValuesSendsNothing(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = client(db);
        String queue = queues.create("client_batch_smuggle");

        assertThatThrownBy(() -> client.sendBatch(queue, List.of("{\"n\":1}", "{\"n\":2}, {\"n\":3}")))
                .isInstanceOf(PgmqException.class).hasMessageContaining("nothing was sent");
        assertThatThrownBy(() -> client.sendBatch(queue, List.of("{\"n\":1", "}")))
                .isInstanceOf(PgmqException.class);
        assertThat(client.metrics(queue).queueLength()).isZero();
    }
}
