package dev.supaqueue.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.supaqueue.actor.TestTypes.Order;
import dev.supaqueue.broker.GlobalBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FunctionalActorTest {

    private final RecordingBroker broker = new RecordingBroker();
    private final MessageCodec codec = new MessageCodec();

    @AfterEach
    void forgetGlobalBroker() {
        GlobalBroker.clear();
    }

    private Message roundTrip(Message message) {
        return codec.decode(codec.encode(message));
    }

    @Test
    void arityZero() throws Exception {
        Actor0<Integer> answer = ActorDefinition.named("answer").on(broker).function(() -> 42);
        AtomicInteger ticks = new AtomicInteger();
        Actor0<Void> tick = ActorDefinition.named("tick").on(broker).runnable(ticks::incrementAndGet);

        Message sent = answer.send();

        assertThat(sent.args()).isEmpty();
        assertThat(answer.call()).isEqualTo(42);
        assertThat(answer.perform(roundTrip(sent))).isEqualTo(42);
        assertThat(tick.call()).isNull();
        assertThat(tick.perform(roundTrip(tick.send()))).isNull();
        assertThat(ticks).hasValue(2);
        assertThatThrownBy(() -> answer.send("extra"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor 'answer' takes no arguments but 1 was given");
    }

    @Test
    void arityOne() throws Exception {
        Actor1<String, Integer> length = ActorDefinition.named("length").on(broker).function(String.class, String::length);
        List<String> seen = new ArrayList<>();
        Actor1<String, Void> remember = ActorDefinition.named("remember").on(broker).consumer(String.class, seen::add);

        assertThat(length.call("four")).isEqualTo(4);
        assertThat(length.perform(roundTrip(length.send("three")))).isEqualTo(5);
        remember.call("a");
        assertThat(remember.perform(roundTrip(remember.send("b")))).isNull();
        assertThat(seen).containsExactly("a", "b");
    }

    @Test
    void arityOneWithAnArrayArgument() throws Exception {
        Actor1<String[], Integer> count = ActorDefinition.named("count").on(broker)
                .function(String[].class, values -> values.length);

        Message sent = count.send(new String[] {"x", "y"});

        assertThat(sent.args()).containsExactly(List.of("x", "y"));
        assertThat(count.perform(roundTrip(sent))).isEqualTo(2);
    }

    @Test
    void arityTwo() throws Exception {
        Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").queue("math").priority(3)
                .option("max_retries", 3).on(broker)
                .function(int.class, int.class, (a, b) -> a + b);
        List<String> seen = new ArrayList<>();
        Actor2<String, Integer, Void> log = ActorDefinition.named("log").on(broker)
                .consumer(String.class, Integer.class, (text, level) -> seen.add(level + ":" + text));

        Message sent = add.send(1, 2);

        assertThat(add.actorName()).isEqualTo("add");
        assertThat(add.queueName()).isEqualTo("math");
        assertThat(add.priority()).isEqualTo(3);
        assertThat(add.options()).containsExactlyEntriesOf(Map.of("max_retries", 3));
        assertThat(broker.actors().get("add")).isSameAs(add);
        assertThat(broker.messages()).containsExactly(sent);
        assertThat(roundTrip(sent)).isEqualTo(sent);
        assertThat(sent.args()).containsExactly(1, 2);
        assertThat(sent.options()).as("the actor's options stay with the actor").isEmpty();
        assertThat(add.call(2, 3)).isEqualTo(5);
        assertThat(add.perform(roundTrip(sent))).isEqualTo(3);
        log.send("hi", 1);
        log.perform(roundTrip(broker.messages().get(1)));
        assertThat(seen).containsExactly("1:hi");
    }

    @Test
    void arityThreeWithGenericTypes() throws Exception {
        // 2.5, not 2.50: MessageCodec decodes JSON decimals as doubles, as Python does, so scale is not kept.
        Order order = new Order("A", 1, new BigDecimal("2.5"));
        Actor3<List<Order>, Map<String, Integer>, Optional<String>, String> summarise = ActorDefinition.named("sum")
                .on(broker)
                .function(ArgumentType.listOf(Order.class), ArgumentType.mapOf(Integer.class),
                        ArgumentType.optionalOf(String.class),
                        (orders, stock, note) -> orders.size() + " " + stock + " " + note.orElse("-"));
        List<Object> seen = new ArrayList<>();
        Actor3<List<Order>, Integer, Boolean, Void> store = ActorDefinition.named("record").on(broker)
                .consumer(ArgumentType.of(new TypeReference<List<Order>>() { }), ArgumentType.of(Integer.class),
                        ArgumentType.of(Boolean.class), (orders, n, flag) -> seen.add(List.of(orders, n, flag)));

        Message sent = summarise.send(List.of(order, order), Map.of("A", 3), Optional.empty());

        assertThat(summarise.perform(roundTrip(sent))).isEqualTo("2 {A=3} -");
        assertThat(summarise.call(List.of(), Map.of(), Optional.of("n"))).isEqualTo("0 {} n");
        store.perform(roundTrip(store.send(List.of(order), 7, true)));
        assertThat(seen).containsExactly(List.of(List.of(order), 7, true));
        assertThat(summarise.parameters()).extracting(ActorParameter::signature)
                .containsExactly("List<Order>", "Map<String, Integer>", "Optional<String>");
    }

    @Test
    void trailingOptionalArgumentsMayBeOmittedFromTheMessage() throws Exception {
        Actor2<String, Optional<Integer>, String> greet = ActorDefinition.named("greet").on(broker)
                .function(ArgumentType.of(String.class), ArgumentType.optionalOf(Integer.class),
                        (name, times) -> name.repeat(times.orElse(1)));

        Message shortMessage = greet.sendWithOptions(List.of("ab"), Map.of(), null, Map.of());

        assertThat(greet.perform(roundTrip(shortMessage))).isEqualTo("ab");
        assertThat(greet.perform(roundTrip(greet.send("ab", Optional.of(2))))).isEqualTo("abab");
    }

    @Test
    void theGlobalBrokerIsTheDefault() {
        GlobalBroker.set(broker);

        Actor0<Void> noop = ActorDefinition.named("noop").runnable(() -> { });

        assertThat(noop.broker()).isSameAs(broker);
        assertThat(broker.actors()).containsKey("noop");
    }

    @Test
    void namedParametersAcceptKeywordArguments() throws Exception {
        Actor2<Integer, Integer, Integer> subtract = ActorDefinition.named("subtract").parameterNames("a", "b")
                .on(broker).function(int.class, int.class, (a, b) -> a - b);

        Message byName = subtract.sendWithOptions(List.of(), Map.of("b", 1, "a", 10), null, Map.of());

        assertThat(subtract.perform(roundTrip(byName))).isEqualTo(9);
        assertThat(subtract.parameters()).extracting(ActorParameter::signature).containsExactly("a: int", "b: int");
    }

    @Test
    void unnamedParametersRefuseKeywordArguments() {
        Actor2<Integer, Integer, Integer> subtract = ActorDefinition.named("subtract").on(broker)
                .function(int.class, int.class, (a, b) -> a - b);

        Message byName = subtract.sendWithOptions(List.of(10), Map.of("b", 1), null, Map.of());

        assertThatThrownBy(() -> subtract.perform(byName))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessageContaining("ActorDefinition.parameterNames");
    }

    @Test
    void parameterNamesMustMatchTheArity() {
        assertThatThrownBy(() -> ActorDefinition.named("f").parameterNames("a").on(broker)
                .function(int.class, int.class, (a, b) -> a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor 'f' has 2 parameters but parameterNames gave 1 names: [a]");
        assertThat(broker.actors()).isEmpty();
    }

    @Test
    void theUntypedSendChecksClassesAtRunTime() {
        Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").on(broker)
                .function(int.class, int.class, (a, b) -> a + b);
        Actor<?> untyped = add;

        assertThatThrownBy(() -> untyped.send(1, "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor 'add': argument 2 (int) expects an int, got a java.lang.String");
        assertThatThrownBy(() -> untyped.send(1, 2, 3))
                .hasMessage("actor 'add' takes 2 positional arguments (int, int) but 3 were given");
        assertThatThrownBy(() -> untyped.send(1, null))
                .hasMessage("actor 'add': argument 2 (int) must not be null");
        assertThat(broker.enqueued).isEmpty();
    }

    @Test
    void theLambdasExceptionPropagatesUnchanged() {
        IllegalStateException boom = new IllegalStateException("boom");
        Actor1<String, Void> explode = ActorDefinition.named("explode").on(broker).consumer(String.class, s -> {
            throw boom;
        });

        assertThatThrownBy(() -> explode.perform(explode.message("x"))).isSameAs(boom);
        assertThatThrownBy(() -> explode.call("x")).isSameAs(boom);
    }

    @Test
    void aBadMessageFailsWithArgumentBindingException() {
        Actor1<Integer, Integer> twice = ActorDefinition.named("twice").on(broker).function(int.class, x -> 2 * x);
        Message bad = Message.create("default", "twice", List.of("x"), Map.of(), Map.of());

        assertThatThrownBy(() -> twice.perform(bad))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'twice': argument 1 (int) cannot be bound from a JSON string \"x\"");
    }
}
