package dev.supaqueue.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.TestTypes.Address;
import dev.supaqueue.actor.TestTypes.Color;
import dev.supaqueue.actor.TestTypes.Customer;
import dev.supaqueue.actor.TestTypes.Order;
import dev.supaqueue.broker.GlobalBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnnotatedActorTest {

    private final RecordingBroker broker = new RecordingBroker();
    private final MessageCodec codec = new MessageCodec();

    @AfterEach
    void forgetGlobalBroker() {
        GlobalBroker.clear();
    }

    public static final class Calculator {
        final List<String> log = new ArrayList<>();

        @ActorMethod
        public int add(int a, int b) {
            log.add("add " + a + " " + b);
            return a + b;
        }

        @ActorMethod(name = "multiply", queue = "math", priority = 5)
        public static long times(long a, long b) {
            return a * b;
        }

        @ActorMethod
        public void fail(String why) throws IOException {
            throw new IOException(why);
        }

        @ActorMethod
        public String greet(String name, Optional<String> title) {
            return title.map(t -> t + " ").orElse("") + name;
        }

        /** Not an actor. */
        public int subtract(int a, int b) {
            return a - b;
        }
    }

    public static final class Shop {
        Object[] received;

        @ActorMethod
        public String describe(Customer customer, List<Order> orders, Map<String, Integer> stock, Color color,
                               Instant at, Optional<Duration> wait) {
            received = new Object[] {customer, orders, stock, color, at, wait};
            return customer.name() + " " + orders.size() + " " + color + " " + wait.map(Duration::toMillis).orElse(-1L);
        }
    }

    public static final class Everything {
        @ActorMethod(name = "everything", queue = "slow", priority = -1, maxRetries = 3, minBackoff = 100,
                maxBackoff = 2000, timeLimit = 60_000, maxAge = 3_600_000, resultTtl = 5_000_000_000L,
                storeResults = TriState.TRUE, notifyShutdown = TriState.FALSE,
                throwsExceptions = {IllegalStateException.class, IOException.class},
                onSuccess = "done", onFailure = "failed", onRetryExhausted = "gave_up")
        public void run() {
        }

        @ActorMethod(maxRetries = 0)
        public void once() {
        }
    }

    // ---------------------------------------------------------------- declaring

    @Test
    void registersStaticAndInstanceMethodsOfAnObject() {
        ActorGroup actors = Actors.register(broker, new Calculator());

        assertThat(actors.names()).containsExactly("add", "fail", "greet", "multiply");
        assertThat(broker.actors()).containsOnlyKeys("add", "fail", "greet", "multiply");
        assertThat(broker.actors().get("add")).isSameAs(actors.get("add"));
        assertThat(broker.declaredQueues()).containsExactlyInAnyOrder("default", "math");

        MethodActor<?> multiply = actors.get("multiply");
        assertThat(multiply.queueName()).isEqualTo("math");
        assertThat(multiply.priority()).isEqualTo(5);
        assertThat(multiply.target()).isNull();
        assertThat(multiply.method().getName()).isEqualTo("times");
        MethodActor<?> add = actors.get("add");
        assertThat(add.queueName()).isEqualTo("default");
        assertThat(add.priority()).isZero();
        assertThat(add.options()).isEmpty();
        assertThat(add.parameters()).extracting(ActorParameter::signature).containsExactly("a: int", "b: int");
    }

    @Test
    void registersOnlyStaticMethodsOfAClass() {
        final class StaticOnly {
            @ActorMethod
            public static int twice(int x) {
                return 2 * x;
            }
        }

        ActorGroup actors = Actors.register(broker, StaticOnly.class);

        assertThat(actors.names()).containsExactly("twice");
    }

    @Test
    void aClassWithInstanceActorsNeedsAnInstance() {
        assertThatThrownBy(() -> Actors.register(broker, Calculator.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@ActorMethod Calculator.add(int, int) is an instance method: register an instance of "
                        + Calculator.class.getName() + ", not the class");
        assertThat(broker.actors()).isEmpty();
    }

    @Test
    void everyAnnotatedOptionBecomesADramatiqOption() {
        ActorGroup actors = Actors.register(broker, new Everything());

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("max_retries", 3);
        expected.put("min_backoff", 100);
        expected.put("max_backoff", 2000);
        expected.put("time_limit", 60_000);
        expected.put("max_age", 3_600_000);
        expected.put("result_ttl", 5_000_000_000L);
        expected.put("store_results", true);
        expected.put("notify_shutdown", false);
        expected.put("throws", List.of("java.lang.IllegalStateException", "java.io.IOException"));
        expected.put("on_success", "done");
        expected.put("on_failure", "failed");
        expected.put("on_retry_exhausted", "gave_up");
        MethodActor<?> everything = actors.get("everything");
        assertThat(everything.options()).containsExactlyEntriesOf(expected);
        assertThat(everything.queueName()).isEqualTo("slow");
        assertThat(everything.priority()).isEqualTo(-1);
        assertThat(actors.get("once").options()).containsExactlyEntriesOf(Map.of("max_retries", 0));
    }

    @Test
    void registerWithoutABrokerUsesTheGlobalOne() {
        GlobalBroker.set(broker);

        ActorGroup actors = Actors.register(new Calculator());

        assertThat(actors.get("add").broker()).isSameAs(broker);
        assertThat(broker.actors()).containsKey("add");
    }

    @Test
    void theGroupGivesTypedActors() throws Exception {
        ActorGroup actors = Actors.register(broker, new Calculator());

        MethodActor<Integer> add = actors.get("add", Integer.class);
        int sum = add.call(2, 3);
        assertThat(sum).isEqualTo(5);
        assertThat(actors.get("fail", Void.class).method().getName()).isEqualTo("fail");
        assertThatThrownBy(() -> actors.get("add", String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor 'add' returns Integer, not String");
        assertThatThrownBy(() -> actors.get("nope"))
                .hasMessage("no actor named 'nope' here; the actors are [add, fail, greet, multiply]");
    }

    // ---------------------------------------------------------------- calling, sending, performing

    @Test
    void actorsCanBeCalledSynchronously() throws Exception {
        Calculator calculator = new Calculator();
        ActorGroup actors = Actors.register(broker, calculator);

        assertThat(actors.get("add").call(1, 2)).isEqualTo(3);
        assertThat(actors.get("multiply").call(4L, 5L)).isEqualTo(20L);
        assertThat(actors.get("greet").call("Ann")).isEqualTo("Ann");
        assertThat(actors.get("greet").call("Ann", Optional.of("Dr"))).isEqualTo("Dr Ann");
        assertThat(calculator.log).containsExactly("add 1 2");
        assertThat(broker.enqueued).as("nothing sent").isEmpty();
    }

    @Test
    void aSynchronousCallChecksItsArguments() {
        ActorGroup actors = Actors.register(broker, new Calculator());

        assertThatThrownBy(() -> actors.get("add").call(1, "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor 'add': argument 2 (b: int) expects an int, got a java.lang.String");
        assertThatThrownBy(() -> actors.get("add").call(1, null))
                .hasMessage("actor 'add': argument 2 (b: int) must not be null");
        assertThatThrownBy(() -> actors.get("add").call(1))
                .hasMessageStartingWith("actor 'add' is missing argument 2 (b: int)");
        assertThatThrownBy(() -> actors.get("add").call(1, 2, 3))
                .hasMessage("actor 'add' takes 2 positional arguments (a: int, b: int) but 3 were given");
    }

    @Test
    void sendEnqueuesAMessageThatDecodesEqualToTheReturnedOne() {
        ActorGroup actors = Actors.register(broker, new Calculator());

        Message sent = actors.get("add").send(1, 2);

        assertThat(broker.messages()).containsExactly(sent);
        assertThat(sent.queueName()).isEqualTo("default");
        assertThat(sent.actorName()).isEqualTo("add");
        assertThat(sent.args()).containsExactly(1, 2);
        assertThat(sent.kwargs()).isEmpty();
        assertThat(sent.options()).isEmpty();
        assertThat(codec.decode(codec.encode(sent))).isEqualTo(sent);
    }

    @Test
    void performBindsTheMessageAndRunsTheMethod() throws Exception {
        Calculator calculator = new Calculator();
        ActorGroup actors = Actors.register(broker, calculator);

        Message message = codec.decode(codec.encode(actors.get("add").send(20, 22)));

        assertThat(actors.get("add").perform(message)).isEqualTo(42);
        assertThat(calculator.log).containsExactly("add 20 22");
    }

    @Test
    void keywordArgumentsAndOmittedOptionalsReachTheMethod() throws Exception {
        ActorGroup actors = Actors.register(broker, new Calculator());
        MethodActor<?> greet = actors.get("greet");

        Message byName = greet.sendWithOptions(List.of(), Map.of("title", "Ms", "name", "Bo"), null, Map.of());
        Message shortMessage = greet.send("Bo");

        assertThat(greet.perform(byName)).isEqualTo("Ms Bo");
        assertThat(greet.perform(shortMessage)).isEqualTo("Bo");
    }

    @Test
    void richArgumentsSurviveTheWireFormat() throws Exception {
        Shop shop = new Shop();
        MethodActor<?> describe = Actors.register(broker, shop).get("describe");
        Order order = new Order("A-1", 2, new BigDecimal("9.99"));
        Customer customer = new Customer("Ann", new Address("Paris", "75001"), List.of(order), Color.GREEN);
        Instant at = Instant.parse("2024-03-04T05:06:07.089Z");

        Message sent = describe.send(customer, List.of(order, order), Map.of("A-1", 7), Color.RED, at,
                Optional.of(Duration.ofSeconds(2)));
        Object result = describe.perform(codec.decode(codec.encode(sent)));

        assertThat(result).isEqualTo("Ann 2 RED 2000");
        assertThat(shop.received).containsExactly(customer, List.of(order, order), Map.of("A-1", 7), Color.RED, at,
                Optional.of(Duration.ofSeconds(2)));
        assertThat(sent.args().get(4)).isEqualTo("2024-03-04T05:06:07.089Z");
        assertThat(sent.args().get(5)).isEqualTo("PT2S");
    }

    @Test
    void theActorsOwnExceptionPropagatesUnchanged() {
        ActorGroup actors = Actors.register(broker, new Calculator());
        MethodActor<?> fail = actors.get("fail");

        assertThatThrownBy(() -> fail.perform(fail.message("disk full")))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("disk full");
        assertThatThrownBy(() -> fail.call("again"))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("again");
    }

    @Test
    void aBadMessageFailsWithArgumentBindingException() {
        MethodActor<?> add = Actors.register(broker, new Calculator()).get("add");

        assertThatThrownBy(() -> add.perform(add.message(1, "x")))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'add': argument 2 (b: int) cannot be bound from a JSON string \"x\"");
    }

    @Test
    void aMessageForAnotherActorIsRefused() {
        ActorGroup actors = Actors.register(broker, new Calculator());
        Message forMultiply = actors.get("multiply").message(1L, 2L);

        assertThatThrownBy(() -> actors.get("add").perform(forMultiply))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actor 'add' cannot perform message")
                .hasMessageContaining("for actor 'multiply'");
    }

    // ---------------------------------------------------------------- shapes that cannot be actors

    public static final class Hidden {
        @ActorMethod
        void secret() {
        }
    }

    public static final class Twins {
        @ActorMethod(name = "same")
        public void one() {
        }

        @ActorMethod(name = "same")
        public void two(int x) {
        }
    }

    public static final class Generic {
        @ActorMethod
        public <T> void anything(T value) {
        }
    }

    public static class Holder<T> {
        @ActorMethod
        public void hold(List<T> values) {
        }
    }

    public static final class NegativeRetries {
        @ActorMethod(maxRetries = -5)
        public void run() {
        }
    }

    public static final class BlankCallback {
        @ActorMethod(onFailure = "  ")
        public void run() {
        }
    }

    @Test
    void badlyShapedMethodsAreRefusedBeforeAnythingIsDeclared() {
        assertThatThrownBy(() -> Actors.register(broker, new Hidden()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@ActorMethod Hidden.secret() must be public");
        assertThatThrownBy(() -> Actors.register(broker, new Twins()))
                .hasMessage("methods Twins.one() and Twins.two(int) both declare actor 'same'; give one of them"
                        + " another @ActorMethod(name = ...)");
        assertThatThrownBy(() -> Actors.register(broker, new Generic()))
                .hasMessage("@ActorMethod Generic.anything(Object) is generic ([T]): message arguments need"
                        + " concrete types");
        assertThatThrownBy(() -> Actors.register(broker, new Holder<String>()))
                .hasMessage("@ActorMethod Holder.hold(List): argument 1 (values: List<T>) has a type variable,"
                        + " which a message argument cannot be bound to; use a concrete type");
        assertThatThrownBy(() -> Actors.register(broker, new NegativeRetries()))
                .hasMessage("@ActorMethod NegativeRetries.run(): maxRetries must be at least 0 (or -1 to leave it"
                        + " unset), got -5");
        assertThatThrownBy(() -> Actors.register(broker, new BlankCallback()))
                .hasMessage("@ActorMethod BlankCallback.run(): onFailure must name an actor, got a blank string");
        assertThatThrownBy(() -> Actors.register(broker, new Object()))
                .hasMessage("java.lang.Object has no public @ActorMethod methods");
        assertThat(broker.actors()).isEmpty();
    }
}
