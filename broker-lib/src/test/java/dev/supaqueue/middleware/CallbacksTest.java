package dev.supaqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.Actor0;
import dev.supaqueue.actor.Actor2;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.LogCapture;
import dev.supaqueue.testing.StubWorkerFixture;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dramatiq's checklist item 27: on_success and on_failure callbacks. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CallbacksTest {

    /** What one callback received: the message dict (bound back to a Message) and the second argument. */
    record Call(Message message, Object value) {
    }

    private final List<StubWorkerFixture> fixtures = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private StubWorkerFixture fixture(List<? extends Middleware> middleware) {
        StubWorkerFixture fixture = new StubWorkerFixture(middleware);
        fixtures.add(fixture);
        return fixture;
    }

    private StubWorkerFixture fixture() {
        return fixture(List.of(new Callbacks()));
    }

    @AfterEach
    void stop() {
        fixtures.forEach(StubWorkerFixture::close);
    }

    private Actor2<Message, Object, Void> recorder(StubBroker broker, String name) {
        return ActorDefinition.named(name).on(broker)
                .consumer(Message.class, Object.class, (message, value) -> calls.add(new Call(message, value)));
    }

    @Test
    void declaresItsActorOptions() {
        assertThat(new Callbacks().actorOptions()).containsExactlyInAnyOrder("on_success", "on_failure");
        StubBroker without = new StubBroker();
        assertThatThrownBy(() -> ActorDefinition.named("a").option(ActorOptions.ON_SUCCESS, "b").on(without)
                .runnable(() -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("on_success");
    }

    @Test
    void onSuccessGetsTheMessageDictAndTheResult() throws Exception {
        StubWorkerFixture t = fixture();
        recorder(t.broker, "record");
        Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").option(ActorOptions.ON_SUCCESS, "record")
                .on(t.broker).function(Integer.class, Integer.class, Integer::sum);
        Message sent = add.send(1, 2);
        t.start();
        t.drain("default");

        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst().message()).isEqualTo(sent);
        assertThat(calls.getFirst().value()).isEqualTo(3);
    }

    @Test
    void anUntypedCallbackGetsThePlainMessageDict() throws Exception {
        StubWorkerFixture t = fixture();
        List<Object> dicts = new CopyOnWriteArrayList<>();
        ActorDefinition.named("raw").on(t.broker).consumer(Object.class, Object.class, (dict, r) -> dicts.add(dict));
        Actor0<Integer> seven = ActorDefinition.named("seven").option(ActorOptions.ON_SUCCESS, "raw").on(t.broker)
                .function(() -> 7);
        Message sent = seven.send();
        t.start();
        t.drain("default");
        assertThat(dicts).containsExactly(sent.toMap());
    }

    @Test
    void anActorGivenAsCallbackIsStoredAsItsName() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Message, Object, Void> record = recorder(t.broker, "record");
        Actor0<String> hello = ActorDefinition.named("hello").option(ActorOptions.ON_SUCCESS, record).on(t.broker)
                .function(() -> "hi");
        assertThat(hello.options()).containsEntry("on_success", "record");
        hello.send();
        t.start();
        t.drain("default");
        assertThat(calls).extracting(Call::value).containsExactly("hi");
    }

    @Test
    void aMessageOptionOverridesTheActorsAndANullResultIsSent() throws Exception {
        StubWorkerFixture t = fixture();
        recorder(t.broker, "actorLevel");
        recorder(t.broker, "messageLevel");
        Actor0<Void> noop = ActorDefinition.named("noop").option(ActorOptions.ON_SUCCESS, "actorLevel").on(t.broker)
                .runnable(() -> { });
        t.broker.enqueue(noop.messageWithOptions(List.of(), Map.of(), Map.of("on_success", "messageLevel")));
        t.start();
        t.drain("default");
        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst().value()).isNull();
        assertThat(calls.getFirst().message().options()).containsEntry("on_success", "messageLevel");
    }

    @Test
    void onFailureGetsTheExceptionsSimpleNameAndMessage() throws Exception {
        StubWorkerFixture t = fixture();
        recorder(t.broker, "record");
        Actor0<Void> boom = ActorDefinition.named("boom").option(ActorOptions.ON_FAILURE, "record")
                .option(ActorOptions.ON_SUCCESS, "record").on(t.broker).runnable(() -> {
                    throw new IllegalStateException("it broke");
                });
        Message sent = boom.send();
        t.start();
        t.drain("default");

        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst().message().messageId()).isEqualTo(sent.messageId());
        assertThat(calls.getFirst().value()).isEqualTo(Map.of("type", "IllegalStateException", "message", "it broke"));
    }

    @Test
    void onFailureOnEveryAttemptSeesTheRetriesCountedByRetries() throws Exception {
        // The default order: Retries' after hook runs before Callbacks', so the first failure carries retries = 1.
        StubWorkerFixture t = fixture(DefaultMiddleware.create());
        recorder(t.broker, "record");
        Actor0<Void> flaky = ActorDefinition.named("flaky").options(Map.of(ActorOptions.ON_FAILURE, "record",
                        ActorOptions.MAX_RETRIES, 3, ActorOptions.MIN_BACKOFF, 1, ActorOptions.MAX_BACKOFF, 10))
                .on(t.broker).runnable(() -> {
                    throw new RuntimeException();
                });
        flaky.send();
        t.start();
        t.drain("default");

        assertThat(calls).hasSize(4);
        assertThat(calls.stream().map(c -> ((Number) c.message().options().get("retries")).intValue()).sorted())
                .containsExactly(1, 2, 3, 4);
        assertThat(calls).extracting(Call::value)
                .containsOnly(Map.of("type", "RuntimeException", "message", ""));
        assertThat(t.broker.deadLetters("default")).hasSize(1);
    }

    @Test
    void onSuccessIsNotSentAfterAFailureNorOnFailureAfterASuccess() throws Exception {
        StubWorkerFixture t = fixture();
        recorder(t.broker, "record");
        ActorDefinition.named("fails").option(ActorOptions.ON_SUCCESS, "record").on(t.broker).runnable(() -> {
            throw new IllegalStateException("no");
        }).send();
        ActorDefinition.named("works").option(ActorOptions.ON_FAILURE, "record").on(t.broker).runnable(() -> { })
                .send();
        t.start();
        t.drain("default");
        assertThat(calls).isEmpty();
    }

    @Test
    void anUnknownCallbackActorIsLoggedAndTheMessageIsAcked() throws Exception {
        StubWorkerFixture t = fixture();
        Actor0<Integer> one = ActorDefinition.named("one").option(ActorOptions.ON_SUCCESS, "nobody").on(t.broker)
                .function(() -> 1);
        try (LogCapture log = new LogCapture()) {
            one.send();
            t.start();
            t.drain("default");
            StubWorkerFixture.await("the error", () -> log.text().contains("'nobody'"));
            assertThat(log.text()).contains("on_success actor 'nobody'", "is not declared");
        }
        assertThat(t.broker.deadLetters("default")).isEmpty();
        assertThat(t.broker.queueSize("default")).isZero();
    }

    @Test
    void aResultThatIsNotJsonIsLoggedAndNotSent() throws Exception {
        StubWorkerFixture t = fixture();
        recorder(t.broker, "record");
        Actor0<Double> odd = ActorDefinition.named("odd").option(ActorOptions.ON_SUCCESS, "record").on(t.broker)
                .function(() -> Double.NaN);
        try (LogCapture log = new LogCapture()) {
            odd.send();
            t.start();
            t.drain("default");
            StubWorkerFixture.await("the error", () -> log.text().contains("on_success actor 'record' is not sent"));
            assertThat(log.text()).contains("Actor 'odd' returned a result that is not JSON");
        }
        assertThat(calls).isEmpty();
        assertThat(t.broker.deadLetters("default")).isEmpty();
    }

    @Test
    void aCallbackThatIsNotAnActorIsRefusedWhenTheMessageIsBuilt() {
        StubBroker broker = new StubBroker(List.of(new Callbacks()));
        Actor0<Void> noop = ActorDefinition.named("noop").on(broker).runnable(() -> { });
        // Dramatiq raises TypeError; here it is an IllegalArgumentException naming the option.
        assertThatThrownBy(() -> noop.messageWithOptions(List.of(), Map.of(), Map.of("on_success", 42)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("on_success")
                .hasMessageContaining("must be an Actor or an actor name");
        assertThatThrownBy(() -> ActorDefinition.named("bad").option(ActorOptions.ON_FAILURE, List.of("x"))
                .on(broker).runnable(() -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("on_failure");
    }

    @Test
    void callbacksFromManyMessagesEachCarryTheirOwnMessage() throws Exception {
        StubWorkerFixture t = fixture();
        recorder(t.broker, "record");
        Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").option(ActorOptions.ON_SUCCESS, "record")
                .on(t.broker).function(Integer.class, Integer.class, Integer::sum);
        for (int i = 0; i < 20; i++) {
            add.send(i, i);
        }
        t.start();
        t.drain("default");
        assertThat(calls).hasSize(20);
        for (Call call : calls) {
            int a = ((Number) call.message().args().getFirst()).intValue();
            assertThat(call.value()).isEqualTo(2 * a);
        }
        assertThat(calls.stream().map(Call::message).sorted(Comparator.comparing(Message::messageId)).distinct())
                .hasSize(20);
    }
}
