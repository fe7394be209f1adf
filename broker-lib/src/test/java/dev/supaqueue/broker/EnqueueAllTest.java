package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.MiddlewareException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Broker.enqueueAll on the stub broker: hooks, order, refusal before anything is stored. */
class EnqueueAllTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private static Message message(String queue, int n) {
        return Message.create(queue, "work", List.of(n), Map.of(), Map.of());
    }

    @Test
    void storesEveryMessageInOrderAndRunsTheHooksForEach() {
        StubBroker broker = new StubBroker(List.of(new RecordingMiddleware("R", calls)));
        broker.declareQueue("a");
        broker.declareQueue("b");
        calls.clear();
        List<Message> sent = List.of(message("a", 1), message("b", 2), message("a", 3));

        List<Message> enqueued = broker.enqueueAll(sent, Duration.ofMillis(250));

        assertThat(enqueued).extracting(Message::messageId).containsExactlyElementsOf(
                sent.stream().map(Message::messageId).toList());
        assertThat(broker.queueSize("a")).isEqualTo(2);
        assertThat(broker.queueSize("b")).isEqualTo(1);
        assertThat(calls).containsExactly("R:beforeEnqueue(a, 250ms)", "R:beforeEnqueue(b, 250ms)",
                "R:beforeEnqueue(a, 250ms)", "R:afterEnqueue(a, 250ms)", "R:afterEnqueue(b, 250ms)",
                "R:afterEnqueue(a, 250ms)");
    }

    @Test
    void aMessageRefusedByMiddlewareLeavesTheWholeBatchUnstored() {
        Middleware refuseThird = new Middleware() {
            @Override
            public void beforeEnqueue(Broker broker, Message message, Duration delay) {
                if (message.args().getFirst().equals(3)) {
                    throw new MiddlewareException("no threes");
                }
            }
        };
        StubBroker broker = new StubBroker(List.of(refuseThird));
        broker.declareQueue("a");
        List<Message> batch = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            batch.add(message("a", i));
        }

        assertThatThrownBy(() -> broker.enqueueAll(batch)).hasMessageContaining("no threes");
        assertThat(broker.queueSize("a")).isZero();
    }

    @Test
    void undeclaredQueuesNegativeDelaysAndNullsAreRefusedUpFront() {
        StubBroker broker = new StubBroker(List.of());
        broker.declareQueue("a");

        assertThatThrownBy(() -> broker.enqueueAll(List.of(message("a", 1), message("nowhere", 2))))
                .isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> broker.enqueueAll(List.of(message("a", 1)), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        List<Message> withNull = new ArrayList<>();
        withNull.add(message("a", 1));
        withNull.add(null);
        assertThatThrownBy(() -> broker.enqueueAll(withNull)).isInstanceOf(NullPointerException.class);
        assertThat(broker.queueSize("a")).isZero();
        assertThat(broker.enqueueAll(List.of())).isEmpty();
    }

    @Test
    void aDeadLetterQueueAddressIsStoredOnItsCanonicalQueue() {
        StubBroker broker = new StubBroker(List.of());
        broker.declareQueue("a");

        List<Message> enqueued = broker.enqueueAll(List.of(message("a.DQ", 1)));

        assertThat(enqueued.getFirst().queueName()).isEqualTo("a");
        assertThat(broker.queueSize("a")).isEqualTo(1);
    }
}
