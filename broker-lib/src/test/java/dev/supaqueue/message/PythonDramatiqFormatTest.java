package dev.supaqueue.message;

import static dev.supaqueue.message.MessageTest.FIXED;
import static dev.supaqueue.message.MessageTest.UUID4;
import static dev.supaqueue.message.MessageTest.list;
import static dev.supaqueue.message.MessageTest.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compatibility with Python Dramatiq 2.x, both ways, without Python: recorded bodies as CPython's
 * {@code json.dumps(message.asdict(), separators=(",", ":"))} writes them (ASCII only, lowercase {@code \\uXXXX}
 * escapes, surrogate pairs, {@code repr} floats, unlimited integers) must decode to the expected messages, and
 * bodies written by {@link MessageCodec} must pass the rules of Python's decoder. PostgreSQL's jsonb rewrites
 * bodies in transit (keys sorted by length then bytes, {@code ", "} and {@code ": "} separators, no escapes for
 * non-ASCII, numbers as {@code numeric}); its renderings must decode equal too.
 */
class PythonDramatiqFormatTest {

    private final MessageCodec codec = new MessageCodec(FIXED);

    // ------------------------------------------------------------------------------------------------------
    // Recorded from CPython 3.11 json.dumps(message.asdict(), separators=(",", ":")) of Dramatiq 2.x messages.
    // Java text blocks: "\\" below is one backslash in the JSON text.

    static final String SIMPLE = """
            {"queue_name":"default","actor_name":"send_email","args":["a@example.com"],"kwargs":{"urgent":true},\
            "options":{},"message_id":"3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11","message_timestamp":1735689600000}""";

    static final String UNICODE = """
            {"queue_name":"default","actor_name":"greet","args":["caf\\u00e9","\\ud83d\\ude80 launch",\
            "\\u65e5\\u672c\\u8a9e","tab\\tnew\\nline\\r","quote \\" back \\\\ slash /","del\\u007f","\\b\\f\\u0001"],\
            "kwargs":{"na\\u00efve":"\\u00fcber"},"options":{},"message_id":"0b7e2f6a-91d4-4c3e-8f21-5a6d7c8e9f01",\
            "message_timestamp":1735689600123}""";

    static final String NUMBERS = """
            {"queue_name":"math","actor_name":"compute","args":[1.0,0.1,1e+16,-2.5,1.5e-07,5e-324,\
            18446744073709551616,-9223372036854775809,9223372036854775807,-2147483648,2147483648,\
            0,-0.0],"kwargs":{"ratio":0.3333333333333333,"big":123456789012345678901234567890,\
            "exp":1e+300},"options":{},"message_id":"5a1c9e3b-2d4f-4a6b-b8c7-d9e0f1a2b3c4","message_timestamp":1735689600999}""";

    static final String NESTED = """
            {"queue_name":"default","actor_name":"update_profile","args":[42,[1,[2,[3,[]]]],\
            null],"kwargs":{"user":{"id":42,"roles":["admin","ops"],"prefs":{"theme":null,"beta":true,\
            "ratio":1.0}},"items":[[1,2],{},[],{"k":[{"deep":false}]}]},"options":{"max_retries":3,\
            "time_limit":60000},"message_id":"9c8b7a6f-5e4d-4c3b-a2a1-0f9e8d7c6b5a","message_timestamp":1735689601000}""";

    static final String RETRIED = """
            {"queue_name":"default.DQ","actor_name":"send_email","args":["a@example.com"],"kwargs":{"urgent":true},\
            "options":{"redis_message_id":"e2d1c0b9-a8f7-4e6d-95c4-b3a291807f6e","retries":3,\
            "traceback":"Traceback (most recent call last):\\n  File \\"/app/worker.py\\", line 12, in send_email\\n    \
            smtp.send(to)\\nConnectionError: smtp down\\n","requeue_timestamp":1735689660000,"eta":1735689720000},\
            "message_id":"3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11","message_timestamp":1735689600000}""";

    static final String PIPELINE = """
            {"queue_name":"default","actor_name":"fetch","args":["https://example.com/x?a=1&b=2"],\
            "kwargs":{},"options":{"pipe_target":{"queue_name":"default","actor_name":"notify",\
            "args":[],"kwargs":{"channel":"#ops"},"options":{"pipe_ignore":true},"message_id":"7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d",\
            "message_timestamp":1735689602000},"pipe_ignore":false},"message_id":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e",\
            "message_timestamp":1735689602000}""";

