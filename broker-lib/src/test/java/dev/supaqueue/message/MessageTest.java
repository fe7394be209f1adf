package dev.supaqueue.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class MessageTest {

    static final Pattern UUID4 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    static final Clock FIXED = Clock.fixed(Instant.parse("2025-01-01T00:00:00.123Z"), ZoneOffset.UTC);

    /** An insertion-ordered map that allows null values: {@code map("a", 1, "b", null)}. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A list that allows nulls. */
    static List<Object> list(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    @Test
    void createAssignsAUuid4IdAndTheClocksTimeInMilliseconds() {
        Message message = Message.create("default", "send_email", List.of("a@example.com"), Map.of("urgent", true),
                Map.of(), FIXED);

        assertThat(message.queueName()).isEqualTo("default");
        assertThat(message.actorName()).isEqualTo("send_email");
        assertThat(message.args()).containsExactly("a@example.com");
        assertThat(message.kwargs()).containsExactly(Map.entry("urgent", true));
        assertThat(message.options()).isEmpty();
        assertThat(message.messageId()).hasSize(36).matches(UUID4);
        assertThat(message.messageTimestamp()).isEqualTo(1735689600123L);
        assertThat(message.messageDateTime()).isEqualTo(Instant.parse("2025-01-01T00:00:00.123Z"));
    }

    @Test
    void createWithoutClockUsesTheCurrentTime() {
        long before = System.currentTimeMillis();
        Message message = Message.create("default", "a", null, null, null);
        long after = System.currentTimeMillis();

        assertThat(message.messageTimestamp()).isBetween(before, after);
    }

    @Test
    void idsAreFreshUuid4s() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String id = Message.create("default", "a", null, null, null).messageId();
            assertThat(id).matches(UUID4);
            ids.add(id);
        }
        assertThat(ids).hasSize(2000);
    }

    @Test
    void nullCollectionsMeanEmpty() {
        Message message = new Message("default", "a", null, null, null, "id", 1L);

        assertThat(message.args()).isEmpty();
        assertThat(message.kwargs()).isEmpty();
        assertThat(message.options()).isEmpty();
    }

    @Test
    void namesAndIdMustNotBeNull() {
        assertThatThrownBy(() -> new Message(null, "a", null, null, null, "id", 1L))
                .isInstanceOf(NullPointerException.class).hasMessage("queueName must not be null");
        assertThatThrownBy(() -> new Message("q", null, null, null, null, "id", 1L))
                .isInstanceOf(NullPointerException.class).hasMessage("actorName must not be null");
        assertThatThrownBy(() -> new Message("q", "a", null, null, null, null, 1L))
                .isInstanceOf(NullPointerException.class).hasMessage("messageId must not be null");
    }

    @Test
    void copiesArgumentsDeeplySoLaterChangesToTheSourceDoNotLeakIn() {
        List<Object> inner = list(1, 2);
        Map<String, Object> nested = map("xs", inner);
        List<Object> args = list("a", inner);
        Map<String, Object> kwargs = map("nested", nested);
        Map<String, Object> options = map("retries", 1);
        Message message = new Message("q", "a", args, kwargs, options, "id", 1L);

        inner.add(3);
        nested.put("new", true);
        args.add("b");
        kwargs.put("other", 1);
        options.put("eta", 5);

        assertThat(message.args()).isEqualTo(List.of("a", List.of(1, 2)));
        assertThat(message.kwargs()).isEqualTo(Map.of("nested", Map.of("xs", List.of(1, 2))));
        assertThat(message.options()).isEqualTo(Map.of("retries", 1));
    }

    @Test
    void isDeeplyUnmodifiable() {
        Message message = new Message("q", "a", list(list(1)), map("m", map("k", list())),
                map("o", 1), "id", 1L);

        assertThatThrownBy(() -> message.args().add(2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> asList(message.args().get(0)).add(2))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> message.kwargs().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> asMap(message.kwargs().get("m")).put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> asList(asMap(message.kwargs().get("m")).get("k")).add(1))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> message.options().remove("o")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> message.toMap().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsInsertionOrderAndNullValues() {
        Map<String, Object> kwargs = map("z", 1, "a", null, "m", list(null, "x", null));
        Message message = new Message("q", "a", list(null, 1, null), kwargs, map("b", 1, "a", 2), "id", 1L);

        assertThat(message.kwargs().keySet()).containsExactly("z", "a", "m");
        assertThat(message.kwargs()).containsEntry("a", null);
        assertThat(asList(message.kwargs().get("m"))).containsExactly(null, "x", null);
        assertThat(message.args()).containsExactly(null, 1, null);
        assertThat(message.options().keySet()).containsExactly("b", "a");
    }

    @Test
    void storesIntegersAsTheDecoderDoesSoTheyCompareEqual() {
        Message message = new Message("q", "a",
                list(5L, (short) 7, (byte) 8, BigInteger.valueOf(9), BigInteger.valueOf(1L << 40),
                        1L << 40, new BigInteger("18446744073709551616"), 1.5, new BigDecimal("2.50")),
                null, null, "id", 1L);

        assertThat(message.args()).containsExactly(5, 7, 8, 9, 1L << 40, 1L << 40,
                new BigInteger("18446744073709551616"), 1.5, new BigDecimal("2.50"));
        assertThat(message.args().get(0)).isInstanceOf(Integer.class);
        assertThat(message.args().get(3)).isInstanceOf(Integer.class);
        assertThat(message.args().get(4)).isInstanceOf(Long.class);
        assertThat(message.args().get(6)).isInstanceOf(BigInteger.class);
    }

    @Test
    void refusesValuesThatAreNotJsonNamingThePath() {
        assertThatThrownBy(() -> new Message("q", "a", null, map("when", Instant.EPOCH), null, "id", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kwargs.when: java.time.Instant is not a JSON value");
        assertThatThrownBy(() -> new Message("q", "a", list(1, new Object()), null, null, "id", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("args[1]: java.lang.Object is not a JSON value");
        assertThatThrownBy(() -> new Message("q", "a", list(new int[] {1}), null, null, "id", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("args[0]: [I is not a JSON value");
        assertThatThrownBy(() -> new Message("q", "a", list(Set.of(1)), null, null, "id", 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("args[0]: ");
        assertThatThrownBy(() -> new Message("q", "a", null, null,
                map("pipe_target", map("args", list(1, 1.5f))), "id", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("options.pipe_target.args[1]: Float is not supported");
        assertThatThrownBy(() -> new Message("q", "a", null, map("odd key", list('c')), null, "id", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kwargs[\"odd key\"][0]: java.lang.Character is not a JSON value");
    }

    @Test
    void refusesNonStringKeys() {
        Map<Object, Object> bad = new LinkedHashMap<>();
        bad.put(1, "one");
        assertThatThrownBy(() -> new Message("q", "a", list(bad), null, null, "id", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("args[0]: JSON object keys must be strings, got an integer");
    }

    @Test
    void refusesCyclesAndTooDeepNestingInsteadOfOverflowingTheStack() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThatThrownBy(() -> new Message("q", "a", cyclic, null, null, "id", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper than 1000 levels");
    }

    @Test
    void acceptsNestingUpToTheCodecLimit() {
        // The message object is level 1 and args level 2, so 998 more lists reach level 1000 exactly.
        assertThat(new Message("q", "a", nestedLists(998), null, null, "id", 1L).args()).hasSize(1);
        assertThatThrownBy(() -> new Message("q", "a", nestedLists(999), null, null, "id", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper than 1000 levels");
    }

    static List<Object> nestedLists(int depth) {
        List<Object> current = new ArrayList<>();
        for (int i = 1; i < depth; i++) {
            List<Object> outer = new ArrayList<>();
            outer.add(current);
            current = outer;
        }
        return list(current);
    }

    @Test
    void allowsNanAndNulHereSinceOnlyTheCodecCannotCarryThem() {
        Message message = new Message("q", "a", list(Double.NaN, "a\u0000b"), null, null, "id", 1L);
        assertThat(message.args()).hasSize(2);
    }

    @Test
    void withOptionsMergesKeepingOrderIdAndTimestamp() {
        Message original = new Message("default", "a", list(1), null,
                map("retries", 1, "eta", 100, "traceback", "x"), "the-id", 42L);

        Message copy = original.withOptions(map("eta", 200, "requeue_timestamp", 300, "max_retries", 5));

        assertThat(copy.options().keySet())
                .containsExactly("retries", "eta", "traceback", "requeue_timestamp", "max_retries");
        assertThat(copy.options()).containsEntry("eta", 200).containsEntry("retries", 1);
        assertThat(copy.messageId()).isEqualTo("the-id");
        assertThat(copy.messageTimestamp()).isEqualTo(42L);
        assertThat(copy.args()).isEqualTo(original.args());
        assertThat(original.options()).containsEntry("eta", 100).hasSize(3);
        assertThat(original.withOptions(Map.of())).isSameAs(original);
    }

    @Test
    void withOptionsCanSetANullValue() {
        Message copy = Message.create("q", "a", null, null, map("eta", 1), FIXED).withOptions(map("eta", null));
        assertThat(copy.options()).containsEntry("eta", null);
        assertThat(copy.option("eta")).isEmpty();
    }

    @Test
    void withoutOptionRemovesOneKey() {
        Message original = new Message("q", "a", null, null, map("a", 1, "eta", 2, "b", 3), "id", 7L);

        Message copy = original.withoutOption("eta");

        assertThat(copy.options().keySet()).containsExactly("a", "b");
        assertThat(copy.messageId()).isEqualTo("id");
        assertThat(copy.messageTimestamp()).isEqualTo(7L);
        assertThat(copy.withoutOption("eta")).isSameAs(copy);
    }

    @Test
    void withQueueNameKeepsEverythingElse() {
        Message original = Message.create("default.DQ", "a", List.of(1), Map.of("k", "v"), Map.of("eta", 5), FIXED);

        Message moved = original.withQueueName("default");

        assertThat(moved.queueName()).isEqualTo("default");
        assertThat(moved).usingRecursiveComparison().ignoringFields("queueName").isEqualTo(original);
    }

    @Test
    void optionReturnsPresentValuesOnly() {
        Message message = new Message("q", "a", null, null, map("retries", 3, "none", null), "id", 1L);

        assertThat(message.option("retries")).contains(3);
        assertThat(message.option("none")).isEmpty();
        assertThat(message.option("missing")).isEmpty();
    }

    @Test
    void messageDateTimeIsTheTimestampInUtcWithMillisecondPrecision() {
        Message message = new Message("q", "a", null, null, null, "id", 1735689600999L);
        assertThat(message.messageDateTime()).isEqualTo(Instant.parse("2025-01-01T00:00:00.999Z"));
        assertThat(new Message("q", "a", null, null, null, "id", -1L).messageDateTime())
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.999Z"));
    }

    @Test
    void toMapHasTheSevenKeysInDramatiqsOrder() {
        Message message = new Message("default", "add", list(1, 2), map("k", "v"), map("retries", 1),
                "3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11", 1735689600000L);

        Map<String, Object> dict = message.toMap();

        assertThat(dict.keySet()).containsExactly("queue_name", "actor_name", "args", "kwargs", "options",
                "message_id", "message_timestamp");
        assertThat(dict.keySet()).containsExactlyElementsOf(Message.KEYS);
        assertThat(dict).containsEntry("queue_name", "default").containsEntry("actor_name", "add")
                .containsEntry("args", List.of(1, 2)).containsEntry("kwargs", Map.of("k", "v"))
                .containsEntry("options", Map.of("retries", 1))
                .containsEntry("message_id", "3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11")
                .containsEntry("message_timestamp", 1735689600000L);
    }

    @Test
    void toMapCanTravelAsAnOptionOfAnotherMessage() {
        Message child = Message.create("default", "notify", List.of(), Map.of(), Map.of(), FIXED);
        Message parent = Message.create("default", "fetch", List.of(), Map.of(), Map.of("pipe_target", child.toMap()),
                FIXED);

        assertThat(new MessageCodec().fromMap(asStringMap(parent.option("pipe_target").orElseThrow())))
                .isEqualTo(child);
    }

    @Test
    void equalityIsByValue() {
        Message a = new Message("q", "a", list(1, map("x", null)), map("k", 1), null, "id", 1L);
        Message b = new Message("q", "a", list(1L, map("x", null)), map("k", 1), map(), "id", 1L);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(b.withQueueName("other"));
        assertThat(a).isNotEqualTo(new Message("q", "a", list(1, map("x", null)), map("k", 1), null, "id", 2L));
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, ?> asStringMap(Object value) {
        return (Map<String, ?>) value;
    }
}
