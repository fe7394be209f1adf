package dev.supaqueue.actor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Converts actor arguments between Java values and the plain JSON values a message holds ({@code null},
 * Boolean, String, Integer, Long, BigInteger, Double, BigDecimal, List, Map with String keys).
 *
 * <p>Java → JSON: numbers, strings and booleans as they are (a Float by its shortest decimal form, a char as a
 * one-character string), enums by name, collections and arrays as arrays (a {@code byte[]} as Base64, as
 * Jackson writes it), maps with String keys as objects, {@link Optional} as its value or null, records and
 * POJOs as objects through Jackson, {@code java.time} values as ISO-8601 strings, a {@link Message} as
 * Dramatiq's message dict (what callback actors receive). Anything that could not be read back — NaN or an
 * infinity, a map with a non-String key, a thread, a lambda, an actor, an exception — is an
 * {@link IllegalArgumentException} naming the argument.
 *
 * <p>JSON → Java: through Jackson's type system, so any {@link Type} works ({@code List<Order>},
 * {@code Map<String, Integer>}, {@code Optional<Instant>}), without silent coercions: a string is not read as a
 * number, a boolean or an enum ordinal, a decimal is not truncated to an integer, and null is not a primitive.
 */
public final class ActorArguments {

    /** The one mapper for both directions, so what goes out comes back the same. Never exposed: it is mutable. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(OptionalSupport.module())
            .addModule(MessageSupport.module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            // Keep the sender's offset rather than normalising OffsetDateTime and ZonedDateTime to UTC.
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private ActorArguments() {
    }

    // ---------------------------------------------------------------- Java to JSON

    /**
     * Positional arguments as JSON values (null means none).
     *
     * @throws IllegalArgumentException naming the argument, 1-based, e.g. {@code argument 2 at .price: NaN ...}
     */
    public static List<Object> toJsonArgs(List<?> args) {
        if (args == null) {
            return List.of();
        }
        List<Object> converted = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            converted.add(toJson(args.get(i), "argument " + (i + 1)));
        }
        return Collections.unmodifiableList(converted);
    }

    /**
     * Keyword arguments as JSON values, in the map's order (null means none).
     *
     * @throws IllegalArgumentException naming the keyword argument
     */
    public static Map<String, Object> toJsonKwargs(Map<String, ?> kwargs) {
        if (kwargs == null) {
            return Map.of();
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : kwargs.entrySet()) {
            // Checked although the type says String: raw maps get through generics.
            Object key = entry.getKey();
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException("keyword argument names must be strings, got " + describeKey(key));
            }
            converted.put(name, toJson(entry.getValue(), "keyword argument '" + name + "'"));
        }
        return Collections.unmodifiableMap(converted);
    }

    /** One value as a JSON value, under the rules of this class. */
    public static Object toJsonValue(Object value) {
        return toJson(value, "value");
    }

    /** @param what names the value in errors, e.g. {@code argument 2} */
    static Object toJson(Object value, String what) {
        try {
            return convert(value, what, "", 1, null);
        } catch (StackOverflowError e) {
            // Deep nesting can exhaust a small thread stack before the depth limit is reached.
            throw problem(what, "", "nested too deeply to convert on this thread's stack");
        }
    }

    /**
     * @param path the containers being converted around this value, to refuse one that contains itself; null
     *             until the first container (most arguments are scalars and need none)
     */
    private static Object convert(Object value, String what, String at, int depth, Set<Object> path) {
        if (depth > MessageCodec.MAX_NESTING_DEPTH) {
            throw problem(what, at, "nested deeper than " + MessageCodec.MAX_NESTING_DEPTH + " levels");
        }
        boolean container = value instanceof Map<?, ?> || value instanceof Collection<?>
                || value != null && value.getClass().isArray() && !(value instanceof byte[]);
        if (container) {
            if (path == null) {
                path = Collections.newSetFromMap(new IdentityHashMap<>());
            }
            if (!path.add(value)) {
                throw problem(what, at, "contains itself (a List, Map or array cannot hold itself in JSON)");
            }
        }
        try {
            return convertValue(value, what, at, depth, path);
        } finally {
            if (container) {
                path.remove(value);
            }
        }
    }

    private static Object convertValue(Object value, String what, String at, int depth, Set<Object> path) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case BigInteger big -> big;
            case BigDecimal decimal -> decimal;
            case Short s -> Integer.valueOf(s);
            case Byte b -> Integer.valueOf(b);
            case Double d -> finite(d, what, at);
            // Float.toString is the shortest decimal that reads back as the same float: 0.1f stays 0.1.
            case Float f -> finite(Double.valueOf(Float.toString(f)), what, at);
            case Character c -> String.valueOf(c);
            case Optional<?> optional -> convert(optional.orElse(null), what, at, depth, path);
            case Map<?, ?> map -> convertMap(map, what, at, depth, path);
            case Collection<?> collection -> {
                List<Object> list = new ArrayList<>(collection.size());
                int index = 0;
                for (Object element : collection) {
                    list.add(convert(element, what, at + "[" + index++ + "]", depth + 1, path));
                }
                yield Collections.unmodifiableList(list);
            }
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            default -> value.getClass().isArray()
                    ? convertArray(value, what, at, depth, path)
                    : convertWithJackson(value, what, at);
        };
    }

    private static Map<String, Object> convertMap(Map<?, ?> map, String what, String at, int depth,
                                                  Set<Object> path) {
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw problem(what, at, "map key " + describeKey(entry.getKey())
                        + " is not a String; JSON object keys must be strings (convert the keys first)");
            }
            converted.put(key, convert(entry.getValue(), what, at + "." + key, depth + 1, path));
        }
        return Collections.unmodifiableMap(converted);
    }

    private static List<Object> convertArray(Object array, String what, String at, int depth, Set<Object> path) {
        int length = Array.getLength(array);
        List<Object> list = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            list.add(convert(Array.get(array, i), what, at + "[" + i + "]", depth + 1, path));
        }
        return Collections.unmodifiableList(list);
    }

    private static Object convertWithJackson(Object value, String what, String at) {
        Class<?> type = value.getClass();
        String refusal = refusal(type);
        if (refusal != null) {
            throw problem(what, at, "a " + type.getName() + " cannot be sent as JSON: " + refusal);
        }
        JsonNode tree;
        try {
            tree = MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix(what, at) + "a " + type.getName()
                    + " cannot be converted to JSON: " + jacksonMessage(e), e);
        }
        return fromTree(tree, what, at);
    }

    /** Why values of this class are not data, or null if Jackson may try. */
    private static String refusal(Class<?> type) {
        if (type.isHidden() || type.isSynthetic()) {
            return "it is a lambda or generated class, which has no data to send";
        }
        if (Actor.class.isAssignableFrom(type)) {
            return "send the actor's name (actorName()) instead";
        }
        if (Throwable.class.isAssignableFrom(type)) {
            return "exceptions do not travel as arguments; send their message or type name instead";
        }
        Module module = type.getModule();
        if (module.isNamed() && (module.getName().startsWith("java.") || module.getName().startsWith("jdk."))) {
            // JDK classes Jackson has no dedicated serializer for (Thread, InputStream, ...) would be dumped as a
            // bag of getters that cannot be read back; the ones with one (URI, UUID, java.time...) are fine.
            try {
                JsonSerializer<Object> serializer = MAPPER.getSerializerProviderInstance().findValueSerializer(type);
                if (serializer instanceof BeanSerializerBase) {
                    return "it is a JDK object, not data; send the values it holds instead";
                }
            } catch (JsonMappingException e) {
                return jacksonMessage(e);
            }
        }
        return null;
    }

    private static Object fromTree(JsonNode node, String what, String at) {
        return switch (node.getNodeType()) {
            case NULL, MISSING -> null;
            case BOOLEAN -> node.booleanValue();
            case STRING -> node.textValue();
            case BINARY -> Base64.getEncoder().encodeToString(binary(node));
            case NUMBER -> number(node, what, at);
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    list.add(fromTree(node.get(i), what, at + "[" + i + "]"));
                }
                yield Collections.unmodifiableList(list);
            }
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    map.put(property.getKey(), fromTree(property.getValue(), what, at + "." + property.getKey()));
                }
                yield Collections.unmodifiableMap(map);
            }
            case POJO -> throw problem(what, at, "Jackson produced an embedded object (" + node
                    + ") instead of JSON; give its class a serializable shape");
        };
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A binary JSON node held no bytes", e);
        }
    }

    private static Object number(JsonNode node, String what, String at) {
        if (node.isBigDecimal()) {
            return node.decimalValue();
        }
        if (node.isFloat()) {
            return finite(Double.valueOf(Float.toString(node.floatValue())), what, at);
        }
        if (node.isFloatingPointNumber()) {
            return finite(node.doubleValue(), what, at);
        }
        if (node.isBigInteger()) {
            return node.bigIntegerValue();
        }
        return node.isLong() ? (Object) node.longValue() : (Object) node.intValue();
    }

    private static Double finite(Double value, String what, String at) {
        if (value.isNaN() || value.isInfinite()) {
            throw problem(what, at, value + " is not a JSON number (PostgreSQL jsonb and strict JSON parsers"
                    + " refuse it); send null or a string instead");
        }
        return value;
    }

    private static IllegalArgumentException problem(String what, String at, String problem) {
        return new IllegalArgumentException(prefix(what, at) + problem);
    }

    private static String prefix(String what, String at) {
        return what + (at.isEmpty() ? "" : " at " + at) + ": ";
    }

    private static String describeKey(Object key) {
        return key == null ? "null" : key + " (a " + key.getClass().getName() + ")";
    }

    // ---------------------------------------------------------------- JSON to Java

    /** Jackson's view of a Java type, for {@link #fromJsonValue(Object, Type)}. */
    public static JavaType javaType(Type type) {
        return MAPPER.getTypeFactory().constructType(Objects.requireNonNull(type, "type"));
    }

    /**
     * A JSON value as a value of a Java type ({@link Class}, {@link java.lang.reflect.ParameterizedType},
     * Jackson's {@link JavaType}, ...).
     *
     * @throws IllegalArgumentException if the value does not fit the type (Jackson's explanation as the cause)
     */
    public static Object fromJsonValue(Object json, Type type) {
        JavaType javaType = type instanceof JavaType given ? given : javaType(type);
        return MAPPER.convertValue(json, javaType);
    }

    /** As {@link #fromJsonValue(Object, Type)} for a plain class. */
    public static <T> T fromJsonValue(Object json, Class<T> type) {
        return MAPPER.convertValue(json, type);
    }

    /** Jackson's own words without its location suffix and its hints about configuration we chose on purpose. */
    static String jacksonMessage(Throwable e) {
        Throwable cause = e;
        while (!(cause instanceof JsonMappingException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause instanceof JsonMappingException mapping ? mapping.getOriginalMessage()
                : String.valueOf(cause.getMessage());
        return message
                .replaceAll("\\s*\\((?:but could|but might|set DeserializationConfig|disable `?Mapper|through"
                        + " reference chain)[^)]*\\)", "")
                .replaceAll(":? disable \\S+ to allow", "")
                .replaceAll("\\s*\\n\\s*", " ")
                .strip();
    }
}
