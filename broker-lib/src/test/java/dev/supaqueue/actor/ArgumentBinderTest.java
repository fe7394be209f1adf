package dev.supaqueue.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.TestTypes.Color;
import dev.supaqueue.actor.TestTypes.Order;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgumentBinderTest {

    /** Methods whose parameters the binders below are made from (this class is compiled with -parameters). */
    @SuppressWarnings("unused")
    static final class Signatures {
        public static void add(int a, int b) {
        }

        public static void ping() {
        }

        public static void greet(String name, Optional<String> title, Optional<Integer> times) {
        }

        public static void place(Order order) {
        }

        public static void batch(List<Order> orders, Map<String, Integer> counts) {
        }

        public static void mixed(Integer boxed, Color color, Instant at, Object anything) {
        }
    }

    private static ArgumentBinder binder(String methodName) {
        Method method = Arrays.stream(Signatures.class.getMethods())
                .filter(m -> m.getName().equals(methodName))
                .findFirst()
                .orElseThrow();
        List<ActorParameter> parameters = new ArrayList<>();
        for (int i = 0; i < method.getParameterCount(); i++) {
            parameters.add(ActorParameter.of(i, method.getParameters()[i]));
        }
        return new ArgumentBinder(methodName, parameters);
    }

    private static Map<String, Object> kwargs(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    // ---------------------------------------------------------------- binding

    @Test
    void positionalArgumentsBindInOrder() {
        assertThat(binder("add").bind(List.of(1, 2), Map.of())).containsExactly(1, 2);
    }

    @Test
    void keywordArgumentsBindByName() {
        assertThat(binder("add").bind(List.of(1), kwargs("b", 2))).containsExactly(1, 2);
        assertThat(binder("add").bind(List.of(), kwargs("b", 2, "a", 1))).containsExactly(1, 2);
    }

    @Test
    void optionalParametersMayBeLeftOutOrNull() {
        ArgumentBinder greet = binder("greet");

        assertThat(greet.bind(List.of("Ann"), Map.of()))
                .containsExactly("Ann", Optional.empty(), Optional.empty());
        assertThat(greet.bind(Arrays.asList("Ann", null, 3), Map.of()))
                .containsExactly("Ann", Optional.empty(), Optional.of(3));
        // Not only trailing ones: keyword arguments can skip one.
        assertThat(greet.bind(List.of("Ann"), kwargs("times", 2)))
                .containsExactly("Ann", Optional.empty(), Optional.of(2));
    }

    @Test
    void genericRecordEnumAndTimeParametersBind() {
        Map<String, Object> order = kwargs("sku", "A", "quantity", 2, "price", new BigDecimal("1.5"));

        assertThat(binder("batch").bind(List.of(List.of(order), Map.of("x", 1)), Map.of()))
                .containsExactly(List.of(new Order("A", 2, new BigDecimal("1.5"))), Map.of("x", 1));
        assertThat(binder("mixed").bind(Arrays.asList(null, "RED", "2024-01-01T00:00:00Z", List.of(1)), Map.of()))
                .containsExactly(null, Color.RED, Instant.parse("2024-01-01T00:00:00Z"), List.of(1));
    }

    @Test
    void nullArgsAndKwargsMeanNone() {
        assertThat(binder("ping").bind(null, null)).isEmpty();
    }

    // ---------------------------------------------------------------- errors

    @Test
    void aValueOfTheWrongJsonTypeNamesActorParameterAndValue() {
        assertThatThrownBy(() -> binder("add").bind(List.of(1, "x"), Map.of()))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'add': argument 2 (b: int) cannot be bound from a JSON string \"x\"");
        assertThatThrownBy(() -> binder("add").bind(List.of(1.5, 2), Map.of()))
                .hasMessage("actor 'add': argument 1 (a: int) cannot be bound from a JSON number 1.5");
        assertThatThrownBy(() -> binder("add").bind(Arrays.asList(1, null), Map.of()))
                .hasMessage("actor 'add': argument 2 (b: int) cannot be bound from JSON null");
        assertThatThrownBy(() -> binder("add").bind(List.of(true, 2), Map.of()))
                .hasMessage("actor 'add': argument 1 (a: int) cannot be bound from a JSON boolean true");
        assertThatThrownBy(() -> binder("add").bind(List.of(1), kwargs("b", List.of(1, 2))))
                .hasMessage("actor 'add': argument 2 (b: int) cannot be bound from a JSON array [1,2]");
        assertThatThrownBy(() -> binder("mixed").bind(List.of(1, 5, "t", 0), Map.of()))
                .hasMessage("actor 'mixed': argument 2 (color: Color) cannot be bound from a JSON number 5");
    }

    @Test
    void aProblemInsideAnObjectSaysWhere() {
        assertThatThrownBy(() -> binder("place").bind(List.of(kwargs("sku", "A", "quantity", "many")), Map.of()))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'place': argument 1 (order: Order) cannot be bound from a JSON object"
                        + " {\"sku\":\"A\",\"quantity\":\"many\"}: at .quantity: Cannot coerce String value"
                        + " (\"many\") to `int` value");
        assertThatThrownBy(() -> binder("batch").bind(
                List.of(List.of(kwargs("sku", "A", "quantity", 1), kwargs("sku", "B", "quantity", 1.5)), Map.of()),
                Map.of()))
                .hasMessageStartingWith("actor 'batch': argument 1 (orders: List<Order>) cannot be bound from a JSON"
                        + " array")
                .hasMessageContaining(": at [1].quantity: Cannot coerce Floating-point value (1.5) to `int` value");
    }

    @Test
    void aConstructorsOwnCheckIsReported() {
        assertThatThrownBy(() -> binder("place").bind(List.of(kwargs("sku", "A", "quantity", -1)), Map.of()))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessageStartingWith("actor 'place': argument 1 (order: Order) cannot be bound from a JSON object")
                .hasMessageContaining("quantity must not be negative");
    }

    @Test
    void theBadValueIsShortenedInTheMessage() {
        String longText = "y".repeat(500);

        assertThatThrownBy(() -> binder("add").bind(List.of(1, longText), Map.of()))
                .hasMessageEndingWith("…")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void tooManyPositionalArguments() {
        assertThatThrownBy(() -> binder("add").bind(List.of(1, 2, 3), Map.of()))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'add' takes 2 positional arguments (a: int, b: int) but 3 were given");
        assertThatThrownBy(() -> binder("ping").bind(List.of(1), Map.of()))
                .hasMessage("actor 'ping' takes no arguments but 1 was given");
        assertThatThrownBy(() -> binder("greet").bind(List.of("a", "b", 1, 2), Map.of()))
                .hasMessage("actor 'greet' takes from 1 to 3 positional arguments"
                        + " (name: String, title: Optional<String>, times: Optional<Integer>) but 4 were given");
    }

    @Test
    void missingArguments() {
        assertThatThrownBy(() -> binder("add").bind(List.of(1), Map.of()))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'add' is missing argument 2 (b: int): it takes 2 arguments (a: int, b: int)"
                        + " and was given 1 positional and 0 keyword arguments");
        assertThatThrownBy(() -> binder("add").bind(List.of(), Map.of()))
                .hasMessageStartingWith("actor 'add' is missing argument 1 (a: int), argument 2 (b: int):");
        assertThatThrownBy(() -> binder("greet").bind(List.of(), kwargs("times", 1)))
                .hasMessage("actor 'greet' is missing argument 1 (name: String): it takes from 1 to 3 arguments"
                        + " (name: String, title: Optional<String>, times: Optional<Integer>) and was given"
                        + " 0 positional and 1 keyword argument");
    }

    @Test
    void aKeywordNamingNoParameter() {
        assertThatThrownBy(() -> binder("add").bind(List.of(1, 2), kwargs("c", 3)))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'add' has no parameter named 'c'; its parameters are (a: int, b: int)");
        assertThatThrownBy(() -> binder("add").bind(List.of(1, 2), kwargs("c", 3, "d", 4)))
                .hasMessage("actor 'add' has no parameters named 'c', 'd'; its parameters are (a: int, b: int)");
    }

    @Test
    void aParameterGivenBothPositionallyAndByName() {
        assertThatThrownBy(() -> binder("add").bind(List.of(1), kwargs("a", 1, "b", 2)))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'add': argument 1 (a: int) was given both positionally and as keyword"
                        + " argument 'a'");
    }

    @Test
    void keywordsNeedParameterNames() {
        ArgumentBinder unnamed = new ArgumentBinder("add", List.of(
                new ActorParameter(0, null, int.class), new ActorParameter(1, null, int.class)));

        assertThat(unnamed.parameterNamesKnown()).isFalse();
        assertThat(unnamed.bind(List.of(1, 2), Map.of())).containsExactly(1, 2);
        assertThatThrownBy(() -> unnamed.bind(List.of(1), kwargs("b", 2)))
                .isInstanceOf(ArgumentBindingException.class)
                .hasMessage("actor 'add' was given keyword arguments [b] but the names of its parameters (int, int)"
                        + " are unknown: compile its class with javac -parameters (for a functional actor, declare"
                        + " them with ActorDefinition.parameterNames)");
        assertThatThrownBy(() -> unnamed.bind(List.of(1, "x"), Map.of()))
                .hasMessage("actor 'add': argument 2 (int) cannot be bound from a JSON string \"x\"");
    }

    @Test
    void parameterListsAreChecked() {
        assertThatThrownBy(() -> new ArgumentBinder("a", List.of(new ActorParameter(1, "x", int.class))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 1 but is at index 0");
        assertThatThrownBy(() -> new ArgumentBinder("a", List.of(
                new ActorParameter(0, "x", int.class), new ActorParameter(1, "x", int.class))))
                .hasMessage("actor 'a' has two parameters named 'x'");
    }

    @Test
    void bindingDoesNotChangeTheMessageValues() {
        Map<String, Object> counts = new HashMap<>(Map.of("a", 1));
        Object[] bound = binder("batch").bind(List.of(List.of(), counts), Map.of());

        assertThat(bound[1]).isEqualTo(counts).isNotSameAs(counts);
    }
}