    static final String GROUP = """
            {"queue_name":"default","actor_name":"crawl","args":["https://example.com"],"kwargs":{},\
            "options":{"group_completion_uuid":"c0ffee00-1234-4abc-8def-0123456789ab","group_completion_callbacks":[{"queue_name":"reports",\
            "actor_name":"summarize","args":[],"kwargs":{},"options":{},"message_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",\
            "message_timestamp":1735689603000},{"queue_name":"reports","actor_name":"email_summary",\
            "args":["ops@example.com"],"kwargs":{},"options":{"delay":5000},"message_id":"bbbbbbbb-cccc-4ddd-9eee-ffffffffffff",\
            "message_timestamp":1735689603000}]},"message_id":"cccccccc-dddd-4eee-afff-000000000000",\
            "message_timestamp":1735689603000}""";

    // ------------------------------------------------------------------------------------------------------
    // The same bodies as PostgreSQL jsonb renders them when read back as text (e.g. by pgmq.read).
    // "\u007f" below is a raw DEL character, which jsonb does not escape.

    static final String JSONB_UNICODE = """
            {"args": ["café", "🚀 launch", "日本語", "tab\\tnew\\nline\\r", "quote \\" back \\\\ slash /", "del\u007f", \
            "\\b\\f\\u0001"], "kwargs": {"naïve": "über"}, "options": {}, "actor_name": "greet", "message_id": "0b7e2f6a-91d4-4c3e-8f21-5a6d7c8e9f01", \
            "queue_name": "default", "message_timestamp": 1735689600123}""";

    static final String JSONB_RETRIED = """
            {"args": ["a@example.com"], "kwargs": {"urgent": true}, "options": {"eta": 1735689720000, \
            "retries": 3, "traceback": "Traceback (most recent call last):\\n  File \\"/app/worker.py\\", \
            line 12, in send_email\\n    smtp.send(to)\\nConnectionError: smtp down\\n", "redis_message_id": "e2d1c0b9-a8f7-4e6d-95c4-b3a291807f6e", \
            "requeue_timestamp": 1735689660000}, "actor_name": "send_email", "message_id": "3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11", \
            "queue_name": "default.DQ", "message_timestamp": 1735689600000}""";

    static final String JSONB_PIPELINE = """
            {"args": ["https://example.com/x?a=1&b=2"], "kwargs": {}, "options": {"pipe_ignore": false, \
            "pipe_target": {"args": [], "kwargs": {"channel": "#ops"}, "options": {"pipe_ignore": true}, \
            "actor_name": "notify", "message_id": "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d", "queue_name": "default", \
            "message_timestamp": 1735689602000}}, "actor_name": "fetch", "message_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e", \
            "queue_name": "default", "message_timestamp": 1735689602000}""";

    static final String JSONB_GROUP = """
            {"args": ["https://example.com"], "kwargs": {}, "options": {"group_completion_uuid": "c0ffee00-1234-4abc-8def-0123456789ab", \
            "group_completion_callbacks": [{"args": [], "kwargs": {}, "options": {}, "actor_name": "summarize", \
            "message_id": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "queue_name": "reports", "message_timestamp": 1735689603000}, \
            {"args": ["ops@example.com"], "kwargs": {}, "options": {"delay": 5000}, "actor_name": "email_summary", \
            "message_id": "bbbbbbbb-cccc-4ddd-9eee-ffffffffffff", "queue_name": "reports", "message_timestamp": 1735689603000}]}, \
            "actor_name": "crawl", "message_id": "cccccccc-dddd-4eee-afff-000000000000", "queue_name": "default", \
            "message_timestamp": 1735689603000}""";

    // ------------------------------------------------------------------------------------------------------
    // Python -> Java

    static final Message SIMPLE_MESSAGE = new Message("default", "send_email", list("a@example.com"),
            map("urgent", true), map(), "3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11", 1735689600000L);

    static final Message UNICODE_MESSAGE = new Message("default", "greet",
            list("café", "🚀 launch", "日本語", "tab\tnew\nline\r", "quote \" back \\ slash /", "del\u007f",
                    "\b\f\u0001"),
            map("naïve", "über"), map(), "0b7e2f6a-91d4-4c3e-8f21-5a6d7c8e9f01", 1735689600123L);

