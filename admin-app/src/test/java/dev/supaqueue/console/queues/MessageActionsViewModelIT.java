package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.ActionReport;
import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.BrowseRequest;
import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.queues.MessageActionsViewModel.Action;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The message actions against the real database: confirmation, availability, results and cancellation. */
@PgmqIntegrationTest
class MessageActionsViewModelIT {

    private static final String READ_ONLY = "This connection is read-only; nothing can be changed";

    private final AtomicInteger refreshes = new AtomicInteger();

    private record Screen(QueueAdmin admin, MessagesViewModel messages, MessageActionsViewModel actions) {
    }

    private Screen screen(TestDatabaseServer db, AdminOptions options, String queue) {
        QueueAdmin admin = QueueAdmin.create(db.dataSource(), options);
        MessagesViewModel messages = new MessagesViewModel(() -> admin, BackgroundTasks.inline(), new ManualTicker(),
                ConsoleMessages.bundle(), ZoneId.of("UTC"), 50);
        MessageActionsViewModel actions = new MessageActionsViewModel(messages, () -> admin,
                BackgroundTasks.inline(), Runnable::run, ConsoleMessages.bundle(), () -> {
                    refreshes.incrementAndGet();
                    messages.refresh();
                });
        messages.showQueue(admin.queue(queue));
        return new Screen(admin, messages, actions);
    }

    private static List<BrowsedMessage> all(QueueAdmin admin, MessageSource source) {
        return admin.browse(BrowseRequest.firstPage(source).withLimit(BrowseRequest.MAX_LIMIT)).messages();
    }

    private static List<Long> ids(QueueAdmin admin, MessageSource source) {
        return all(admin, source).stream().map(BrowsedMessage::msgId).toList();
    }

    @Test
    void deletesTwoSelectedRowsOnlyAfterConfirmation(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("act_delete");
        List<Long> sent;
        try (Connection connection = db.connect()) {
            sent = QueueFixtures.sendDramatiq(connection, queue, 5, "work");
        }
        Screen screen = screen(db, AdminOptions.defaults(), queue);
        MessageActionsViewModel actions = screen.actions();
        assertThat(actions.availability(Action.DELETE).reasonProperty().get()).isEqualTo("Select messages first");
        assertThat(actions.availability(Action.DELETE).availableProperty().get()).isFalse();

        actions.select(screen.messages().rows().subList(1, 3));
        assertThat(actions.availability(Action.DELETE).availableProperty().get()).isTrue();
        actions.deleteSelected();
        assertThat(actions.pendingProperty().get()).as("delete waits for a confirmation").isNotNull();
        assertThat(actions.pendingProperty().get().prompt()).contains("Delete 2 selected messages from " + queue);
        assertThat(ids(screen.admin(), MessageSource.queue(queue))).as("nothing ran yet").isEqualTo(sent);

        actions.cancelConfirmation();
        assertThat(actions.pendingProperty().get()).isNull();
        actions.confirm(); // nothing pending: nothing runs
        assertThat(ids(screen.admin(), MessageSource.queue(queue))).isEqualTo(sent);
        assertThat(actions.lastReportProperty().get()).isNull();

        actions.select(screen.messages().rows().subList(1, 3));
        actions.deleteSelected();
        actions.confirm();

        assertThat(ids(screen.admin(), MessageSource.queue(queue)))
                .containsExactly(sent.get(0), sent.get(3), sent.get(4));
        assertThat(actions.resultProperty().get()).startsWith("Deleted 2 of 2 selected messages");
        assertThat(actions.lastReportProperty().get().affected()).isEqualTo(2);
        assertThat(actions.runningProperty().get()).isFalse();
        assertThat(refreshes.get()).isEqualTo(1);
        assertThat(screen.messages().rows()).extracting(MessageRow::msgId)
                .as("the page was read again").containsExactly(sent.get(0), sent.get(3), sent.get(4));
        actions.dismissResult();
        assertThat(actions.resultProperty().get()).isNull();
    }

