package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.BrowseRequest;
import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detail pane against the real database: whole payloads of cut rows, Dramatiq fields, copy. */
@PgmqIntegrationTest
class MessageDetailViewModelIT {

    private final List<String> clipboard = new ArrayList<>();

    private MessageDetailViewModel viewModel(QueueAdmin admin) {
        return new MessageDetailViewModel(() -> admin, BackgroundTasks.inline(), clipboard::add, ConsoleMessages.bundle(),
                ZoneId.of("UTC"));
    }

    private static BrowsedMessage firstRow(QueueAdmin admin, String queue) {
        return admin.browse(BrowseRequest.firstPage(MessageSource.queue(queue))).messages().getFirst();
    }

    @Test
    void showsAFailedDramatiqMessageReadably(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("detail");
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("retries", 3);
        options.put("traceback", "Traceback (most recent call last):\n  File \"tasks.py\", line 4\nValueError: no");
        Message message = QueueFixtures.dramatiq(queue, "send_email", 7, options);
        try (Connection connection = db.connect()) {
            PgmqSql.send(connection, queue, QueueFixtures.json(message));
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        MessageDetailViewModel viewModel = viewModel(admin);

        BrowsedMessage row = firstRow(admin, queue);
        viewModel.show(row);

        assertThat(viewModel.presentProperty().get()).isTrue();
        assertThat(viewModel.titleProperty().get()).isEqualTo("msg_id " + row.msgId() + " in " + queue);
        assertThat(viewModel.payloadProperty().get()).startsWith("{\n  \"").contains("\n  \"actor_name\": \"send_email\"");
        assertThat(viewModel.actorProperty().get()).isEqualTo("send_email");
        assertThat(viewModel.queueNameProperty().get()).isEqualTo(queue);
        assertThat(viewModel.messageIdProperty().get()).isEqualTo(message.messageId());
        assertThat(viewModel.timestampProperty().get()).isEqualTo(
                Formats.timestampWithZone(message.messageDateTime(), ZoneId.of("UTC"))).endsWith(" UTC");
        assertThat(viewModel.argsProperty().get()).isEqualTo("[\n  7,\n  \"text 7\"\n]");
        assertThat(viewModel.kwargsProperty().get()).isEqualTo("{\n  \"n\": 7\n}");
        assertThat(viewModel.retriesProperty().get()).isEqualTo("3");
        assertThat(viewModel.tracebackProperty().get()).as("real line breaks, not \\n escapes")
                .isEqualTo("Traceback (most recent call last):\n  File \"tasks.py\", line 4\nValueError: no");
        assertThat(viewModel.optionsProperty().get()).contains("\"retries\": 3");
        assertThat(viewModel.deadLetterReasonProperty().get()).isEqualTo("—");
        assertThat(viewModel.readCtProperty().get()).isEqualTo("0");
        assertThat(viewModel.notDramatiqProperty().get()).isEmpty();

        viewModel.copyMessageId();
        viewModel.copyTraceback();
        viewModel.copyPayload();
        viewModel.copyHeaders(); // no headers: nothing to copy
        assertThat(clipboard).containsExactly(message.messageId(), viewModel.tracebackProperty().get(),
                viewModel.payloadProperty().get());

        viewModel.show((BrowsedMessage) null);
        assertThat(viewModel.presentProperty().get()).isFalse();
        assertThat(viewModel.payloadProperty().get()).isEmpty();
        viewModel.copyPayload();
        assertThat(clipboard).hasSize(3);
    }

    @Test
    void fetchesTheWholeMessageWhenThePageCutItsPayload(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("long");
        Message message = Message.create(queue, "big", List.of("x".repeat(500)), Map.of(), Map.of());
        try (Connection connection = db.connect()) {
            PgmqSql.send(connection, queue, QueueFixtures.json(message));
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource(),
                AdminOptions.builder().payloadPreviewChars(64).build());
        BrowsedMessage cut = firstRow(admin, queue);
        assertThat(cut.payloadTruncated()).isTrue();
        assertThat(cut.dramatiq()).isNull();

        MessageDetailViewModel viewModel = viewModel(admin);
        viewModel.show(cut);

        assertThat(viewModel.loadingProperty().get()).isFalse();
        assertThat(viewModel.errorProperty().get()).isNull();
        assertThat(viewModel.payloadProperty().get()).contains("x".repeat(500));
        assertThat(viewModel.actorProperty().get()).isEqualTo("big");
        assertThat(viewModel.messageProperty().get().payloadTruncated()).isFalse();
    }

    @Test
    void saysSoWhenTheMessageIsGoneOrNotDramatiq(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("plain");
        try (Connection connection = db.connect()) {
            PgmqSql.send(connection, queue, "{\"hello\": [1, 2.50, {\"deep\": true}]}");
            PgmqSql.send(connection, queue, "{\"filler\": \"" + "y".repeat(200) + "\"}");
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource(),
                AdminOptions.builder().payloadPreviewChars(64).build());
        MessageDetailViewModel viewModel = viewModel(admin);

        List<BrowsedMessage> rows = admin.browse(BrowseRequest.firstPage(MessageSource.queue(queue))).messages();
        viewModel.show(rows.get(0));
        assertThat(viewModel.dramatiqProperty().get()).isFalse();
        assertThat(viewModel.notDramatiqProperty().get()).startsWith("Not a Dramatiq message: ");
        assertThat(viewModel.actorProperty().get()).isEmpty();
        assertThat(viewModel.payloadProperty().get()).as("numbers written as they came")
                .isEqualTo("{\n  \"hello\": [\n    1,\n    2.50,\n    {\n      \"deep\": true\n    }\n  ]\n}");

        admin.delete(MessageSource.queue(queue), dev.supaqueue.admin.Selection.ids(List.of(rows.get(1).msgId())));
        viewModel.show(rows.get(1)); // cut, so it is fetched: and it is gone
        assertThat(viewModel.presentProperty().get()).isFalse();
        assertThat(viewModel.errorProperty().get()).isEqualTo("Message " + rows.get(1).msgId() + " is no longer in "
                + queue + ": it was consumed, deleted or moved meanwhile.");
        viewModel.dismissError();
        assertThat(viewModel.errorProperty().get()).isNull();
    }
}
