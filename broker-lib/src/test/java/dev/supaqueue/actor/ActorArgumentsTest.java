package dev.supaqueue.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.supaqueue.actor.TestTypes.Address;
import dev.supaqueue.actor.TestTypes.Color;
import dev.supaqueue.actor.TestTypes.Customer;
import dev.supaqueue.actor.TestTypes.Measurement;
import dev.supaqueue.actor.TestTypes.Order;
import dev.supaqueue.message.Message;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ActorArgumentsTest {

    private static final Order ORDER = new Order("A-1", 2, new BigDecimal("9.99"));

    // ---------------------------------------------------------------- Java to JSON

    @Test
    void scalarsBecomeJsonScalars() {
        assertThat(ActorArguments.toJsonValue(null)).isNull();
        assertThat(ActorArguments.toJsonValue(true)).isEqualTo(true);
        assertThat(ActorArguments.toJsonValue("text")).isEqualTo("text");
        assertThat(ActorArguments.toJsonValue(7)).isEqualTo(7);
        assertThat(ActorArguments.toJsonValue((short) 7)).isEqualTo(7);
        assertThat(ActorArguments.toJsonValue((byte) 7)).isEqualTo(7);
        assertThat(ActorArguments.toJsonValue(7L)).isEqualTo(7L);
        assertThat(ActorArguments.toJsonValue(1.5)).isEqualTo(1.5);
        assertThat(ActorArguments.toJsonValue('c')).isEqualTo("c");
        assertThat(ActorArguments.toJsonValue(new BigInteger("123456789012345678901234567890")))
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(ActorArguments.toJsonValue(new BigDecimal("0.10"))).isEqualTo(new BigDecimal("0.10"));
    }

    @Test
    void aFloatKeepsItsShortDecimalForm() {
        // (double) 0.1f would be 0.10000000149011612.
        assertThat(ActorArguments.toJsonValue(0.1f)).isEqualTo(0.1);
    }

    @Test
    void enumsGoByName() {
        assertThat(ActorArguments.toJsonValue(Color.GREEN)).isEqualTo("GREEN");
    }

    @Test
    void collectionsArraysAndMapsBecomeArraysAndObjects() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", List.of(1, 2));
        nested.put("a", null);
        assertThat(ActorArguments.toJsonValue(nested)).isEqualTo(nested);
        assertThat(ActorArguments.toJsonValue(new int[] {1, 2})).isEqualTo(List.of(1, 2));
        assertThat(ActorArguments.toJsonValue(new String[] {"x"})).isEqualTo(List.of("x"));
        assertThat(ActorArguments.toJsonValue(new LinkedHashSet<>(List.of("s", "t")))).isEqualTo(List.of("s", "t"));
        assertThat(ActorArguments.toJsonValue(new byte[] {1, 2, 3})).isEqualTo("AQID");
    }

    @Test
    void optionalIsItsValueOrNull() {
        assertThat(ActorArguments.toJsonValue(Optional.of(5))).isEqualTo(5);
        assertThat(ActorArguments.toJsonValue(Optional.empty())).isNull();
    }

    @Test
    void recordsAndBeansBecomeObjects() {
        Customer customer = new Customer("Ann", new Address("Paris", "75001"), List.of(ORDER), Color.RED);

        assertThat(ActorArguments.toJsonValue(customer)).isEqualTo(Map.of(
                "name", "Ann",
                "address", Map.of("city", "Paris", "zip", "75001"),
                "orders", List.of(Map.of("sku", "A-1", "quantity", 2, "price", new BigDecimal("9.99"))),
                "favourite", "RED"));
    }

    @Test
    void javaTimeValuesBecomeIsoStrings() {
        assertThat(ActorArguments.toJsonValue(Instant.parse("2024-01-02T03:04:05Z"))).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(ActorArguments.toJsonValue(LocalDate.of(2024, 1, 2))).isEqualTo("2024-01-02");
        assertThat(ActorArguments.toJsonValue(Duration.ofSeconds(90))).isEqualTo("PT1M30S");
        assertThat(ActorArguments.toJsonValue(OffsetDateTime.parse("2024-01-02T03:04:05+02:00")))
                .isEqualTo("2024-01-02T03:04:05+02:00");
        UUID id = UUID.randomUUID();
        assertThat(ActorArguments.toJsonValue(id)).isEqualTo(id.toString());
    }

    @Test
    void nanAndInfinityAreRefusedNamingThePosition() {
        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of(1, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("argument 2: NaN is not a JSON number");
        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of(Float.POSITIVE_INFINITY)))
                .hasMessageStartingWith("argument 1: Infinity is not a JSON number");
        assertThatThrownBy(() -> ActorArguments.toJsonKwargs(Map.of("ratio", Double.NEGATIVE_INFINITY)))
                .hasMessageStartingWith("keyword argument 'ratio': -Infinity is not a JSON number");
    }

    @Test
    void nanInsideAnObjectNamesThePath() {
        List<Object> args = List.of("x", List.of(new Measurement("m", Double.NaN)));

        assertThatThrownBy(() -> ActorArguments.toJsonArgs(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("argument 2 at [0].value: NaN is not a JSON number");
    }

    @Test
    void mapsWithNonStringKeysAreRefused() {
        Map<Object, Object> byId = new HashMap<>();
        byId.put(1, "one");

        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of(byId)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 1: map key 1 (a java.lang.Integer) is not a String;"
                        + " JSON object keys must be strings (convert the keys first)");
        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of("a", Map.of("inner", byId))))
                .hasMessageStartingWith("argument 2 at .inner: map key 1");
    }

    @Test
    void objectsThatAreNotDataAreRefused() {
        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of(Thread.currentThread())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("argument 1: a java.lang.Thread cannot be sent as JSON: it is a JDK object");
        Runnable lambda = () -> { };
        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of(lambda)))
                .hasMessageContaining("argument 1: a ")
                .hasMessageContaining("cannot be sent as JSON: it is a lambda");
        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of(new IllegalStateException("boom"))))
                .hasMessageContaining("exceptions do not travel as arguments");
        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of(1, new Object())))
                .hasMessageStartingWith("argument 2: a java.lang.Object cannot be converted to JSON: No serializer"
                        + " found for class java.lang.Object");
    }

    @Test
    void actorsAreRefusedInFavourOfTheirNames() {
        Actor0<Void> actor = ActorDefinition.named("a").on(new RecordingBroker()).runnable(() -> { });

        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of(actor)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 1: a dev.supaqueue.actor.Actor0 cannot be sent as JSON: send the actor's name"
                        + " (actorName()) instead");
    }

    @Test
    void aMessageTravelsAsDramatiqsMessageDict() {
        Message message = Message.create("default", "add", List.of(1, 2), Map.of("k", "v"), Map.of("retries", 1));

        Object json = ActorArguments.toJsonValue(List.of(message));

        assertThat(json).isEqualTo(List.of(message.toMap()));
        assertThat(ActorArguments.fromJsonValue(message.toMap(), Message.class)).isEqualTo(message);
        assertThatThrownBy(() -> ActorArguments.fromJsonValue(Map.of("actor_name", "x"), Message.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a message dict: missing required keys");
    }

    @Test
    void aListContainingItselfIsRefused() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);

        assertThatThrownBy(() -> ActorArguments.toJsonArgs(List.of(cyclic)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 1 at [0]")
                .hasMessageContaining("contains itself");
    }

    @Test
    void nonStringKwargNamesAreRefused() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, ?> raw = (Map) Map.of(3, "x");

        assertThatThrownBy(() -> ActorArguments.toJsonKwargs(raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyword argument names must be strings, got 3 (a java.lang.Integer)");
    }

    // ---------------------------------------------------------------- JSON to Java

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                Arguments.of(int.class, 42),
                Arguments.of(long.class, 1L << 40),
                Arguments.of(double.class, 2.5),
                Arguments.of(Boolean.class, true),
                Arguments.of(char.class, 'x'),
                Arguments.of(String.class, "héllo"),
                Arguments.of(BigDecimal.class, new BigDecimal("12.50")),
                Arguments.of(BigInteger.class, new BigInteger("99999999999999999999")),
                Arguments.of(Color.class, Color.GREEN),
                Arguments.of(Order.class, ORDER),
                Arguments.of(Address.class, new Address("Oslo", "0150")),
                Arguments.of(Customer.class, new Customer("Bo", new Address("Rome", null), List.of(ORDER), null)),
                Arguments.of(new TypeReference<List<Order>>() { }.getType(), List.of(ORDER, ORDER)),
                Arguments.of(new TypeReference<Map<String, Integer>>() { }.getType(), Map.of("a", 1, "b", 2)),
                Arguments.of(new TypeReference<Optional<Instant>>() { }.getType(),
                        Optional.of(Instant.parse("2024-05-06T07:08:09.123Z"))),
                Arguments.of(new TypeReference<Optional<Instant>>() { }.getType(), Optional.empty()),
                Arguments.of(int[].class, new int[] {3, 4}),
                Arguments.of(Instant.class, Instant.parse("2024-05-06T07:08:09.123456Z")),
                Arguments.of(LocalDate.class, LocalDate.of(2024, 2, 29)),
                Arguments.of(LocalDateTime.class, LocalDateTime.of(2024, 2, 29, 13, 14)),
                Arguments.of(Duration.class, Duration.ofMillis(1500)),
                Arguments.of(OffsetDateTime.class, OffsetDateTime.parse("2024-01-02T03:04:05+02:00")),
                Arguments.of(UUID.class, UUID.fromString("3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void valuesComeBackAsTheyWent(Type type, Object value) {
        Object json = ActorArguments.toJsonValue(value);

        assertThat(ActorArguments.fromJsonValue(json, type)).isEqualTo(value);
    }

    @Test
    void aZonedDateTimeComesBackAsTheSameInstantAndOffset() {
        ZonedDateTime paris = ZonedDateTime.parse("2024-07-01T10:00:00+02:00[Europe/Paris]");

        ZonedDateTime back = ActorArguments.fromJsonValue(ActorArguments.toJsonValue(paris), ZonedDateTime.class);

        assertThat(back.toInstant()).isEqualTo(paris.toInstant());
        assertThat(back.getOffset()).isEqualTo(paris.getOffset());
    }

    @Test
    void recordComponentsOfOptionalTypeMayBeMissing() {
        record Greeting(String text, Optional<String> signature) {
        }

        assertThat(ActorArguments.fromJsonValue(Map.of("text", "hi"), Greeting.class))
                .isEqualTo(new Greeting("hi", Optional.empty()));
        assertThat(ActorArguments.toJsonValue(new Greeting("hi", Optional.of("Bo"))))
                .isEqualTo(Map.of("text", "hi", "signature", "Bo"));
    }

    @Test
    void nothingIsCoercedSilently() {
        assertThatThrownBy(() -> ActorArguments.fromJsonValue("1", int.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActorArguments.fromJsonValue(1, String.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActorArguments.fromJsonValue(1.5, int.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActorArguments.fromJsonValue(null, int.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActorArguments.fromJsonValue(0, Color.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActorArguments.fromJsonValue("true", boolean.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActorArguments.fromJsonValue(Map.of("sku", "A", "quantity", 1, "price", 1,
                "colour", "red"), Order.class))
                .as("unknown properties")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonNullIsNullForReferenceTypes() {
        assertThat(ActorArguments.fromJsonValue(null, Integer.class)).isNull();
        assertThat(ActorArguments.fromJsonValue(null, Order.class)).isNull();
    }
}
