package dev.supaqueue.message;

import static dev.supaqueue.message.MessageTest.FIXED;
import static dev.supaqueue.message.MessageTest.UUID4;
import static dev.supaqueue.message.MessageTest.list;
import static dev.supaqueue.message.MessageTest.map;
import static dev.supaqueue.message.MessageTest.nestedLists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec(FIXED);

    static Stream<Message> samples() {
        return Stream.of(
                new Message("default", "send_email", list("a@example.com"), map("urgent", true), map(),
                        "3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11", 1735689600000L),
                Message.create("default", "noop", null, null, null, FIXED),
                Message.create("q", "unicode", list("café", "🚀", "日本語", "tab\tnew\nline", "\"quoted\" \\ /", "\u007f\u0001"),
                        map("naïve", "über", "", "empty key", "a.b", "dotted key"), null, FIXED),
                Message.create("q", "numbers",
                        list(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                                new BigInteger("18446744073709551616"), new BigInteger("-9223372036854775809"),
                                1.0, 0.1, 1e16, -0.0, 5e-324, Double.MAX_VALUE, 1.5e-7),
                        map("ratio", 1.0 / 3), null, FIXED),
                Message.create("q", "nested", list(list(list(list())), map(), null, true, false),
                        map("user", map("id", 42, "roles", list("admin", "ops"), "prefs", map("theme", null))),
                        map("max_retries", 3, "pipe_target", map("queue_name", "q", "actor_name", "next",
                                "args", list(), "kwargs", map(), "options", map(), "message_id", "x",
                                "message_timestamp", 1L)), FIXED),
                new Message("", "", null, null, null, "", Long.MIN_VALUE),
                new Message("default", "big", list("x".repeat(1 << 20)), null, null, "id", Long.MAX_VALUE));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughTextAndBytes(Message message) {
        String json = codec.encode(message);
        byte[] bytes = codec.encodeBytes(message);

        assertThat(bytes).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        // An empty id is regenerated on decoding, as in Python; everything else comes back equal.
        if (!message.messageId().isEmpty()) {
            assertThat(codec.decode(json)).isEqualTo(message);
            assertThat(codec.decode(bytes)).isEqualTo(message);
        }
    }

    @Test
    void writesTheSevenKeysInDramatiqsOrderCompactly() {
        Message message = new Message("default", "send_email", list("a@example.com"), map("urgent", true), map(),
                "3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11", 1735689600000L);

        assertThat(codec.encode(message)).isEqualTo("{\"queue_name\":\"default\",\"actor_name\":\"send_email\","
                + "\"args\":[\"a@example.com\"],\"kwargs\":{\"urgent\":true},\"options\":{},"
                + "\"message_id\":\"3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11\",\"message_timestamp\":1735689600000}");
    }

    @Test
    void keepsTheOrderOfKwargsAndOptionsKeys() {
        Message message = Message.create("q", "a", null, map("z", 1, "a", 2, "m", 3),
                map("retries", 1, "eta", 2, "traceback", "t"), FIXED);

        String json = codec.encode(message);

        assertThat(json).contains("\"kwargs\":{\"z\":1,\"a\":2,\"m\":3}")
                .contains("\"options\":{\"retries\":1,\"eta\":2,\"traceback\":\"t\"}");
        assertThat(codec.decode(json).kwargs().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void writesUtf8UnescapedAndEscapesOnlyWhatJsonRequires() {
        Message message = Message.create("q", "a", list("é🚀", "a\"b\\c/d", "\n\t\u0001"), null, null, FIXED);

        String json = codec.encode(message);

        assertThat(json).contains("[\"é🚀\",\"a\\\"b\\\\c/d\",\"\\n\\t\\u0001\"]");
    }

    @Test
    void writesNumbersAsJsonNumbers() {
        Message message = Message.create("q", "a", list(1.0, 0.1, 1e16, new BigInteger("18446744073709551616"),
                new BigDecimal("2.50"), -0.0), null, null, FIXED);

        assertThat(codec.encode(message)).contains("\"args\":[1.0,0.1,1.0E16,18446744073709551616,2.50,-0.0]");
    }

    @Test
    void decodesIntegersBySizeAndDecimalsAsDoubles() {
        Message message = codec.decode(body("[1,2147483648,9223372036854775808,1.0,1e+16,1E3,0.1,-0.0,-7]"));

        assertThat(message.args()).containsExactly(1, 2147483648L, new BigInteger("9223372036854775808"), 1.0,
                1e16, 1000.0, 0.1, -0.0, -7);
        assertThat(message.args().get(4)).isInstanceOf(Double.class);
    }

    @Test
    void bigDecimalsComeBackAsDoubles() {
        Message message = Message.create("q", "a", list(new BigDecimal("2.5")), null, null, FIXED);
        assertThat(codec.decode(codec.encode(message)).args()).containsExactly(2.5);
    }

    @Test
    void decodingIgnoresKeyOrderAndWhitespace() {
        String reordered = """
                { "options" : { "b" : 2 , "a" : 1 } ,
                  "message_timestamp" : 5, "args" : [ 1 , [ ] ], "kwargs" : { },
                  "message_id" : "id", "actor_name" : "a", "queue_name" : "q" }
                """;

        Message message = codec.decode(reordered);

        assertThat(message).isEqualTo(new Message("q", "a", list(1, list()), map(), map("b", 2, "a", 1), "id", 5L));
        assertThat(message.options().keySet()).containsExactly("b", "a");
    }

    @Test
    void duplicateKeysKeepTheLastValueAsPythonAndJsonbDo() {
        Message message = codec.decode("{\"queue_name\":\"first\",\"queue_name\":\"last\",\"actor_name\":\"a\","
                + "\"args\":[],\"kwargs\":{\"x\":1,\"y\":2,\"x\":3},\"options\":{}}");

        assertThat(message.queueName()).isEqualTo("last");
        assertThat(message.kwargs()).containsExactly(Map.entry("x", 3), Map.entry("y", 2));
    }

    @Test
    void regeneratesAMissingIdAndTimestampAsPythonDoes() {
        Message message = codec.decode("{\"queue_name\":\"q\",\"actor_name\":\"a\",\"args\":[],\"kwargs\":{},"
                + "\"options\":{}}");

        assertThat(message.messageId()).matches(UUID4);
        assertThat(message.messageTimestamp()).isEqualTo(FIXED.millis());
    }

    @Test
    void regeneratesFalsyIdsAndTimestampsAsPythonsOrDoes() {
        for (String id : List.of("null", "\"\"")) {
            for (String timestamp : List.of("null", "0")) {
                Message message = codec.decode("{\"queue_name\":\"q\",\"actor_name\":\"a\",\"args\":[],"
                        + "\"kwargs\":{},\"options\":{},\"message_id\":" + id + ",\"message_timestamp\":"
                        + timestamp + "}");
                assertThat(message.messageId()).matches(UUID4);
                assertThat(message.messageTimestamp()).isEqualTo(FIXED.millis());
            }
        }
    }

    @Test
    void keepsANonUuidIdAsItIs() {
        assertThat(codec.decode(body("[]").replace("\"message_id\":\"id\"", "\"message_id\":\"42\"")).messageId())
                .isEqualTo("42");
    }

    @Test
    void encodeRefusesNanAndInfinityNamingThePath() {
        assertThatThrownBy(() -> codec.encode(Message.create("q", "a", null, map("ratio", Double.NaN), null, FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kwargs.ratio: NaN is not a JSON number");
        assertThatThrownBy(() -> codec.encode(Message.create("q", "a", list(1, Double.POSITIVE_INFINITY), null,
                null, FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("args[1]: Infinity is not a JSON number");
        assertThatThrownBy(() -> codec.encodeBytes(Message.create("q", "a", null, null,
                map("pipe_target", map("kwargs", map("x", Double.NEGATIVE_INFINITY))), FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("options.pipe_target.kwargs.x: -Infinity is not a JSON number");
    }

    @Test
    void encodeRefusesTheNulCharacterAnywhere() {
        assertThatThrownBy(() -> codec.encode(Message.create("q", "a", list("a\u0000b"), null, null, FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("args[0]: contains the NUL character \\u0000 at index 1");
        assertThatThrownBy(() -> codec.encode(Message.create("q", "a", null, map("k\u0000", 1), null, FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kwargs[\"k\\u0000\"] (the key): contains the NUL character");
        assertThatThrownBy(() -> codec.encode(Message.create("q\u0000", "a", null, null, null, FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("queue_name: contains the NUL character");
        assertThatThrownBy(() -> codec.encode(Message.create("q", "\u0000", null, null, null, FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("actor_name: contains the NUL character");
        assertThatThrownBy(() -> codec.encode(new Message("q", "a", null, null, null, "\u0000", 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("message_id: contains the NUL character");
    }

    @Test
    void encodeRefusesUnpairedSurrogates() {
        assertThatThrownBy(() -> codec.encode(Message.create("q", "a", null, null, map("s", "x\uD83D"), FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("options.s: contains an unpaired UTF-16 surrogate \\ud83d at index 1");
        assertThatThrownBy(() -> codec.encode(Message.create("q", "a", list("\uDE80x"), null, null, FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("args[0]: contains an unpaired UTF-16 surrogate \\ude80 at index 0");
    }

    @Test
    void encodeRefusesNumbersTheDecoderWouldRefuse() {
        assertThatThrownBy(() -> codec.encode(Message.create("q", "a", list(new BigDecimal("1E+400")), null, null,
                FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("args[0]: 1E+400 is beyond the range of a double");
        assertThatThrownBy(() -> codec.encode(Message.create("q", "a", list(BigInteger.TEN.pow(1000)), null, null,
                FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("args[0]: number of 1001 characters is longer than the limit of 1000");
    }

    @Test
    void encodeRefusesStringsBeyondTheLimit() {
        String huge = "x".repeat(MessageCodec.MAX_STRING_LENGTH + 1);
        assertThatThrownBy(() -> codec.encode(Message.create("q", "a", list(huge), null, null, FIXED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("args[0]: string of 67108865 characters is longer than the limit");
    }

    @Test
    void deepestAllowedNestingRoundTrips() {
        Message deep = new Message("q", "a", nestedLists(998), null, null, "id", 1L);
        assertThat(codec.decode(codec.encode(deep))).isEqualTo(deep);
    }

    @Test
    void deepNestingNeedsNoDeepStack() throws Exception {
        // Encoding, decoding and copying walk the tree with an explicit stack, so a body at the nesting limit
        // cannot overflow a worker thread's stack, however the JIT sizes the frames.
        String deepest = "[".repeat(999) + "]".repeat(999);
        String body = body(deepest);
        String[] reEncoded = new String[1];
        Throwable[] failure = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                Message decoded = codec.decode(body);
                Message copied = decoded.withQueueName("other").withQueueName("q");
                reEncoded[0] = codec.encode(copied);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "small-stack", 128 * 1024);
        small.start();
        small.join();

        assertThat(failure[0]).isNull();
        assertThat(reEncoded[0]).isEqualTo(body);
    }

    @Test
    void aOneMebibyteStringAndAWideArrayRoundTrip() {
        List<Object> wide = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            wide.add(i);
        }
        Message message = Message.create("q", "a", list("ü".repeat(1 << 20), wide), null, null, FIXED);

        assertThat(codec.decode(codec.encodeBytes(message))).isEqualTo(message);
    }

    @Test
    void fromMapAppliesTheDecoderRules() {
        Message child = Message.create("q", "next", list(1), null, null, FIXED);
        assertThat(codec.fromMap(child.toMap())).isEqualTo(child);

        Map<String, Object> bad = new java.util.LinkedHashMap<>(child.toMap());
        bad.put("extra", 1);
        assertThatThrownBy(() -> codec.fromMap(bad)).isInstanceOf(MessageDecodeException.class)
                .hasMessageContaining("unknown top-level key \"extra\"");
        Map<String, Object> notJson = new java.util.LinkedHashMap<>(child.toMap());
        notJson.put("kwargs", map("when", new Object()));
        assertThatThrownBy(() -> codec.fromMap(notJson)).isInstanceOf(MessageDecodeException.class)
                .hasMessageContaining("kwargs.when: java.lang.Object is not a JSON value");
        assertThatThrownBy(() -> codec.fromMap(null)).isInstanceOf(MessageDecodeException.class)
                .hasMessage("Cannot decode message: no message dict (null)");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        // The small samples only: this is about shared state, not throughput.
        List<Message> messages = samples().filter(m -> !m.messageId().isEmpty())
                .filter(m -> codec.encode(m).length() < 10_000).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        for (Message message : messages) {
                            if (!codec.decode(codec.encodeBytes(message)).equals(message)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A valid body, in the codec's own key order, whose args are the given JSON text. */
    static String body(String argsJson) {
        return "{\"queue_name\":\"q\",\"actor_name\":\"a\",\"args\":" + argsJson + ",\"kwargs\":{},\"options\":{},"
                + "\"message_id\":\"id\",\"message_timestamp\":1735689600000}";
    }
}
