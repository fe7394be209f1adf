package dev.supaqueue.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Dramatiq's JSON wire format for {@link Message}s, and the default {@link MessageEncoder} of the brokers.
 * Thread-safe; create one and reuse it.
 *
 * <p><b>Encoding</b> writes one compact JSON object with the seven keys in Dramatiq's order, UTF-8, non-ASCII
 * characters unescaped (PostgreSQL stores the body as jsonb, which keeps no escapes, so byte identity with
 * Python's ASCII-only output would be lost anyway). It refuses, with an {@link IllegalArgumentException} naming
 * the path such as {@code kwargs.ratio}, what Python's decoder or jsonb would not take back: NaN and
 * Infinity, the NUL character, unpaired UTF-16 surrogates, and values beyond the decoder's limits.
 *
 * <p><b>Decoding</b> follows Python Dramatiq's decoder: the body must be one JSON object with
 * {@code queue_name}, {@code actor_name}, {@code args}, {@code kwargs} and {@code options}, and no other keys
 * than those and {@code message_id} / {@code message_timestamp}, in any order. A missing {@code message_id}
 * gets a fresh uuid4 and a missing {@code message_timestamp} the current time, as in Python; so do a null or
 * empty id and a null or zero timestamp, which Dramatiq 2.x would keep as they are. Unlike Python, wrong JSON types are refused here rather than failing later in an actor: names
 * and the id must be strings, {@code args} an array, {@code kwargs} and {@code options} objects, the timestamp
 * an integer. Integers become Integer, Long or BigInteger by size and other numbers Double (Python's float);
 * a number beyond a double's range, which Python would read as {@code inf}, is refused. Any refusal is a
 * {@link MessageDecodeException} carrying the reason and the raw text.
 *
 * <p><b>Limits</b>, on both sides: nesting depth {@value #MAX_NESTING_DEPTH} (the message object is level 1),
 * strings and keys up to {@value #MAX_STRING_LENGTH} characters, numbers up to {@value #MAX_NUMBER_LENGTH}
 * characters.
 */
public final class MessageCodec implements MessageEncoder {

    /** The deepest nesting of arrays and objects accepted, the message object itself being level 1. */
    public static final int MAX_NESTING_DEPTH = 1000;

    /** The longest string or object key accepted, in UTF-16 characters (64 MiB). */
    public static final int MAX_STRING_LENGTH = 64 * 1024 * 1024;

    /** The longest number literal accepted, in characters (Jackson's default). */
    public static final int MAX_NUMBER_LENGTH = 1000;

    private static final List<String> REQUIRED_KEYS =
            List.of(Message.QUEUE_NAME, Message.ACTOR_NAME, Message.ARGS, Message.KWARGS, Message.OPTIONS);

    /** Renders a message dict that fromMap refuses, for the exception's raw text. */
    private static final ObjectMapper ERROR_TEXT_MAPPER = JsonMapper.builder().build();

    private final JsonFactory factory;
    private final Clock clock;

    /** A codec that stamps regenerated timestamps with the system clock. */
    public MessageCodec() {
        this(Clock.systemUTC());
    }

    /** A codec that stamps regenerated timestamps (bodies without {@code message_timestamp}) with {@code clock}. */
    public MessageCodec(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.factory = payloadJsonFactory()
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                // Write an emoji as its 4 UTF-8 bytes, not as two \\u escapes, so bytes and text agree.
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
    }

    /**
     * A Jackson factory builder that reads payloads within this codec's limits (rather than Jackson's smaller
     * defaults), for code that parses message bodies itself, so that every reader agrees on what is too large.
     */
    public static JsonFactoryBuilder payloadJsonFactory() {
        return new JsonFactoryBuilder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                // Keys come from untrusted bodies: keep them out of the JVM's string pool.
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES);
    }

    // ---------------------------------------------------------------- encoding

    /**
     * The message as compact JSON text.
     *
     * @throws IllegalArgumentException if a value cannot travel as JSON through jsonb to Python (NaN, Infinity,
     *                                  NUL, an unpaired surrogate, a value beyond the limits); the message names
     *                                  the path, e.g. {@code kwargs.ratio}
     */
    public String encode(Message message) {
        Objects.requireNonNull(message, "message must not be null");
        StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = factory.createGenerator(out)) {
            writeMessage(generator, message);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing a message to memory failed", e);
        }
        return out.toString();
    }

    /** As {@link #encode(Message)}, as UTF-8 bytes. */
    @Override
    public byte[] encodeBytes(Message message) {
        Objects.requireNonNull(message, "message must not be null");
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = factory.createGenerator(out, JsonEncoding.UTF8)) {
            writeMessage(generator, message);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing a message to memory failed", e);
        }
        return out.toByteArray();
    }

    private void writeMessage(JsonGenerator g, Message m) throws IOException {
        g.writeStartObject();
        g.writeFieldName(Message.QUEUE_NAME);
        writeString(g, m.queueName(), Message.QUEUE_NAME);
        g.writeFieldName(Message.ACTOR_NAME);
        writeString(g, m.actorName(), Message.ACTOR_NAME);
        g.writeFieldName(Message.ARGS);
        writeTree(g, m.args(), Message.ARGS);
        g.writeFieldName(Message.KWARGS);
        writeTree(g, m.kwargs(), Message.KWARGS);
        g.writeFieldName(Message.OPTIONS);
        writeTree(g, m.options(), Message.OPTIONS);
        g.writeFieldName(Message.MESSAGE_ID);
        writeString(g, m.messageId(), Message.MESSAGE_ID);
        g.writeFieldName(Message.MESSAGE_TIMESTAMP);
        g.writeNumber(m.messageTimestamp());
        g.writeEndObject();
    }

    private static void writeTree(JsonGenerator g, Object root, String rootName) throws IOException {
        try {
            JsonValues.walk(root, rootName, 2, new Writer(g));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Streams a tree to the generator, refusing what jsonb or Python's decoder would not take back. */
    private record Writer(JsonGenerator g) implements JsonValues.Visitor {

        @Override
        public void value(Object value, JsonValues.Path path) {
            try {
                writeScalar(g, value, path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void startList(List<?> list, JsonValues.Path path) {
            try {
                g.writeStartArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void startMap(Map<?, ?> map, JsonValues.Path path) {
            try {
                g.writeStartObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void key(String key, JsonValues.Path path) {
            checkString(key, path, " (the key)");
            try {
                g.writeFieldName(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void end() {
            try {
                if (g.getOutputContext().inArray()) {
                    g.writeEndArray();
                } else {
                    g.writeEndObject();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void writeScalar(JsonGenerator g, Object value, JsonValues.Path path) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> writeString(g, s, path);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case BigInteger big -> {
                checkNumberLength(big.toString(), path);
                g.writeNumber(big);
            }
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    throw new IllegalArgumentException(path + ": " + d + " is not a JSON number (Python would write "
                            + (d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity")
                            + ", which PostgreSQL jsonb and strict JSON parsers refuse); send null or a string");
                }
                g.writeNumber(d);
            }
            case BigDecimal decimal -> {
                checkNumberLength(decimal.toString(), path);
                if (Double.isInfinite(decimal.doubleValue())) {
                    throw new IllegalArgumentException(path + ": " + decimal + " is beyond the range of a double;"
                            + " Python would read it as inf, and MessageCodec refuses it on decoding");
                }
                g.writeNumber(decimal);
            }
            // Unreachable for values built by Message, which refuses other types.
            default -> throw new IllegalArgumentException(path + ": " + value.getClass().getName()
                    + " is not a JSON value; use " + JsonValues.ALLOWED_TYPES);
        }
    }

    private static void writeString(JsonGenerator g, String value, Object path) throws IOException {
        checkString(value, path, "");
        g.writeString(value);
    }

    /** @param path rendered only for an error, as {@code path + what} */
    private static void checkString(String value, Object path, String what) {
        if (value.length() > MAX_STRING_LENGTH) {
            throw new IllegalArgumentException(path + what + ": string of " + value.length()
                    + " characters is longer than the limit of " + MAX_STRING_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                throw new IllegalArgumentException(path + what + ": contains the NUL character \\u0000 at index " + i
                        + ", which PostgreSQL jsonb cannot store; remove it or encode the data (e.g. Base64)");
            }
            if (Character.isSurrogate(c)) {
                if (!JsonValues.isPairedAt(value, i)) {
                    throw new IllegalArgumentException(path + what + ": contains an unpaired UTF-16 surrogate \\u"
                            + String.format("%04x", (int) c) + " at index " + i
                            + ", which is not valid Unicode text (UTF-8 and jsonb cannot hold it)");
                }
                if (Character.isHighSurrogate(c)) {
                    i++; // skip the low half of the pair
                }
            }
        }
    }

    private static void checkNumberLength(String text, Object path) {
        if (text.length() > MAX_NUMBER_LENGTH) {
            throw new IllegalArgumentException(path + ": number of " + text.length()
                    + " characters is longer than the limit of " + MAX_NUMBER_LENGTH + "; send it as a string");
        }
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes a message body.
     *
     * @param json the JSON text; null is refused as "no body" with a {@link MessageDecodeException}
     * @throws MessageDecodeException if Dramatiq's decoder would refuse the body, or it breaks the limits
     */
    public Message decode(String json) {
        if (json == null) {
            throw new MessageDecodeException("no message body (null)", null);
        }
        Supplier<String> raw = () -> json;
        Object parsed;
        try (JsonParser parser = factory.createParser(json)) {
            parsed = parse(parser, raw);
        } catch (IOException e) {
            throw parseFailure(e, raw);
        }
        return fromParsed(parsed, raw);
    }

    /** As {@link #decode(String)}, for UTF-8 bytes (other Unicode encodings are detected as JSON allows). */
    @Override
    public Message decode(byte[] json) {
        if (json == null) {
            throw new MessageDecodeException("no message body (null)", null);
        }
        // The text is only materialised for an error.
        Supplier<String> raw = () -> new String(json, StandardCharsets.UTF_8);
        Object parsed;
        try (JsonParser parser = factory.createParser(json)) {
            parsed = parse(parser, raw);
        } catch (IOException e) {
            throw parseFailure(e, raw);
        }
        return fromParsed(parsed, raw);
    }

    /**
     * Reads one JSON value into Lists, Maps and scalars with an explicit stack (no recursion, so the nesting
     * limit is the only limit). Duplicate keys keep the last value, as Python and jsonb do.
     */
    @SuppressWarnings("unchecked")
    private static Object parse(JsonParser p, Supplier<String> raw) throws IOException {
        if (p.nextToken() == null) {
            throw new MessageDecodeException("empty message body (no JSON value)", raw.get());
        }
        ArrayDeque<Object> open = new ArrayDeque<>();
        Object result = null;
        boolean complete = false;
        while (!complete) {
            Object value;
            switch (p.currentToken()) {
                case START_OBJECT -> value = new LinkedHashMap<String, Object>();
                case START_ARRAY -> value = new ArrayList<>();
                case END_OBJECT, END_ARRAY -> {
                    Object closed = open.pop();
                    if (open.isEmpty()) {
                        result = closed;
                        complete = true;
                    }
                    value = null;
                }
                case FIELD_NAME -> value = null;
                case VALUE_STRING -> value = p.getText();
                // Integer, Long or BigInteger by size, as Python's int.
                case VALUE_NUMBER_INT -> value = p.getNumberValue();
                case VALUE_NUMBER_FLOAT -> {
                    double d = p.getDoubleValue();
                    if (Double.isInfinite(d)) {
                        throw new MessageDecodeException("number " + p.getText() + " at "
                                + pathOf(p.getParsingContext())
                                + " is beyond the range of a double (Python would read it as inf)", raw.get());
                    }
                    value = d;
                }
                case VALUE_TRUE -> value = Boolean.TRUE;
                case VALUE_FALSE -> value = Boolean.FALSE;
                case VALUE_NULL -> value = null;
                default -> throw new MessageDecodeException("not valid JSON: unexpected " + p.currentToken(),
                        raw.get());
            }
            JsonToken token = p.currentToken();
            boolean isValue = token.isScalarValue() || token.isStructStart();
            if (isValue) {
                Object parent = open.peek();
                if (parent == null) {
                    result = value;
                    complete = token.isScalarValue();
                } else if (parent instanceof List<?> list) {
                    ((List<Object>) list).add(value);
                } else {
                    // For a value, and for the start of a container, this is the key it belongs to.
                    ((Map<String, Object>) parent).put(p.currentName(), value);
                }
                if (token.isStructStart()) {
                    open.push(value);
                }
            }
            if (!complete) {
                p.nextToken();
            }
        }
        // Python's json.loads refuses "Extra data" after the value; so do we.
        JsonToken extra = p.nextToken();
        if (extra != null) {
            throw new MessageDecodeException("not valid JSON: extra data after the JSON value (" + extra
                    + location(p.currentLocation()) + ")", raw.get());
        }
        return result;
    }

    /** A path such as {@code kwargs.x[0]} for the current value of a parser. */
    private static String pathOf(JsonStreamContext context) {
        ArrayDeque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.push(c);
        }
        String path = "";
        for (JsonStreamContext c : chain) {
            path = c.inArray() ? JsonValues.index(path, c.getCurrentIndex())
                    : JsonValues.child(path, String.valueOf(c.getCurrentName()));
        }
        return path.isEmpty() ? "the top level" : path;
    }

    /**
     * Builds a message from a message dict, such as the value of a {@code pipe_target} option or an element of
     * {@code group_completion_callbacks}, under the same rules as {@link #decode(String)}.
     *
     * @throws MessageDecodeException if {@link #decode(String)} would refuse the same object as JSON
     */
    public Message fromMap(Map<String, ?> messageDict) {
        Supplier<String> raw = () -> describeForError(messageDict);
        if (messageDict == null) {
            throw new MessageDecodeException("no message dict (null)", null);
        }
        return fromParsed(messageDict, raw);
    }

    private Message fromParsed(Object parsed, Supplier<String> raw) {
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw new MessageDecodeException("expected a JSON object at the top level, got "
                    + JsonValues.describe(parsed), raw.get());
        }

        List<String> unknown = new ArrayList<>();
        for (Object key : dict.keySet()) {
            if (!Message.KEYS.contains(key)) {
                unknown.add(JsonValues.quote(String.valueOf(key)));
            }
        }
        if (!unknown.isEmpty()) {
            throw new MessageDecodeException("unknown top-level key" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown) + " (Dramatiq's decoder refuses them; extra fields belong inside"
                    + " \"options\"); allowed keys are " + Message.KEYS, raw.get());
        }

        List<String> missing = new ArrayList<>();
        for (String key : REQUIRED_KEYS) {
            if (!dict.containsKey(key)) {
                missing.add("\"" + key + "\"");
            }
        }
        if (!missing.isEmpty()) {
            throw new MessageDecodeException("missing required key" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing), raw.get());
        }

        String queueName = required(dict, Message.QUEUE_NAME, String.class, "a string", raw);
        String actorName = required(dict, Message.ACTOR_NAME, String.class, "a string", raw);
        List<?> args = required(dict, Message.ARGS, List.class, "an array", raw);
        Map<?, ?> kwargs = required(dict, Message.KWARGS, Map.class, "an object", raw);
        Map<?, ?> options = required(dict, Message.OPTIONS, Map.class, "an object", raw);
        String messageId = messageId(dict.get(Message.MESSAGE_ID), raw);
        long timestamp = messageTimestamp(dict.get(Message.MESSAGE_TIMESTAMP), raw);

        try {
            return new Message(queueName, actorName, untypedList(args), untypedMap(kwargs), untypedMap(options),
                    messageId, timestamp);
        } catch (IllegalArgumentException | NullPointerException e) {
            // Only reachable through fromMap, whose values were not parsed from JSON.
            throw new MessageDecodeException(e.getMessage(), raw.get(), e);
        }
    }

    private static <T> T required(Map<?, ?> dict, String key, Class<T> type, String expected,
                                  Supplier<String> raw) {
        Object value = dict.get(key);
        if (!type.isInstance(value)) {
            throw new MessageDecodeException("\"" + key + "\" must be " + expected + ", got "
                    + JsonValues.describe(value), raw.get());
        }
        return type.cast(value);
    }

    private static String messageId(Object value, Supplier<String> raw) {
        // A missing id is regenerated, as Python does; so is a null or empty one, which Dramatiq 2.x would keep
        // as it is (1.x regenerated every falsy id) and no consumer could use.
        if (value == null || "".equals(value)) {
            return Message.newMessageId();
        }
        if (!(value instanceof String id)) {
            throw new MessageDecodeException("\"message_id\" must be a string, got " + JsonValues.describe(value),
                    raw.get());
        }
        return id;
    }

    private long messageTimestamp(Object value, Supplier<String> raw) {
        return switch (value) {
            // A missing timestamp is regenerated, as Python does; so is null or 0 (kept as is by Dramatiq 2.x).
            case null -> clock.millis();
            case Integer i -> i == 0 ? clock.millis() : i;
            case Long l -> l == 0 ? clock.millis() : l;
            case BigInteger big -> throw new MessageDecodeException("\"message_timestamp\" " + big
                    + " is out of range (milliseconds since the epoch must fit in 64 bits)", raw.get());
            default -> throw new MessageDecodeException("\"message_timestamp\" must be an integer (milliseconds"
                    + " since the epoch), got " + JsonValues.describe(value)
                    + (value instanceof Number ? " " + value : ""), raw.get());
        };
    }

    private static MessageDecodeException parseFailure(IOException e, Supplier<String> raw) {
        if (e instanceof StreamConstraintsException) {
            return new MessageDecodeException("message exceeds a limit of MessageCodec (nesting depth "
                    + MAX_NESTING_DEPTH + ", string length " + MAX_STRING_LENGTH + ", number length "
                    + MAX_NUMBER_LENGTH + "): " + originalMessage(e), raw.get(), e);
        }
        String detail = originalMessage(e);
        if (detail.contains("Non-standard token")) {
            detail = "NaN and Infinity are not JSON numbers (" + detail.replaceAll(":.*$", "") + ")";
        }
        return new MessageDecodeException("not valid JSON: " + detail + location(e), raw.get(), e);
    }

    private static String originalMessage(IOException e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        // Jackson notes inside nested locations that it hides the source; the raw text is in the exception anyway.
        return message.replaceAll("\\[Source: [^;]*; (line: \\d+, column: \\d+)]", "$1").strip();
    }

    private static String location(IOException e) {
        String where = e instanceof JsonProcessingException jpe ? location(jpe.getLocation()) : "";
        return where.isEmpty() ? "" : " (" + where.strip() + ")";
    }

    private static String location(JsonLocation where) {
        if (where == null || where.getLineNr() <= 0) {
            return "";
        }
        return " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    private static String describeForError(Map<String, ?> dict) {
        if (dict == null) {
            return null;
        }
        try {
            return ERROR_TEXT_MAPPER.writeValueAsString(dict);
        } catch (JsonProcessingException | RuntimeException e) {
            return String.valueOf(dict);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> untypedList(List<?> list) {
        // Safe: Message copies the list into a new List<Object>.
        return (List<Object>) list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> untypedMap(Map<?, ?> map) {
        // Safe: Message checks every key and copies the map into a new Map<String, Object>.
        return (Map<String, Object>) map;
    }
}
