package dev.supaqueue.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import dev.supaqueue.SupaqueueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bodies that Python Dramatiq's decoder (or MessageCodec's limits) refuse, each with the reason it must give. */
class MessageDecodeErrorsTest {

    private static final String VALID_TAIL = "\"message_id\":\"3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11\","
            + "\"message_timestamp\":1735689600000";

    private final MessageCodec codec = new MessageCodec(MessageTest.FIXED);

    /** A body with the given members instead of the valid ones, where {@code %s} is left out. */
    private static String with(String queueName, String actorName, String args, String kwargs, String options) {
        StringBuilder out = new StringBuilder("{");
        append(out, "queue_name", queueName);
        append(out, "actor_name", actorName);
        append(out, "args", args);
        append(out, "kwargs", kwargs);
        append(out, "options", options);
        return out.append(VALID_TAIL).append('}').toString();
    }

    private static void append(StringBuilder out, String key, String value) {
        if (value != null) {
            out.append('"').append(key).append("\":").append(value).append(',');
        }
    }

    private static String valid() {
        return with("\"default\"", "\"a\"", "[]", "{}", "{}");
    }

    private static String withTimestamp(String timestamp) {
        return valid().replace("1735689600000", timestamp);
    }

    private static String withId(String id) {
        return valid().replace("\"3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11\"", id);
    }

    private static Arguments bad(String label, String body, String reason) {
        return arguments(named(label, body), reason);
    }

