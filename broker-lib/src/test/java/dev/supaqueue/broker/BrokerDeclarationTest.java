package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.message.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Declaring actors and queues, and enqueueing on the base broker (DRAMATIQ.md §1.1, §3, §7 item 2). */
class BrokerDeclarationTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final StubBroker broker = new StubBroker(List.of(
            new RecordingMiddleware("M", calls, Set.of("max_retries"))));

    @Test
    void declaringAnActorDeclaresItsQueueAndRegistersIt() {
        TestActor actor = TestActor.declare(broker, "send_email", "emails");

        assertThat(broker.isDeclared("emails")).isTrue();
        assertThat(broker.declaredQueues()).containsExactly("emails");
        assertThat(broker.getActor("send_email")).isSameAs(actor);
        assertThat(broker.findActor("send_email")).containsSame(actor);
        assertThat(broker.actors()).containsOnlyKeys("send_email");
        assertThat(calls).containsExactly(
                "M:beforeDeclareActor(send_email)",
                "M:beforeDeclareQueue(emails)", "M:afterDeclareQueue(emails)",
                "M:afterDeclareActor(send_email)");
    }

    @Test
    void anUnknownActorIsActorNotFound() {
        assertThat(broker.findActor("nope")).isEmpty();
        assertThatThrownBy(() -> broker.getActor("nope"))
                .isInstanceOf(ActorNotFoundException.class)
                .hasMessageContaining("'nope'")
                .satisfies(e -> assertThat(((ActorNotFoundException) e).actorName()).isEqualTo("nope"));
    }

    @Test
    void aDuplicateActorNameIsRefusedWithDramatiqsMessage() {
        TestActor first = TestActor.declare(broker, "x", "q");
        calls.clear();

        assertThatThrownBy(() -> broker.declareActor(new TestActor(broker, "x", "other")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An actor named 'x' is already registered.");
        assertThat(broker.getActor("x")).isSameAs(first);
        assertThat(broker.isDeclared("other")).isFalse();
        assertThat(calls).isEmpty();
    }

    @Test
    void anActorWithAnOptionThatNoMiddlewareKnowsIsRefused() {
        TestActor actor = new TestActor(broker, "a", "q", Map.of("max_retries", 3, "frobnicate", true));

        assertThatThrownBy(() -> broker.declareActor(actor))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a'")
                .hasMessageContaining("[frobnicate]");
        assertThat(broker.findActor("a")).isEmpty();
        assertThat(broker.isDeclared("q")).isFalse();
    }

    @Test
    void anActorWithKnownOptionsIsAccepted() {
        broker.declareActor(new TestActor(broker, "a", "q", Map.of("max_retries", 3)));

        assertThat(broker.getActor("a").options()).containsEntry("max_retries", 3);
    }

    @Test
    void withoutMiddlewareEveryActorOptionIsUnknown() {
        StubBroker bare = new StubBroker();

        assertThatThrownBy(() -> bare.declareActor(new TestActor(bare, "a", "q", Map.of("max_retries", 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max_retries");
    }

    @Test
    void anInvalidQueueNameIsRefused() {
        assertThatThrownBy(() -> broker.declareQueue("$2@!@#"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$2@!@#");
        assertThatThrownBy(() -> broker.declareActor(new TestActor(broker, "a", "$2@!@#")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$2@!@#");
        assertThatThrownBy(() -> broker.declareQueue("Default")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> broker.declareQueue("")).isInstanceOf(IllegalArgumentException.class);

        assertThat(broker.declaredQueues()).isEmpty();
        assertThat(broker.findActor("a")).isEmpty();
    }

    @Test
    void declareQueueIsIdempotent() {
        broker.declareQueue("q");
        broker.declareQueue("q");
        TestActor.declare(broker, "a", "q");

        assertThat(broker.declaredQueues()).containsExactly("q");
        assertThat(calls).containsExactly(
                "M:beforeDeclareQueue(q)", "M:afterDeclareQueue(q)",
                "M:beforeDeclareActor(a)", "M:afterDeclareActor(a)");
    }

    @Test
    void declaredQueuesKeepDeclarationOrder() {
        broker.declareQueue("c");
        broker.declareQueue("a");
        broker.declareQueue("b");

        assertThat(broker.declaredQueues()).containsExactly("c", "a", "b");
    }

    @Test
    void enqueueingOnAnUndeclaredQueueIsQueueNotFound() {
        Message message = Message.create("idontexist", "a", List.of(), Map.of(), Map.of());

        assertThatThrownBy(() -> broker.enqueue(message))
                .isInstanceOf(QueueNotFoundException.class)
                .hasMessageContaining("'idontexist'")
                .satisfies(e -> assertThat(((QueueNotFoundException) e).queueName()).isEqualTo("idontexist"));
        assertThat(calls).isEmpty();
    }

    @Test
    void aNegativeDelayIsRefusedBeforeAnyHook() {
        broker.declareQueue("q");
        calls.clear();
        Message message = Message.create("q", "a", List.of(), Map.of(), Map.of());

        assertThatThrownBy(() -> broker.enqueue(message, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThat(calls).isEmpty();
        assertThat(broker.queueSize("q")).isZero();
    }

    @Test
    void enqueueEmitsBeforeAndAfterEnqueueWithTheDelay() {
        TestActor actor = TestActor.declare(broker, "a", "q");
        calls.clear();

        Message sent = broker.enqueue(actor.message(1), Duration.ofMillis(250));
        broker.enqueue(actor.message(2), null);
        actor.send(3);

        assertThat(sent.args()).containsExactly(1);
        assertThat(calls).containsExactly(
                "M:beforeEnqueue(q, 250ms)", "M:afterEnqueue(q, 250ms)",
                "M:beforeEnqueue(q, 0ms)", "M:afterEnqueue(q, 0ms)",
                "M:beforeEnqueue(q, 0ms)", "M:afterEnqueue(q, 0ms)");
        assertThat(broker.queueSize("q")).isEqualTo(3);
    }

    @Test
    void enqueueReturnsTheMessageAsStored() {
        TestActor actor = TestActor.declare(broker, "a", "q");
        Message message = actor.messageWithOptions(List.of("x"), Map.of("k", 1), Map.of("max_retries", 2));

        assertThat(broker.enqueue(message)).isEqualTo(message);
    }
}