    @Test
    void replaysThreeDeadLettersToTheOriginQueueKeepingTheirMessageIds(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("act_replay");
        String deadLetters = queues.track(queue + "_xq");
        try (Connection connection = db.connect()) {
            QueueFixtures.create(connection, deadLetters);
            QueueFixtures.sendDramatiq(connection, deadLetters, 3, "failed");
        }
        Screen screen = screen(db, AdminOptions.defaults(), queue);
        MessageActionsViewModel actions = screen.actions();
        assertThat(actions.availability(Action.REPLAY).reasonProperty().get()).as("the live queue is shown")
                .isEqualTo("Replay works on dead letters and archives");

        screen.messages().sourceKindProperty().set(SourceKind.DEAD_LETTERS);
        List<String> deadIds = screen.messages().rows().stream().map(MessageRow::messageId).toList();
        assertThat(deadIds).hasSize(3);
        actions.select(screen.messages().rows());
        assertThat(actions.availability(Action.REPLAY).availableProperty().get()).isTrue();
        actions.replaySelected();

        assertThat(actions.pendingProperty().get()).as("replay is not destructive").isNull();
        ActionReport report = actions.lastReportProperty().get();
        assertThat(report.affected()).isEqualTo(3);
        assertThat(report.target()).isEqualTo(queue);
        assertThat(actions.resultProperty().get()).isEqualTo(report.summary()).contains("Replayed 3 of 3");
        assertThat(all(screen.admin(), MessageSource.queue(queue))).extracting(BrowsedMessage::messageId)
                .containsExactlyElementsOf(deadIds);
        assertThat(ids(screen.admin(), MessageSource.queue(deadLetters))).isEmpty();
    }

