package dev.supaqueue.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Building and sending messages: messageWithOptions, per-message options and callbacks (checklist 3 and 27). */
class ActorMessageTest {

    private final RecordingBroker broker = new RecordingBroker();
    private final Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").option("max_retries", 5)
            .parameterNames("a", "b").on(broker).function(int.class, int.class, (a, b) -> a + b);
    private final Actor1<Object, Void> done = ActorDefinition.named("done").on(broker).consumer(Object.class, x -> { });

    @Test
    void messageWithOptionsBuildsAMessageForThisActor() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("max_retries", 0);
        options.put("custom", Map.of("nested", List.of(1, "two")));

        Message message = add.messageWithOptions(List.of(1), Map.of("b", 2), options);

        assertThat(message.queueName()).isEqualTo("default");
        assertThat(message.actorName()).isEqualTo("add");
        assertThat(message.args()).containsExactly(1);
        assertThat(message.kwargs()).containsExactlyEntriesOf(Map.of("b", 2));
        assertThat(message.options()).containsExactlyEntriesOf(options);
        assertThat(message.messageId()).hasSize(36);
        assertThat(broker.enqueued).as("not sent").isEmpty();
    }

    @Test
    void theActorsOwnOptionsAreNotCopiedIntoMessages() {
        assertThat(add.options()).containsEntry("max_retries", 5);

        assertThat(add.message(1, 2).options()).isEmpty();
        assertThat(add.send(1, 2).options()).isEmpty();
    }

    @Test
    void nullArgumentsKwargsAndOptionsMeanNone() {
        Message message = done.messageWithOptions(null, null, null);

        assertThat(message.args()).isEmpty();
        assertThat(message.kwargs()).isEmpty();
        assertThat(message.options()).isEmpty();
    }

    @Test
    void sendWithOptionsPassesTheDelayAndOptions() {
        Message sent = add.sendWithOptions(List.of(1, 2), Map.of(), Duration.ofSeconds(5), Map.of("max_retries", 1));

        assertThat(broker.enqueued).containsExactly(new RecordingBroker.Enqueued(sent, Duration.ofSeconds(5)));
        assertThat(sent.options()).containsExactlyEntriesOf(Map.of("max_retries", 1));
        MessageCodec codec = new MessageCodec();
        assertThat(codec.decode(codec.encode(sent))).isEqualTo(sent);
    }

    @Test
    void callbackActorsBecomeTheirNames() {
        Map<String, Object> options = new HashMap<>();
        options.put("on_success", done);
        options.put("on_failure", "done");
        options.put("on_retry_exhausted", done);

        Message message = add.messageWithOptions(List.of(1, 2), Map.of(), options);

        assertThat(message.options()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "on_success", "done", "on_failure", "done", "on_retry_exhausted", "done"));
    }

    @Test
    void aNullCallbackIsKeptAsDramatiqAllowsIt() {
        Map<String, Object> options = new HashMap<>();
        options.put("on_success", null);

        assertThat(add.messageWithOptions(List.of(1, 2), Map.of(), options).options()).containsEntry("on_success", null);
    }

    @Test
    void aCallbackThatIsNeitherAnActorNorANameIsRefused() {
        assertThatThrownBy(() -> add.messageWithOptions(List.of(1, 2), Map.of(), Map.of("on_failure", 42)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("message for actor 'add': option 'on_failure' must be an Actor or an actor name, got a"
                        + " java.lang.Integer");
        assertThatThrownBy(() -> ActorDefinition.named("x").option("on_success", List.of()).on(broker)
                .runnable(() -> { }))
                .hasMessage("actor 'x': option 'on_success' must be an Actor or an actor name, got a"
                        + " java.util.ImmutableCollections$ListN");
    }

    @Test
    void callbackActorsInActorOptionsBecomeNamesToo() {
        Actor0<Void> watched = ActorDefinition.named("watched").option("on_success", done)
                .option("throws", IOException.class).on(broker).runnable(() -> { });

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("on_success", "done");
        expected.put("throws", List.of("java.io.IOException"));
        assertThat(watched.options()).containsExactlyEntriesOf(expected);
    }

    @Test
    void throwsMayBeClassesOrNames() {
        Message message = add.messageWithOptions(List.of(1, 2), Map.of(),
                Map.of("throws", List.of(IllegalStateException.class, "custom.Error")));

        assertThat(message.options().get("throws")).isEqualTo(List.of("java.lang.IllegalStateException", "custom.Error"));
        assertThatThrownBy(() -> add.messageWithOptions(List.of(), Map.of(), Map.of("throws", String.class)))
                .hasMessage("message for actor 'add': option 'throws': java.lang.String is not an exception class");
    }

    @Test
    void optionValuesMustBeJson() {
        assertThatThrownBy(() -> add.messageWithOptions(List.of(1, 2), Map.of(), Map.of("time_limit", Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("message for actor 'add': option 'time_limit': a java.time.Duration is not a"
                        + " JSON value");
        assertThatThrownBy(() -> add.messageWithOptions(List.of(1, 2), Map.of(), Map.of("x", Double.NaN)))
                .hasMessage("message for actor 'add': option 'x': NaN is not a JSON number");
        assertThatThrownBy(() -> add.messageWithOptions(List.of(1, 2), Map.of(), Map.of("x", Map.of(1, 2))))
                .hasMessage("message for actor 'add': option 'x': JSON object keys must be strings, got a"
                        + " java.lang.Integer");
    }

    @Test
    void argumentsThatCannotBeJsonNameTheActorAndPosition() {
        Actor2<Object, Object, Void> sink = ActorDefinition.named("sink").on(broker)
                .consumer(Object.class, Object.class, (x, y) -> { });

        assertThatThrownBy(() -> sink.send(1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("actor 'sink': argument 2: NaN is not a JSON number");
        assertThatThrownBy(() -> sink.send(Map.of(1, "one"), 2))
                .hasMessageStartingWith("actor 'sink': argument 1: map key 1 (a java.lang.Integer) is not a String");
        assertThatThrownBy(() -> sink.send(Thread.currentThread(), 2))
                .hasMessageStartingWith("actor 'sink': argument 1: a java.lang.Thread cannot be sent as JSON");
        assertThatThrownBy(() -> sink.sendWithOptions(List.of(1), Map.of("y", Float.NaN), null, Map.of()))
                .hasMessageStartingWith("actor 'sink': keyword argument 'y': NaN is not a JSON number");
        assertThat(broker.enqueued).isEmpty();
    }

    @Test
    void argumentsAreCopiedWhenTheMessageIsBuilt() {
        List<Object> args = Arrays.asList(1, 2);

        Message message = add.messageWithOptions(args, Map.of(), Map.of());
        args.set(0, 99);

        assertThat(message.args()).containsExactly(1, 2);
    }
}