    static final Message NUMBERS_MESSAGE = new Message("math", "compute",
            list(1.0, 0.1, 1e16, -2.5, 1.5e-7, Double.MIN_VALUE, new BigInteger("18446744073709551616"),
                    new BigInteger("-9223372036854775809"), Long.MAX_VALUE, Integer.MIN_VALUE, 2147483648L, 0,
                    -0.0),
            map("ratio", 1.0 / 3, "big", new BigInteger("123456789012345678901234567890"), "exp", 1e300),
            map(), "5a1c9e3b-2d4f-4a6b-b8c7-d9e0f1a2b3c4", 1735689600999L);

    static final Message NESTED_MESSAGE = new Message("default", "update_profile",
            list(42, list(1, list(2, list(3, list()))), null),
            map("user", map("id", 42, "roles", list("admin", "ops"),
                            "prefs", map("theme", null, "beta", true, "ratio", 1.0)),
                    "items", list(list(1, 2), map(), list(), map("k", list(map("deep", false))))),
            map("max_retries", 3, "time_limit", 60000), "9c8b7a6f-5e4d-4c3b-a2a1-0f9e8d7c6b5a", 1735689601000L);

    static final Message RETRIED_MESSAGE = new Message("default.DQ", "send_email", list("a@example.com"),
            map("urgent", true),
            map("redis_message_id", "e2d1c0b9-a8f7-4e6d-95c4-b3a291807f6e",
                    "retries", 3,
                    "traceback", """
                            Traceback (most recent call last):
                              File "/app/worker.py", line 12, in send_email
                                smtp.send(to)
                            ConnectionError: smtp down
                            """,
                    "requeue_timestamp", 1735689660000L,
                    "eta", 1735689720000L),
            "3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11", 1735689600000L);

    static final Message PIPE_TARGET = new Message("default", "notify", list(), map("channel", "#ops"),
            map("pipe_ignore", true), "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d", 1735689602000L);