    @Test
    void replayIsOnlyOfferedForDeadLettersAndArchives(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("act_replaysrc");
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 2, "work");
        }
        Screen screen = screen(db, AdminOptions.defaults(), queue);
        MessageActionsViewModel actions = screen.actions();
        actions.select(screen.messages().rows());
        assertThat(actions.availability(Action.REPLAY).reasonProperty().get())
                .isEqualTo("Replay works on dead letters and archives");
        actions.replaySelected();
        assertThat(actions.errorProperty().get()).isEqualTo("Replay works on dead letters and archives");
        assertThat(actions.lastReportProperty().get()).isNull();

        screen.messages().sourceKindProperty().set(SourceKind.ARCHIVE);
        assertThat(actions.availability(Action.ARCHIVE).reasonProperty().get())
                .isEqualTo("This works on live messages only, not on the archive");
    }

    @Test
    void purgeRefusesAWrongTypedNameAndWorksWithTheRightOne(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("act_purge");
        List<Long> sent;
        try (Connection connection = db.connect()) {
            sent = QueueFixtures.sendDramatiq(connection, queue, 4, "work");
        }
        Screen screen = screen(db, AdminOptions.defaults(), queue);
        MessageActionsViewModel actions = screen.actions();

        assertThat(actions.purge(queue)).as("no purge was asked for").isFalse();
        assertThat(ids(screen.admin(), MessageSource.queue(queue))).isEqualTo(sent);

        actions.requestPurge();
        assertThat(actions.pendingProperty().get().typeQueueName()).isTrue();
        assertThat(actions.purge(queue.toUpperCase())).isFalse();
        assertThat(actions.purge(queue + " ")).isFalse();
        actions.confirmationTextProperty().set("wrong");
        actions.confirm();
        assertThat(actions.errorProperty().get()).contains("does not match").contains(queue);
        assertThat(actions.pendingProperty().get()).as("still waiting").isNotNull();
        assertThat(ids(screen.admin(), MessageSource.queue(queue))).isEqualTo(sent);

        actions.confirmationTextProperty().set(queue);
        actions.confirm();
        assertThat(ids(screen.admin(), MessageSource.queue(queue))).isEmpty();
        assertThat(actions.resultProperty().get()).isEqualTo("Purged 4 messages from " + queue + ".");
        assertThat(actions.errorProperty().get()).isNull();
        assertThat(actions.pendingProperty().get()).isNull();
    }

    @Test
    void aReadOnlyConnectionDisablesEveryActionAndRunsNothing(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("act_readonly");
        List<Long> sent;
        try (Connection connection = db.connect()) {
            sent = QueueFixtures.sendDramatiq(connection, queue, 3, "work");
        }
        Screen screen = screen(db, AdminOptions.builder().readOnly(true).build(), queue);
        MessageActionsViewModel actions = screen.actions();
        actions.select(screen.messages().rows());
        assertThat(actions.isReadOnly()).isTrue();
        for (Action action : Action.values()) {
            assertThat(actions.availability(action).availableProperty().get()).as(action.name()).isFalse();
            assertThat(actions.availability(action).reasonProperty().get()).as(action.name()).isEqualTo(READ_ONLY);
            assertThat(actions.upToAvailability(action).availableProperty().get()).as(action.name()).isFalse();
            assertThat(actions.upToAvailability(action).reasonProperty().get()).as(action.name())
                    .isEqualTo(READ_ONLY);
        }

        actions.deleteSelected();
        actions.archiveSelected();
        actions.makeVisibleSelected();
        actions.postponeSelected(Duration.ofMinutes(5));
        actions.replaySelected();
        actions.moveSelected("elsewhere");
        actions.upTo(Action.DELETE);
        actions.requestPurge();
        actions.confirm();
        assertThat(actions.purge(queue)).isFalse();

        assertThat(actions.pendingProperty().get()).isNull();
        assertThat(actions.lastReportProperty().get()).isNull();
        assertThat(actions.errorProperty().get()).isNotNull();
        assertThat(refreshes.get()).isZero();
        assertThat(ids(screen.admin(), MessageSource.queue(queue))).isEqualTo(sent);
    }

    @Test
    void cancellingABulkUpToActionStopsAfterTheFirstBatchAndSaysSo(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("act_cancel");
        List<Long> sent;
        try (Connection connection = db.connect()) {
            sent = QueueFixtures.sendDramatiq(connection, queue, 1_000, "work");
        }
        Screen screen = screen(db, AdminOptions.builder().batchSize(100).build(), queue);
        MessageActionsViewModel actions = screen.actions();
        assertThat(actions.upToTextProperty().get()).as("the page's highest msg_id")
                .isEqualTo(Long.toString(sent.get(49)));
        actions.upToTextProperty().set(Long.toString(sent.getLast()));
        assertThat(actions.upToAvailability(Action.DELETE).availableProperty().get()).isTrue();

        AtomicInteger progressUpdates = new AtomicInteger();
        actions.progressTextProperty().addListener((property, old, text) -> {
            if (text.contains("looked at")) { // the first batch has committed: cancel from its progress callback
                progressUpdates.incrementAndGet();
                actions.cancel();
            }
        });
        actions.upTo(Action.DELETE);
        assertThat(actions.pendingProperty().get()).as("every up-to action is confirmed").isNotNull();
        assertThat(actions.pendingProperty().get().prompt())
                .contains("every message with msg_id up to " + sent.getLast());
        actions.confirm();

        ActionReport report = actions.lastReportProperty().get();
        assertThat(report.cancelled()).isTrue();
        assertThat(report.batches()).isEqualTo(1);
        assertThat(report.affected()).isEqualTo(100);
        assertThat(progressUpdates.get()).isEqualTo(1);
        assertThat(actions.resultProperty().get()).isEqualTo(report.summary()).containsIgnoringCase("cancel");
        List<Long> left = ids(screen.admin(), MessageSource.queue(queue));
        assertThat(left).as("the first batch is gone entirely, the rest untouched")
                .isEqualTo(sent.subList(100, 1_000));
        assertThat(actions.runningProperty().get()).isFalse();
        assertThat(actions.progressTextProperty().get()).isEmpty();
    }
}
