package dev.supaqueue.admin;

import static dev.supaqueue.admin.MessageActionsIT.actions;
import static dev.supaqueue.admin.MessageActionsIT.assertReport;
import static dev.supaqueue.admin.MessageActionsIT.live;
import static dev.supaqueue.admin.MessageActionsIT.messageId;
import static dev.supaqueue.admin.MessageActionsIT.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.admin.MessageActionsIT.Live;
import dev.supaqueue.message.Message;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqException;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Batches, progress, cancellation and the consistency of interrupted bulk actions. */
@PgmqIntegrationTest
class BulkActionsIT {

    @Test
    void aBulkMoveCancelledAfterFiveBatchesMovedExactlyThoseBatches(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        String source = namespace + "_bulk_from";
        String target = namespace + "_bulk_to";
        PgmqClient client = new PgmqClient(db.dataSource());
        client.createQueue(source);
        client.createQueue(target);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            bodies.add(MessageActionsIT.CODEC.encode(Message.create("bulk_from", "work", List.of(i), Map.of(),
                    Map.of())));
        }
        List<Long> ids = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += 500) {
            ids.addAll(client.sendBatch(source, bodies.subList(from, from + 500)));
        }
        Set<String> sent = new HashSet<>(bodies.stream().map(MessageActionsIT::messageId).toList());
        List<ActionProgress> progress = new ArrayList<>();
        ActionControl control = ActionControl.create();
        control.onProgress(progress::add).onProgress(p -> {
            if (p.batches() == 5) {
                control.cancel();
            }
        });

        ActionReport report = actions(db, AdminOptions.builder().batchSize(100).build())
                .move(MessageSource.queue(source), Selection.upTo(ids.get(ids.size() - 1)), target, control);

        assertReport(report, "move", 500, 500, 0, 0);
        assertThat(report.cancelled()).isTrue();
        assertThat(report.batches()).isEqualTo(5);
        assertThat(report.newMsgIds()).hasSize(500).doesNotHaveDuplicates();
        assertThat(report.summary()).isEqualTo("Moved 500 of 500 selected messages from " + source + " to "
                + target + "; cancelled after 5 batches, so the rest of the selection was not touched.");
        assertThat(progress).extracting(ActionProgress::processed).containsExactly(100L, 200L, 300L, 400L, 500L);
        assertThat(progress).allSatisfy(p -> assertThat(p.expected()).isEqualTo(Count.exact(2_000)));
        try (Connection connection = db.connect()) {
            List<Live> left = live(connection, source);
            List<Live> moved = live(connection, target);
            assertThat(left).hasSize(1_500);
            assertThat(left).extracting(Live::msgId).containsExactlyElementsOf(ids.subList(500, 2_000));
            assertThat(moved).hasSize(500);
            assertThat(moved).extracting(Live::msgId).containsExactlyElementsOf(report.newMsgIds());
            List<String> leftIds = left.stream().map(row -> messageId(row.message())).toList();
            List<String> movedIds = moved.stream().map(row -> messageId(row.message())).toList();
            assertThat(leftIds).doesNotHaveDuplicates().doesNotContainAnyElementsOf(movedIds);
            assertThat(movedIds).doesNotHaveDuplicates();
            Set<String> all = new HashSet<>(leftIds);
            all.addAll(movedIds);
            assertThat(all).isEqualTo(sent);
            assertThat(moved).allSatisfy(row ->
                    assertThat(MessageActionsIT.CODEC.decode(row.message()).queueName()).isEqualTo("bulk_to"));
        }
    }

    @Test
    void aBoundSelectionLeavesMessagesSentDuringTheAction(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("bulk_bound");
        List<Long> before = send(db, queue, 300);
        PgmqClient client = new PgmqClient(db.dataSource());
        List<Long> during = new ArrayList<>();
        ActionControl control = ActionControl.create().onProgress(p -> during.addAll(
                client.sendBatch(queue, List.of("{\"late\": 1}", "{\"late\": 2}", "{\"late\": 3}"))));

        ActionReport report = actions(db, AdminOptions.builder().batchSize(100).build())
                .delete(MessageSource.queue(queue), Selection.upTo(before.get(before.size() - 1)), control);

        assertReport(report, "delete", 300, 300, 0, 0);
        assertThat(report.batches()).isEqualTo(3);
        assertThat(during).hasSize(9);
        try (Connection connection = db.connect()) {
            assertThat(live(connection, queue)).extracting(Live::msgId).containsExactlyElementsOf(during);
        }
    }

    @Test
    void aBatchThatFailsIsRolledBackAndTheErrorSaysHowFarTheActionGot(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String source = queues.create("bulk_fail");
        String target = queues.create("bulk_fail_to");
        List<Long> ids = send(db, source, 300);
        PgmqClient client = new PgmqClient(db.dataSource());
        ActionControl control = ActionControl.create().onProgress(p -> client.dropQueue(target));

        assertThatThrownBy(() -> actions(db, AdminOptions.builder().batchSize(100).build())
                .move(MessageSource.queue(source), Selection.ids(ids), target, control))
                .isInstanceOf(PgmqException.class)
                .hasMessageContaining("after 1 committed batch (100 of 100 selected messages done), the next batch"
                        + " failed and was rolled back");

        try (Connection connection = db.connect()) {
            assertThat(live(connection, source)).extracting(Live::msgId)
                    .as("the failed batch left its messages where they were")
                    .containsExactlyElementsOf(ids.subList(100, 300));
        }
    }

    @Test
    void progressFollowsAnIdSnapshotChunkByChunk(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("bulk_progress");
        List<Long> ids = send(db, queue, 250);
        List<ActionProgress> progress = new ArrayList<>();

        ActionReport report = actions(db, AdminOptions.builder().batchSize(100).build())
                .archive(queue, Selection.ids(ids), ActionControl.create().onProgress(progress::add));

        assertReport(report, "archive", 250, 250, 0, 0);
        assertThat(progress).containsExactly(
                new ActionProgress("archive", 100, 100, Count.exact(250), 1),
                new ActionProgress("archive", 200, 200, Count.exact(250), 2),
                new ActionProgress("archive", 250, 250, Count.exact(250), 3));
    }

    @Test
    void theExpectedSizeOfABoundIsCappedByTheCountCap(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("bulk_cap");
        List<Long> ids = send(db, queue, 120);
        List<ActionProgress> progress = new ArrayList<>();

        ActionReport report = actions(db, AdminOptions.builder().batchSize(50).countCap(50).build())
                .makeVisible(queue, Selection.upTo(ids.get(119)), ActionControl.create().onProgress(progress::add));

        assertReport(report, "makeVisible", 120, 120, 0, 0);
        assertThat(progress).hasSize(3).allSatisfy(p -> assertThat(p.expected()).isEqualTo(Count.atLeast(50)));
    }

    @Test
    void interruptingTheThreadStopsTheActionBetweenBatches(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("bulk_interrupt");
        List<Long> ids = send(db, queue, 50);
        ActionControl control = ActionControl.create().onProgress(p -> {
            if (p.batches() == 2) {
                Thread.currentThread().interrupt();
            }
        });

        ActionReport report;
        try {
            report = actions(db, AdminOptions.builder().batchSize(10).build())
                    .delete(MessageSource.queue(queue), Selection.ids(ids), control);
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        }

        assertReport(report, "delete", 20, 20, 0, 0);
        assertThat(report.cancelled()).isTrue();
        assertThat(report.summary()).contains("interrupted after 2 batches");
        try (Connection connection = db.connect()) {
            assertThat(live(connection, queue)).extracting(Live::msgId).containsExactlyElementsOf(ids.subList(20, 50));
        }
    }

    @Test
    void aFailingProgressListenerStopsTheActionAfterItsBatch(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("bulk_listener");
        List<Long> ids = send(db, queue, 30);
        ActionControl control = ActionControl.create().onProgress(p -> {
            throw new IllegalStateException("display gone");
        });

        ActionReport report = actions(db, AdminOptions.builder().batchSize(10).build())
                .delete(MessageSource.queue(queue), Selection.upTo(ids.get(29)), control);

        assertReport(report, "delete", 10, 10, 0, 0);
        assertThat(report.cancelled()).isTrue();
        assertThat(report.summary()).contains("stopped because the progress listener failed")
                .contains("display gone");
    }

    @Test
    void aListenerThatCancelsAfterTheLastBatchDoesNotMarkTheActionCancelled(TestDatabaseServer db,
                                                                           TestQueues queues) throws Exception {
        String queue = queues.create("bulk_late_cancel");
        List<Long> ids = send(db, queue, 20);
        ActionControl control = ActionControl.create();
        control.onProgress(p -> control.cancel());

        ActionReport report = actions(db, AdminOptions.builder().batchSize(20).build())
                .delete(MessageSource.queue(queue), Selection.ids(ids), control);

        assertReport(report, "delete", 20, 20, 0, 0);
        assertThat(report.cancelled()).isFalse();
        assertThat(report.isComplete()).isTrue();
    }

    @Test
    void anActionCancelledBeforeItStartsChangesNothing(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("bulk_precancel");
        List<Long> ids = send(db, queue, 5);
        ActionControl control = ActionControl.create();
        control.cancel();

        ActionReport report = actions(db).delete(MessageSource.queue(queue), Selection.ids(ids), control);

        assertReport(report, "delete", 0, 0, 0, 0);
        assertThat(report.cancelled()).isTrue();
        assertThat(report.batches()).isZero();
        try (Connection connection = db.connect()) {
            assertThat(live(connection, queue)).hasSize(5);
        }
    }

    @Test
    void theBatchPauseSpacesTheBatches(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("bulk_pause");
        List<Long> ids = send(db, queue, 30);

        ActionReport report = actions(db, AdminOptions.builder().batchSize(10).batchPause(Duration.ofMillis(150))
                .build()).postpone(queue, Selection.ids(ids), Duration.ofMinutes(1), null);

        assertReport(report, "postpone", 30, 30, 0, 0);
        assertThat(report.batches()).isEqualTo(3);
        assertThat(report.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void rowsAnotherTransactionHoldsAreSkippedNotWaitedFor(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("bulk_locked");
        List<Long> ids = send(db, queue, 6);
        MessageActions actions = actions(db, AdminOptions.builder().batchSize(4).build());

        try (Connection reader = db.connect()) {
            reader.setAutoCommit(false);
            try (PreparedStatement lock = reader.prepareStatement("SELECT msg_id FROM pgmq.\"q_" + queue
                    + "\" WHERE msg_id = ANY(?::bigint[]) FOR UPDATE")) {
                lock.setArray(1, reader.createArrayOf("bigint", new Long[] {ids.get(1), ids.get(4)}));
                try (ResultSet rows = lock.executeQuery()) {
                    while (rows.next()) {
                        // Just taking the locks.
                    }
                }
            }

            ActionReport byIds = actions.delete(MessageSource.queue(queue),
                    Selection.ids(ids.get(0), ids.get(1), 999_999), null);
            ActionReport byBound = actions.delete(MessageSource.queue(queue), Selection.upTo(ids.get(5)), null);

            assertReport(byIds, "delete", 3, 1, 1, 1);
            assertThat(byIds.summary()).contains("1 was left alone (locked by a reader at that moment)");
            assertReport(byBound, "delete", 5, 3, 0, 2);
            reader.rollback();
        }
        try (Connection connection = db.connect()) {
            assertThat(live(connection, queue)).extracting(Live::msgId).containsExactly(ids.get(1), ids.get(4));
        }
    }

    @Test
    void aControlIsSafeToCancelFromAnotherThread() throws Exception {
        ActionControl control = ActionControl.create();
        Thread canceller = new Thread(control::cancel);

        assertThat(control.isCancelled()).isFalse();
        canceller.start();
        canceller.join();

        assertThat(control.isCancelled()).isTrue();
        assertThat(ActionControl.none()).isNotSameAs(ActionControl.none());
        assertThat(ActionControl.none().isCancelled()).isFalse();
    }
}
