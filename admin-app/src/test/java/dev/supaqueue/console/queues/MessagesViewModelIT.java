package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The message table against the real database: paging, filters, sources and the live countdown. */
@PgmqIntegrationTest
class MessagesViewModelIT {

    private final ManualTicker ticker = new ManualTicker();

    private MessagesViewModel viewModel(TestDatabaseServer db) {
        QueueAdmin admin = QueueAdmin.create(db.dataSource(), AdminOptions.defaults());
        return new MessagesViewModel(() -> admin, BackgroundTasks.inline(), ticker, ConsoleMessages.bundle(),
                ZoneId.of("UTC"), 50);
    }

    private static List<Long> ids(MessagesViewModel viewModel) {
        return viewModel.rows().stream().map(MessageRow::msgId).toList();
    }

    @Test
    void pagesThroughAQueueFiftyAtATime(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("paging");
        List<Long> sent;
        try (Connection connection = db.connect()) {
            sent = QueueFixtures.sendDramatiq(connection, queue, 120, "send_email");
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        MessagesViewModel viewModel = viewModel(db);

        viewModel.showQueue(admin.queue(queue));
        assertThat(viewModel.sourceProperty().get()).isEqualTo(MessageSource.queue(queue));
        assertThat(ids(viewModel)).isEqualTo(sent.subList(0, 50));
        assertThat(viewModel.hasPreviousProperty().get()).isFalse();
        assertThat(viewModel.hasNextProperty().get()).isTrue();
        assertThat(viewModel.pageInfoProperty().get()).isEqualTo("50 messages, msg_id " + sent.get(0) + "–"
                + sent.get(49));

        viewModel.nextPage();
        assertThat(ids(viewModel)).isEqualTo(sent.subList(50, 100));
        viewModel.nextPage();
        assertThat(ids(viewModel)).isEqualTo(sent.subList(100, 120));
        assertThat(viewModel.hasNextProperty().get()).isFalse();
        viewModel.nextPage(); // nothing follows: stays
        assertThat(ids(viewModel)).hasSize(20);

        viewModel.previousPage();
        assertThat(ids(viewModel)).isEqualTo(sent.subList(50, 100));
        viewModel.firstPage();
        assertThat(ids(viewModel)).isEqualTo(sent.subList(0, 50));

        viewModel.newestFirstProperty().set(true);
        assertThat(ids(viewModel)).isEqualTo(sent.subList(70, 120).reversed());

        MessageRow row = viewModel.rows().getFirst();
        assertThat(row.actor()).isEqualTo("send_email");
        assertThat(row.state()).isEqualTo("ready");
        assertThat(row.messageId()).hasSize(36);
        assertThat(row.preview()).contains("\"actor_name\"").doesNotContain("\n");
        assertThat(row.visibleInProperty().get()).as("ready rows are visible").isEqualTo("visible");
        assertThat(viewModel.errorProperty().get()).isNull();
    }

    @Test
    void countsDownAnInFlightMessageOnTheServerClockUntilItIsVisible(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("countdown");
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 3, "work");
            assertThat(PgmqSql.read(connection, queue, 300, 1)).hasSize(1);
            PgmqSql.send(connection, queue, QueueFixtures.json(QueueFixtures.dramatiq(queue, "later", 9,
                    java.util.Map.of())), 60);
        }
        MessagesViewModel viewModel = viewModel(db);
        viewModel.showQueue(QueueAdmin.create(db.dataSource()).queue(queue));

        MessageRow inFlight = viewModel.rows().get(0);
        MessageRow ready = viewModel.rows().get(1);
        MessageRow delayed = viewModel.rows().get(3);
        assertThat(inFlight.state()).isEqualTo("in flight");
        assertThat(delayed.state()).isEqualTo("delayed");
        assertThat(seconds(inFlight.visibleInProperty().get())).isBetween(295, 300);
        assertThat(seconds(delayed.visibleInProperty().get())).isBetween(55, 60);
        int before = seconds(inFlight.visibleInProperty().get());

        ticker.advance(Duration.ofSeconds(10));
        assertThat(seconds(inFlight.visibleInProperty().get())).isEqualTo(before - 10);
        assertThat(ready.visibleInProperty().get()).isEqualTo("visible");

        ticker.advance(Duration.ofSeconds(60));
        assertThat(delayed.visibleInProperty().get()).isEqualTo("visible");
        ticker.advance(Duration.ofSeconds(300));
        assertThat(inFlight.visibleInProperty().get()).isEqualTo("visible");

