package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.composition.Group;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batch enqueue on pgmq: send_batch in one transaction, over several queues and chunks. */
@PgmqIntegrationTest
class SupabaseBrokerBatchIT {

    private static Message message(String queue, int n) {
        return Message.create(queue, "add", List.of(n, n), Map.of(), Map.of());
    }

    @Test
    void aBatchOverTwoQueuesAndSeveralChunksIsStoredWhole(TestDatabaseServer db, TestQueues queues) {
        String namespace = queues.newNamespace();
        try (SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of())) {
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) {
                batch.add(message(i % 5 == 0 ? "other" : "jobs", i));
            }

            List<Message> enqueued = broker.enqueueAll(batch);

            assertThat(enqueued).hasSize(2_500);
            assertThat(broker.queueLength("jobs")).isEqualTo(2_000);
            assertThat(broker.queueLength("other")).isEqualTo(500);
            MessageCodec codec = new MessageCodec();
            assertThat(broker.client().read(namespace + "_jobs", 30, 3))
                    .extracting(row -> codec.decode(row.message()).args())
                    .containsExactly(List.of(1, 1), List.of(2, 2), List.of(3, 3));
        }
    }

    @Test
    void aDelayedBatchStaysHiddenUntilItsDelay(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        try (SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of())) {
            broker.declareQueue("jobs");
            broker.enqueueAll(List.of(message("jobs", 1), message("jobs", 2)), Duration.ofSeconds(30));

            try (Consumer consumer = broker.consume("jobs", 5, Duration.ofMillis(200))) {
                assertThat(consumer.next()).isEmpty();
            }
            assertThat(broker.queueLength("jobs")).isEqualTo(2);
        }
    }

    @Test
    void aGroupOfMessagesIsEnqueuedAsOneBatch(TestDatabaseServer db, TestQueues queues) {
        String namespace = queues.newNamespace();
        try (SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of())) {
            List<Object> children = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                children.add(message("jobs", i));
            }

            Group.group(children, broker).run();

            assertThat(broker.queueLength("jobs")).isEqualTo(100);
        }
    }
}
