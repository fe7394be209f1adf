package dev.supaqueue.console.enqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.BrowseRequest;
import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.MessageState;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sending from the form to the real database and reading back what arrived. */
@PgmqIntegrationTest
class EnqueueViewModelIT {

    @Test
    void sendsTwentyFiveDelayedDramatiqMessagesWithDistinctIds(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("enqueue");
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        EnqueueViewModel form = new EnqueueViewModel(() -> admin, BackgroundTasks.inline(), queue, "emails", false,
                ConsoleMessages.bundle());
        form.actorNameProperty().set("send_email");
        form.argsProperty().set("[7]");
        form.kwargsProperty().set("{\"to\": \"a@example.com\", \"urgent\": true}");
        form.optionsProperty().set("{\"max_retries\": 3}");
        form.delaySecondsProperty().set("60");
        form.countProperty().set("25");
        assertThat(form.canSendProperty().get()).isTrue();

        form.send();

        assertThat(form.errorProperty().get()).isEmpty();
        List<BrowsedMessage> sent = admin.browse(BrowseRequest.firstPage(MessageSource.queue(queue)).withLimit(100))
                .messages();
        assertThat(sent).hasSize(25);
        long first = sent.stream().mapToLong(BrowsedMessage::msgId).min().orElseThrow();
        long last = sent.stream().mapToLong(BrowsedMessage::msgId).max().orElseThrow();
        assertThat(form.resultProperty().get()).isEqualTo("Sent 25 messages to " + queue + " (msg_id " + first
                + "–" + last + ")");
        assertThat(sent).allSatisfy(message -> {
            assertThat(message.state()).isEqualTo(MessageState.DELAYED);
            Message dramatiq = message.dramatiqMessage().orElseThrow();
            assertThat(dramatiq.actorName()).isEqualTo("send_email");
            assertThat(dramatiq.queueName()).isEqualTo("emails");
            assertThat(dramatiq.args()).containsExactly(7);
            assertThat(dramatiq.kwargs()).isEqualTo(Map.of("to", "a@example.com", "urgent", true));
            assertThat(dramatiq.options()).containsEntry("max_retries", 3);
        });
        assertThat(sent.stream().map(BrowsedMessage::messageId).distinct()).hasSize(25);
    }
}