    static final Message PIPELINE_MESSAGE = new Message("default", "fetch", list("https://example.com/x?a=1&b=2"),
            map(), map("pipe_target", PIPE_TARGET.toMap(), "pipe_ignore", false),
            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e", 1735689602000L);

    static final Message CALLBACK_1 = new Message("reports", "summarize", list(), map(), map(),
            "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", 1735689603000L);

    static final Message CALLBACK_2 = new Message("reports", "email_summary", list("ops@example.com"), map(),
            map("delay", 5000), "bbbbbbbb-cccc-4ddd-9eee-ffffffffffff", 1735689603000L);

    static final Message GROUP_MESSAGE = new Message("default", "crawl", list("https://example.com"), map(),
            map("group_completion_uuid", "c0ffee00-1234-4abc-8def-0123456789ab",
                    "group_completion_callbacks", list(CALLBACK_1.toMap(), CALLBACK_2.toMap())),
            "cccccccc-dddd-4eee-afff-000000000000", 1735689603000L);

    static Stream<Arguments> pythonBodies() {
        return Stream.of(
                arguments(named("simple", SIMPLE), SIMPLE_MESSAGE),
                arguments(named("unicode escapes and surrogate pair", UNICODE), UNICODE_MESSAGE),
                arguments(named("floats and big integers", NUMBERS), NUMBERS_MESSAGE),
                arguments(named("nested kwargs", NESTED), NESTED_MESSAGE),
                arguments(named("retried by Redis", RETRIED), RETRIED_MESSAGE),
                arguments(named("pipeline", PIPELINE), PIPELINE_MESSAGE),
                arguments(named("group completion", GROUP), GROUP_MESSAGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonBodies")
    void decodesPythonBodies(String body, Message expected) {
        Message decoded = codec.decode(body);

        assertThat(decoded).isEqualTo(expected);
        assertThat(codec.decode(body.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonBodies")
    void fixturesAreExactlyWhatCPythonWrites(String body, Message expected) {
        // Guards the recordings themselves: ASCII only, and byte-identical to a CPython-style rendering of the
        // expected message, so nothing was lost or reordered in decoding either.
        assertThat(body.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)).as("printable ASCII only").isTrue();
        assertThat(PythonJson.dumps(expected.toMap())).isEqualTo(body);
        assertThat(PythonJson.dumps(codec.decode(body).toMap())).isEqualTo(body);
    }

    @Test
    void decodesNumbersWithPythonsTypes() {
        Message message = codec.decode(NUMBERS);

        assertThat(message.args()).extracting(Object::getClass).map(Class::getSimpleName).containsExactly(
                "Double", "Double", "Double", "Double", "Double", "Double", "BigInteger", "BigInteger", "Long",
                "Integer", "Long", "Integer", "Double");
        assertThat(message.args().get(2)).isEqualTo(1e16);
        assertThat((Double) message.args().get(12)).isEqualTo(-0.0).matches(d -> 1 / d < 0, "is negative zero");
        assertThat(message.kwargs().get("exp")).isEqualTo(1e300);
    }

    @Test
    void retriedMessageKeepsDramatiqsOptions() {
        Message message = codec.decode(RETRIED);

        assertThat(message.options().keySet())
                .containsExactly("redis_message_id", "retries", "traceback", "requeue_timestamp", "eta");
        assertThat(message.option("retries")).contains(3);
        assertThat(message.option("eta")).contains(1735689720000L);
        assertThat((String) message.option("traceback").orElseThrow()).contains("\n  File \"/app/worker.py\"")
                .endsWith("ConnectionError: smtp down\n");
        assertThat(message.messageDateTime()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void nestedMessageDictsDecodeAsMessagesToo() {
        Message pipeline = codec.decode(PIPELINE);
        Message group = codec.decode(GROUP);

        assertThat(codec.fromMap(MessageTest.asStringMap(pipeline.option("pipe_target").orElseThrow())))
                .isEqualTo(PIPE_TARGET);
        List<?> callbacks = (List<?>) group.option("group_completion_callbacks").orElseThrow();
        assertThat(callbacks).map(c -> codec.fromMap(MessageTest.asStringMap(c)))
                .containsExactly(CALLBACK_1, CALLBACK_2);
    }

    // ------------------------------------------------------------------------------------------------------
    // Through jsonb

    static Stream<Arguments> jsonbBodies() {
        return Stream.of(
                arguments(named("unicode", JSONB_UNICODE), UNICODE_MESSAGE),
                arguments(named("retried", JSONB_RETRIED), RETRIED_MESSAGE),
                arguments(named("pipeline", JSONB_PIPELINE), PIPELINE_MESSAGE),
                arguments(named("group", JSONB_GROUP), GROUP_MESSAGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonbBodies")
    void decodesJsonbRenderingsEqual(String body, Message expected) {
        Message decoded = codec.decode(body);

        // Map equality ignores order: the message is the same, only the order of keys is jsonb's.
        assertThat(decoded).isEqualTo(expected);
    }

    @Test
    void jsonbReordersKeysWhichOnlyChangesIterationOrder() {
        Message decoded = codec.decode(JSONB_RETRIED);

        assertThat(decoded.options().keySet())
                .containsExactly("eta", "retries", "traceback", "redis_message_id", "requeue_timestamp");
    }

    @Test
    void jsonbTurnsIntegralExponentFloatsIntoIntegersAsPythonThenSees() {
        String viaJsonb = """
                {"args": [1.0, 0.1, 10000000000000000, 0.00000015], "kwargs": {}, "options": {}, \
                "actor_name": "compute", "message_id": "5a1c9e3b-2d4f-4a6b-b8c7-d9e0f1a2b3c4", "queue_name": "math", \
                "message_timestamp": 1735689600999}""";

        Message message = codec.decode(viaJsonb);

        // 1e+16 comes back from numeric as 10000000000000000: an int in Python, a Long here.
        assertThat(message.args()).containsExactly(1.0, 0.1, 10000000000000000L, 1.5e-7);
    }

    @Test
    void spacingAndKeyOrderDoNotMatter() {
        String spaced = "{\"options\": {}, \"args\": [1], \"kwargs\": {\"a\": 1}, \"actor_name\": \"add\", "
                + "\"message_id\": \"3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11\", \"queue_name\": \"default\", "
                + "\"message_timestamp\": 1735689600000}";
        String compact = "{\"queue_name\":\"default\",\"actor_name\":\"add\",\"args\":[1],\"kwargs\":{\"a\":1},"
                + "\"options\":{},\"message_id\":\"3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11\","
                + "\"message_timestamp\":1735689600000}";

        assertThat(codec.decode(spaced)).isEqualTo(codec.decode(compact));
    }

    // ------------------------------------------------------------------------------------------------------
    // Java -> Python

    static Stream<Message> javaMessages() {
        return Stream.of(
                Message.create("default", "send_email", List.of("a@example.com"), Map.of("urgent", true), Map.of()),
                Message.create("default", "noop", null, null, null),
                Message.create("q", "unicode", list("café", "🚀", "日本語", "\u007f", "tab\t", "\"\\/"),
                        map("naïve", "über"), null),
                Message.create("q", "numbers", list(1.0, 0.1, 1e16, 1e-7, 5e-324, Double.MAX_VALUE, -0.0,
                        Long.MAX_VALUE, new BigInteger("18446744073709551616")), null, null),
                UNICODE_MESSAGE, NUMBERS_MESSAGE, NESTED_MESSAGE, RETRIED_MESSAGE, PIPELINE_MESSAGE, GROUP_MESSAGE,
                Message.create("default", "retried", list(1), null, null)
                        .withOptions(map("retries", 2, "traceback", "Traceback\n  line\nError: x\n",
                                "requeue_timestamp", System.currentTimeMillis(), "max_retries", 20,
                                "on_failure", "report_failure", "notify_shutdown", true, "time_limit", 600000)));
    }

    @ParameterizedTest
    @MethodSource("javaMessages")
    void encodedBodiesPassPythonsDecoderRules(Message message) throws Exception {
        String json = codec.encode(message);

        Map<String, Object> dict = PythonDecoder.loads(json);

        // Exactly the seven keys, in Dramatiq's order; nothing Message(**fields) would refuse.
        assertThat(dict.keySet()).containsExactly("queue_name", "actor_name", "args", "kwargs", "options",
                "message_id", "message_timestamp");
        assertThat(dict.get("queue_name")).isInstanceOf(String.class);
        assertThat(dict.get("actor_name")).isInstanceOf(String.class);
        assertThat(dict.get("args")).isInstanceOf(List.class);
        assertThat(dict.get("kwargs")).isInstanceOf(Map.class);
        assertThat(dict.get("options")).isInstanceOf(Map.class);
        assertThat(dict.get("message_id")).asString().matches(UUID4);
        assertThat(dict.get("message_timestamp")).isInstanceOfAny(Integer.class, Long.class);
        long timestamp = ((Number) dict.get("message_timestamp")).longValue();
        // Milliseconds, not seconds or microseconds: between 2001 and 2286.
        assertThat(timestamp).isBetween(1_000_000_000_000L, 9_999_999_999_999L);
        // What jsonb would refuse.
        assertThat(json).doesNotContain("\\u0000").doesNotContain("NaN").doesNotContain("Infinity");
        // Parses back to the same message.
        assertThat(codec.decode(json)).isEqualTo(message);
        assertThat(codec.decode(jsonbRendering(dict))).isEqualTo(message);
    }

    @Test
    void encodedBodyIsCompactValidUtf8() throws Exception {
        byte[] bytes = codec.encodeBytes(UNICODE_MESSAGE);

        assertThat(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString())
                .isEqualTo(codec.encode(UNICODE_MESSAGE))
                .startsWith("{\"queue_name\":\"default\",\"actor_name\":\"greet\",\"args\":[\"café\",\"🚀 launch\"");
    }

    /** The rules of {@code json.loads} (strict JSON: no NaN tokens, nothing after the value) on the top level. */
    static final class PythonDecoder {
        private static final ObjectMapper STRICT = JsonMapper.builder()
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();

        @SuppressWarnings("unchecked")
        static Map<String, Object> loads(String json) throws Exception {
            Object value = STRICT.readValue(json, Object.class);
            assertThat(value).as("top level is an object").isInstanceOf(Map.class);
            return (Map<String, Object>) value;
        }
    }

    /** What jsonb gives back: keys ordered by length then bytes at every level, ", " and ": " separators. */
    static String jsonbRendering(Object value) {
        return switch (value) {
            case Map<?, ?> map -> map.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<?, ?> e) -> utf8(e.getKey()).length)
                            .thenComparing(e -> utf8(e.getKey()), java.util.Arrays::compareUnsigned))
                    .map(e -> PythonJson.string((String) e.getKey(), false) + ": " + jsonbRendering(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
            case List<?> list -> list.stream().map(PythonDramatiqFormatTest::jsonbRendering)
                    .collect(Collectors.joining(", ", "[", "]"));
            case String s -> PythonJson.string(s, false);
            case null -> "null";
            // Numbers keep their text here; what numeric does to them is tested on its own above.
            case Double d -> d.toString();
            default -> PythonJson.dumps(value);
        };
    }

    private static byte[] utf8(Object key) {
        return ((String) key).getBytes(StandardCharsets.UTF_8);
    }

    /** CPython's {@code json.dumps(value, separators=(",", ":"))}, for the JSON value types of a Message. */
    static final class PythonJson {

        static String dumps(Object value) {
            StringBuilder out = new StringBuilder();
            write(out, value);
            return out.toString();
        }

        private static void write(StringBuilder out, Object value) {
            switch (value) {
                case null -> out.append("null");
                case Boolean b -> out.append(b ? "true" : "false");
                case String s -> out.append(string(s, true));
                case Double d -> out.append(floatRepr(d));
                case Number n -> out.append(n);
                case List<?> list -> {
                    out.append('[');
                    for (int i = 0; i < list.size(); i++) {
                        out.append(i == 0 ? "" : ",");
                        write(out, list.get(i));
                    }
                    out.append(']');
                }
                case Map<?, ?> map -> {
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<?, ?> entry : map.entrySet()) {
                        out.append(first ? "" : ",").append(string((String) entry.getKey(), true)).append(':');
                        write(out, entry.getValue());
                        first = false;
                    }
                    out.append('}');
                }
                default -> throw new IllegalArgumentException("not a JSON value: " + value);
            }
        }

        /** ensure_ascii: short escapes, everything else outside 0x20-0x7E as lowercase {@code \\uXXXX}. */
        static String string(String s, boolean ensureAscii) {
            StringBuilder out = new StringBuilder(s.length() + 2).append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || ensureAscii && c > 0x7e) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }

        /** Python's float repr: shortest digits; exponent form below 1e-4 and from 1e16 on; "1.0" style. */
        static String floatRepr(double d) {
            if (d == 0) {
                return 1 / d < 0 ? "-0.0" : "0.0";
            }
            // The fewest significant digits whose nearest decimal still reads back as d, as repr picks them.
            BigDecimal exact = shortest(Math.abs(d));
            String digits = exact.unscaledValue().toString();
            int pointPosition = digits.length() - exact.scale(); // value = 0.<digits> * 10^pointPosition
            String sign = d < 0 ? "-" : "";
            if (pointPosition > -4 && pointPosition <= 16) {
                String plain = exact.toPlainString();
                return sign + (plain.contains(".") ? plain : plain + ".0");
            }
            int exponent = pointPosition - 1;
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }

        private static BigDecimal shortest(double positive) {
            BigDecimal exact = new BigDecimal(positive);
            for (int digits = 1; digits < 17; digits++) {
                BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
                if (rounded.doubleValue() == positive) {
                    return rounded.stripTrailingZeros();
                }
            }
            return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        }
    }

    @Test
    void pythonFloatReprHelperMatchesCPython() {
        // Values checked against CPython 3.11's repr().
        Map<Double, String> expected = new LinkedHashMap<>();
        expected.put(1.0, "1.0");
        expected.put(0.1, "0.1");
        expected.put(1e16, "1e+16");
        expected.put(1e15, "1000000000000000.0");
        expected.put(123456789.125, "123456789.125");
        expected.put(0.0001, "0.0001");
        expected.put(0.00001, "1e-05");
        expected.put(1.5e-7, "1.5e-07");
        expected.put(5e-324, "5e-324");
        expected.put(1e300, "1e+300");
        expected.put(-2.5, "-2.5");
        expected.put(1.0 / 3, "0.3333333333333333");
        expected.put(Double.MAX_VALUE, "1.7976931348623157e+308");
        expected.forEach((value, repr) -> assertThat(PythonJson.floatRepr(value)).as("repr(%s)", value)
                .isEqualTo(repr));
    }
}
