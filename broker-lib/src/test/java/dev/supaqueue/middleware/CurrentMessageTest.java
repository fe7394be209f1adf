package dev.supaqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.message.Message;
import dev.supaqueue.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CurrentMessageTest {

    /** Records, after each ack, what CurrentMessage shows on the worker thread: it must be cleared by then. */
    private static final class AfterAck implements Middleware {

        final List<Object> seen = new CopyOnWriteArrayList<>();

        @Override
        public void afterAck(Broker broker, MessageProxy message) {
            seen.add(String.valueOf(CurrentMessage.get()));
        }
    }

    /** Skips the actor named "skipped". */
    private static final class Skipper implements Middleware {

        @Override
        public void beforeProcessMessage(Broker broker, MessageProxy message) {
            if (message.actorName().equals("skipped")) {
                throw new SkipMessage("skipped on purpose");
            }
        }
    }

    @Test
    void theActorSeesItsMessageAndNothingIsLeftAfterwards() throws Exception {
        AfterAck afterAck = new AfterAck();
        try (InterruptTesting t = new InterruptTesting(afterAck, new CurrentMessage(), new Skipper())) {
            AtomicReference<Message> seenByActor = new AtomicReference<>();
            AtomicReference<MessageProxy> proxySeenByActor = new AtomicReference<>();
            Actor<Object> actor = t.actor("reads", Map.of(), m -> {
                seenByActor.set(CurrentMessage.message());
                proxySeenByActor.set(CurrentMessage.get());
                return null;
            });
            Actor<Object> skipped = t.actor("skipped", Map.of(), m -> null);
            Worker worker = t.start(1);

            Message sent = actor.sendWithOptions(List.of(1), Map.of(), null, Map.of("custom", "x"));
            skipped.send();
            t.drain(worker);

            assertThat(seenByActor.get().messageId()).isEqualTo(sent.messageId());
            assertThat(seenByActor.get().options()).containsEntry("custom", "x");
            assertThat(proxySeenByActor.get().messageId()).isEqualTo(sent.messageId());
            assertThat(t.outcomes.awaitOne("skipped").skipped()).isTrue();
            assertThat(afterAck.seen).containsExactly("null", "null");
        }
        assertThat(CurrentMessage.get()).isNull();
        assertThat(CurrentMessage.message()).isNull();
    }
}