    static Stream<Arguments> badBodies() {
        // args is level 2, so 1000 brackets from there reach level 1001.
        String deep = "[".repeat(1000) + "]".repeat(1000);
        return Stream.of(
                // not JSON at all
                bad("empty", "", "empty message body (no JSON value)"),
                bad("blank", " \n\t", "empty message body (no JSON value)"),
                bad("plain text", "hello", "not valid JSON: Unrecognized token 'hello'"),
                bad("truncated object", "{\"queue_name\":\"q\"", "not valid JSON: Unexpected end-of-input"),
                bad("single quotes", "{'queue_name':'q'}", "not valid JSON"),
                bad("comment", "/* c */" + valid(), "not valid JSON"),
                bad("trailing comma", with("\"q\"", "\"a\"", "[1,]", "{}", "{}"), "not valid JSON"),
                bad("raw newline in a string", with("\"q\nx\"", "\"a\"", "[]", "{}", "{}"), "not valid JSON"),
                bad("trailing data", valid() + " {}", "not valid JSON"),
                bad("two documents", valid() + valid(), "not valid JSON"),
                bad("NaN", with("\"q\"", "\"a\"", "[NaN]", "{}", "{}"),
                        "not valid JSON: NaN and Infinity are not JSON numbers (Non-standard token 'NaN')"),
                bad("Infinity", with("\"q\"", "\"a\"", "[]", "{\"x\":Infinity}", "{}"),
                        "NaN and Infinity are not JSON numbers"),
                bad("-Infinity", with("\"q\"", "\"a\"", "[]", "{}", "{\"x\":-Infinity}"),
                        "NaN and Infinity are not JSON numbers"),
                bad("double overflow", with("\"q\"", "\"a\"", "[]", "{\"x\":[1e400]}", "{}"),
                        "number 1e400 at kwargs.x[0] is beyond the range of a double (Python would read it as inf)"),
                // not an object
                bad("array", "[" + valid() + "]", "expected a JSON object at the top level, got an array"),
                bad("string", "\"default\"", "expected a JSON object at the top level, got a string"),
                bad("number", "42", "expected a JSON object at the top level, got an integer"),
                bad("decimal", "4.2", "expected a JSON object at the top level, got a decimal number"),
                bad("boolean", "true", "expected a JSON object at the top level, got a boolean"),
                bad("null", "null", "expected a JSON object at the top level, got null"),
                // missing keys
                bad("no queue_name", with(null, "\"a\"", "[]", "{}", "{}"), "missing required key \"queue_name\""),
                bad("no actor_name", with("\"q\"", null, "[]", "{}", "{}"), "missing required key \"actor_name\""),
                bad("no args", with("\"q\"", "\"a\"", null, "{}", "{}"), "missing required key \"args\""),
                bad("no kwargs", with("\"q\"", "\"a\"", "[]", null, "{}"), "missing required key \"kwargs\""),
                bad("no options", with("\"q\"", "\"a\"", "[]", "{}", null), "missing required key \"options\""),
                bad("empty object", "{}", "missing required keys \"queue_name\", \"actor_name\", \"args\", "
                        + "\"kwargs\", \"options\""),
                // unknown keys
                bad("extra key", valid().replaceFirst("\\{", "{\"extra\":1,"),
                        "unknown top-level key \"extra\" (Dramatiq's decoder refuses them; extra fields belong"
                                + " inside \"options\")"),
                bad("two extra keys", valid().replaceFirst("}$", ",\"eta\":1,\"Queue_Name\":\"x\"}"),
                        "unknown top-level keys \"eta\", \"Queue_Name\""),
                bad("extra key and missing keys", "{\"extra\":1}", "unknown top-level key \"extra\""),
                // wrong types
                bad("queue_name number", with("1", "\"a\"", "[]", "{}", "{}"),
                        "\"queue_name\" must be a string, got an integer"),
                bad("queue_name null", with("null", "\"a\"", "[]", "{}", "{}"),
                        "\"queue_name\" must be a string, got null"),
                bad("actor_name array", with("\"q\"", "[\"a\"]", "[]", "{}", "{}"),
                        "\"actor_name\" must be a string, got an array"),
                bad("args object", with("\"q\"", "\"a\"", "{}", "{}", "{}"), "\"args\" must be an array, got an object"),
                bad("args string", with("\"q\"", "\"a\"", "\"abc\"", "{}", "{}"),
                        "\"args\" must be an array, got a string"),
                bad("args null", with("\"q\"", "\"a\"", "null", "{}", "{}"), "\"args\" must be an array, got null"),
                bad("kwargs array", with("\"q\"", "\"a\"", "[]", "[]", "{}"), "\"kwargs\" must be an object, got an array"),
                bad("kwargs null", with("\"q\"", "\"a\"", "[]", "null", "{}"), "\"kwargs\" must be an object, got null"),
                bad("options string", with("\"q\"", "\"a\"", "[]", "{}", "\"x\""),
                        "\"options\" must be an object, got a string"),
                bad("message_id number", withId("42"), "\"message_id\" must be a string, got an integer"),
                bad("message_id object", withId("{}"), "\"message_id\" must be a string, got an object"),
                bad("timestamp decimal", withTimestamp("1735689600000.5"),
                        "\"message_timestamp\" must be an integer (milliseconds since the epoch), got a decimal"
                                + " number 1.7356896000005E12"),
                bad("timestamp exponent", withTimestamp("1.7e12"), "\"message_timestamp\" must be an integer"),
                bad("timestamp string", withTimestamp("\"1735689600000\""),
                        "\"message_timestamp\" must be an integer (milliseconds since the epoch), got a string"),
                bad("timestamp boolean", withTimestamp("true"), "\"message_timestamp\" must be an integer"),
                bad("timestamp beyond 64 bits", withTimestamp("18446744073709551616"),
                        "\"message_timestamp\" 18446744073709551616 is out of range"),
                // limits
                bad("nesting 1001 deep", with("\"q\"", "\"a\"", deep, "{}", "{}"),
                        "message exceeds a limit of MessageCodec (nesting depth 1000"),
                bad("number of 1001 digits", with("\"q\"", "\"a\"", "[" + "9".repeat(1001) + "]", "{}", "{}"),
                        "message exceeds a limit of MessageCodec"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void refusesWithAReasonThatNamesTheProblem(String body, String reason) {
        MessageDecodeException e = catchThrowableOfType(MessageDecodeException.class, () -> codec.decode(body));

        assertThat(e).as("decoding %s", body).isNotNull();
        assertThat(e.reason()).contains(reason);
        assertThat(e.getMessage()).startsWith("Cannot decode message: " + e.reason());
        assertThat(e.rawText()).isEqualTo(body);
        assertThat(e).isInstanceOf(SupaqueueException.class).isInstanceOf(RuntimeException.class);

        MessageDecodeException fromBytes = catchThrowableOfType(MessageDecodeException.class,
                () -> codec.decode(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(fromBytes.reason()).contains(reason);
        assertThat(fromBytes.rawText()).isEqualTo(body);
    }

    @Test
    void nestingOfExactly1000LevelsIsAccepted() {
        String deepest = "[".repeat(999) + "]".repeat(999);
        assertThat(codec.decode(with("\"q\"", "\"a\"", deepest, "{}", "{}")).args()).hasSize(1);
    }

    @Test
    void refusesStringsBeyond64MebibytesButAcceptsLargeOnes() {
        String big = "x".repeat(MessageCodec.MAX_STRING_LENGTH);
        assertThat(codec.decode(with("\"q\"", "\"a\"", "[\"" + big + "\"]", "{}", "{}")).args().get(0))
                .isEqualTo(big);

        String tooBig = with("\"q\"", "\"a\"", "[\"" + big + "x\"]", "{}", "{}");
        MessageDecodeException e = catchThrowableOfType(MessageDecodeException.class, () -> codec.decode(tooBig));
        assertThat(e.reason()).startsWith("message exceeds a limit of MessageCodec")
                .contains("String value length (67108865) exceeds the maximum allowed (67108864");
        assertThat(e.rawText()).hasSize(tooBig.length());
        assertThat(e.getMessage()).hasSizeLessThan(1000);
    }

    @Test
    void refusesInvalidUtf8Bytes() {
        byte[] body = valid().replace("default", "d\u00e9fault").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> codec.decode(body)).isInstanceOf(MessageDecodeException.class)
                .hasMessageContaining("not valid JSON: Invalid UTF-8");
    }

    @Test
    void nullBodyIsADecodeErrorSoTheBrokerCanDeadLetterIt() {
        assertThatThrownBy(() -> codec.decode((String) null)).isInstanceOf(MessageDecodeException.class)
                .hasMessage("Cannot decode message: no message body (null)");
        assertThatThrownBy(() -> codec.decode((byte[]) null)).isInstanceOf(MessageDecodeException.class)
                .hasMessage("Cannot decode message: no message body (null)");
    }

    @Test
    void messageShowsATruncatedSingleLineExcerptWhileRawTextIsComplete() {
        String body = "{\n\"extra\":\"" + "y".repeat(500) + "\"," + valid().substring(1);

        MessageDecodeException e = catchThrowableOfType(MessageDecodeException.class, () -> codec.decode(body));

        assertThat(e.rawText()).isEqualTo(body);
        assertThat(e.getMessage()).startsWith("Cannot decode message: unknown top-level key \"extra\"")
                .contains("raw text (" + body.length() + " chars): {\\u000a\"extra\":\"yyy")
                .endsWith("... (truncated)")
                .doesNotContain("\n")
                .hasSizeLessThan(body.length());
    }

    @Test
    void excerptEscapesControlCharactersAndKeepsSurrogatePairsWhole() {
        assertThat(MessageDecodeException.excerpt("a\nb\u0000")).isEqualTo("a\\u000ab\\u0000");
        String text = "x".repeat(MessageDecodeException.EXCERPT_LENGTH - 1) + "🚀tail";
        assertThat(MessageDecodeException.excerpt(text))
                .isEqualTo("x".repeat(MessageDecodeException.EXCERPT_LENGTH - 1) + "... (truncated)");
    }
}