        viewModel.dispose();
        assertThat(ticker.scheduledCount()).isZero();
    }

    /** {@code 4:59} as 299 seconds. */
    static int seconds(String countdown) {
        String[] parts = countdown.split(":");
        assertThat(parts).as("a m:ss countdown, got %s", countdown).hasSize(2);
        return Integer.parseInt(parts[0]) * 60 + Integer.parseInt(parts[1]);
    }

    @Test
    void filtersByStateActorIdsAndJson(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("filters");
        List<Long> sent;
        try (Connection connection = db.connect()) {
            sent = QueueFixtures.sendDramatiq(connection, queue, 12, "send_email", "resize_image", "charge");
            PgmqSql.read(connection, queue, 300, 2); // the first two are in flight
        }
        MessagesViewModel viewModel = viewModel(db);
        viewModel.showQueue(QueueAdmin.create(db.dataSource()).queue(queue));
        assertThat(viewModel.rows()).hasSize(12);

        viewModel.actorFilterProperty().set(" resize_image ");
        viewModel.applyFilter();
        assertThat(viewModel.rows()).extracting(MessageRow::actor).hasSize(4).containsOnly("resize_image");

        viewModel.showReadyProperty().set(false); // applies at once: only in flight and delayed
        assertThat(ids(viewModel)).containsExactly(sent.get(1));

        viewModel.clearFilter();
        assertThat(viewModel.rows()).hasSize(12);

        viewModel.idFilterProperty().set(Long.toString(sent.get(5)));
        viewModel.applyFilter();
        assertThat(ids(viewModel)).containsExactly(sent.get(5));

        String messageId = viewModel.rows().getFirst().messageId();
        viewModel.clearFilter();
        viewModel.idFilterProperty().set(messageId);
        viewModel.applyFilter();
        assertThat(ids(viewModel)).containsExactly(sent.get(5));

        viewModel.clearFilter();
        viewModel.payloadFilterProperty().set("{\"kwargs\": {\"n\": 7}}");
        viewModel.applyFilter();
        assertThat(ids(viewModel)).containsExactly(sent.get(7));

        viewModel.payloadFilterProperty().set("{\"kwargs\": ");
        assertThat(viewModel.filterErrorProperty().get()).as("checked while typing")
                .startsWith("The payload filter is not valid JSON");
        viewModel.applyFilter();
        assertThat(ids(viewModel)).as("an invalid filter loads nothing new").containsExactly(sent.get(7));

        viewModel.payloadFilterProperty().set("");
        viewModel.showReadyProperty().set(false);
        viewModel.showInFlightProperty().set(false);
        viewModel.showDelayedProperty().set(false);
        assertThat(viewModel.filterErrorProperty().get()).contains("at least one state");

        viewModel.clearFilter();
        assertThat(viewModel.filterErrorProperty().get()).isNull();
        viewModel.actorFilterProperty().set("nobody");
        viewModel.applyFilter();
        assertThat(viewModel.rows()).isEmpty();
        assertThat(viewModel.pageInfoProperty().get()).isEqualTo("No messages match the filter");
    }

    @Test
    void showsDeadLettersAndTheArchive(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("sources");
        String deadLetters = queues.track(queue + "_xq");
        List<Long> sent;
        try (Connection connection = db.connect()) {
            QueueFixtures.create(connection, deadLetters);
            sent = QueueFixtures.sendDramatiq(connection, queue, 4, "work");
            QueueFixtures.sendDramatiq(connection, deadLetters, 2, "failed");
            PgmqSql.longs(connection, "SELECT * FROM pgmq.archive(?::text, ?::bigint[])", queue,
                    PgmqSql.bigintArray(connection, sent.subList(0, 3)));
        }
        MessagesViewModel viewModel = viewModel(db);
        viewModel.showQueue(QueueAdmin.create(db.dataSource()).queue(queue));
        assertThat(viewModel.sourceKinds()).containsExactly(SourceKind.QUEUE, SourceKind.DEAD_LETTERS,
                SourceKind.ARCHIVE);
        assertThat(ids(viewModel)).containsExactly(sent.get(3));

        viewModel.sourceKindProperty().set(SourceKind.DEAD_LETTERS);
        assertThat(viewModel.sourceProperty().get()).isEqualTo(MessageSource.queue(deadLetters));
        assertThat(viewModel.rows()).extracting(MessageRow::actor).containsExactly("failed", "failed");

        viewModel.showReadyProperty().set(false); // states do not apply to the archive...
        viewModel.sourceKindProperty().set(SourceKind.ARCHIVE);
        assertThat(viewModel.filterErrorProperty().get()).isNull();
        assertThat(ids(viewModel)).isEqualTo(sent.subList(0, 3));
        assertThat(viewModel.rows()).extracting(MessageRow::state).containsOnly("archived");
        assertThat(viewModel.rows().getFirst().visibleInProperty().get()).isEmpty();

        viewModel.showQueue(null);
        assertThat(viewModel.rows()).isEmpty();
        assertThat(viewModel.sourceProperty().get()).isNull();
        assertThat(viewModel.sourceKinds()).isEmpty();
    }

    @Test
    void aFailedPageSaysWhyAndKeepsTheRows(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("gone");
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 2, "work");
        }
        MessagesViewModel viewModel = viewModel(db);
        viewModel.showQueue(QueueAdmin.create(db.dataSource()).queue(queue));
        assertThat(viewModel.rows()).hasSize(2);
        QueueAdmin.create(db.dataSource()).dropQueue(queue);

        viewModel.refresh();
        assertThat(viewModel.errorProperty().get()).startsWith("Could not read the messages of " + queue + ": ")
                .doesNotContain("Exception:");
        assertThat(viewModel.rows()).hasSize(2);
        assertThat(viewModel.loadingProperty().get()).isFalse();
        viewModel.dismissError();
        assertThat(viewModel.errorProperty().get()).isNull();
        assertThat(Set.copyOf(viewModel.sourceKinds())).contains(SourceKind.QUEUE);
    }
}
