package dev.supaqueue.message;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One task message, field for field Dramatiq's {@code Message}: the seven fields in the order of the JSON keys
 * {@code queue_name, actor_name, args, kwargs, options, message_id, message_timestamp}.
 *
 * <p>The values in {@code args}, {@code kwargs} and {@code options} are plain JSON values: {@code null},
 * {@link Boolean}, {@link String}, {@link Integer}, {@link Long}, {@link java.math.BigInteger}, {@link Double},
 * {@link java.math.BigDecimal}, {@link List} and {@link Map} with String keys. The constructor deep-copies them
 * into unmodifiable collections (insertion order kept, null values allowed), so a message is immutable and safe
 * to share between threads. It stores integers in the smallest of Integer, Long and BigInteger that holds them
 * (as {@link MessageCodec#decode} does), and widens Short and Byte to Integer, so a message equals its decoded
 * copy; read numbers through {@link Number} rather than casting to one boxed type. Any other type, a Float, a
 * non-String map key, or nesting deeper than {@link MessageCodec#MAX_NESTING_DEPTH} is an
 * {@link IllegalArgumentException} that names the path, e.g. {@code kwargs.when}. Values that are Java but not
 * JSON (NaN, Infinity, the NUL character) are allowed here and refused by {@link MessageCodec#encode}.
 *
 * @param queueName        the Dramatiq queue name, e.g. {@code default} (or {@code default.DQ} from a Python
 *                         producer; see {@code QueueNames.canonicalQueueName})
 * @param actorName        the name of the actor that runs the message
 * @param args             positional arguments; null means none
 * @param kwargs           keyword arguments; null means none
 * @param options          broker and middleware options (retries, eta, pipe_target, ...); null means none
 * @param messageId        the id, a lowercase uuid4 for messages made here; kept across retries and copies
 * @param messageTimestamp creation time in milliseconds since the epoch; kept across retries and copies
 */
public record Message(String queueName, String actorName, List<Object> args, Map<String, Object> kwargs,
                      Map<String, Object> options, String messageId, long messageTimestamp) {

    /** The JSON keys, in Dramatiq's order. */
    public static final String QUEUE_NAME = "queue_name";
    public static final String ACTOR_NAME = "actor_name";
    public static final String ARGS = "args";
    public static final String KWARGS = "kwargs";
    public static final String OPTIONS = "options";
    public static final String MESSAGE_ID = "message_id";
    public static final String MESSAGE_TIMESTAMP = "message_timestamp";

    /** The seven keys of the wire format, in order. */
    public static final List<String> KEYS =
            List.of(QUEUE_NAME, ACTOR_NAME, ARGS, KWARGS, OPTIONS, MESSAGE_ID, MESSAGE_TIMESTAMP);

    /** The message object is depth 1, so its args, kwargs and options are depth 2. */
    private static final int FIELD_DEPTH = 2;

    public Message {
        Objects.requireNonNull(queueName, "queueName must not be null");
        Objects.requireNonNull(actorName, "actorName must not be null");
        Objects.requireNonNull(messageId, "messageId must not be null");
        args = JsonValues.copyList(args, ARGS, FIELD_DEPTH);
        kwargs = JsonValues.copyMap(kwargs, KWARGS, FIELD_DEPTH);
        options = JsonValues.copyMap(options, OPTIONS, FIELD_DEPTH);
    }

    /** A new message with a fresh uuid4 id and the current time, like Dramatiq's {@code actor.message(...)}. */
    public static Message create(String queueName, String actorName, List<?> args, Map<String, ?> kwargs,
                                 Map<String, ?> options) {
        return create(queueName, actorName, args, kwargs, options, Clock.systemUTC());
    }

    /** As {@link #create(String, String, List, Map, Map)}, taking the timestamp from {@code clock}. */
    public static Message create(String queueName, String actorName, List<?> args, Map<String, ?> kwargs,
                                 Map<String, ?> options, Clock clock) {
        Objects.requireNonNull(clock, "clock must not be null");
        return new Message(queueName, actorName, untyped(args), untypedMap(kwargs), untypedMap(options),
                newMessageId(), clock.millis());
    }

    /** A fresh message id: a random (version 4) UUID, lowercase and hyphenated, 36 characters. */
    public static String newMessageId() {
        return UUID.randomUUID().toString();
    }

    /**
     * A copy whose options are these options merged with {@code changes}: a key in {@code changes} replaces the
     * value (keeping the key's place), new keys are appended in their order, other keys are kept. The id and
     * timestamp are kept, as with Dramatiq's {@code message.copy(options=...)}.
     */
    public Message withOptions(Map<String, ?> changes) {
        Objects.requireNonNull(changes, "changes must not be null");
        if (changes.isEmpty()) {
            return this;
        }
        Map<String, Object> merged = new LinkedHashMap<>(options);
        merged.putAll(changes);
        return new Message(queueName, actorName, args, kwargs, merged, messageId, messageTimestamp);
    }

    /** A copy without the option {@code key} (this message itself when it has no such option). */
    public Message withoutOption(String key) {
        if (!options.containsKey(key)) {
            return this;
        }
        Map<String, Object> reduced = new LinkedHashMap<>(options);
        reduced.remove(key);
        return new Message(queueName, actorName, args, kwargs, reduced, messageId, messageTimestamp);
    }

    /** A copy on another queue, keeping id, timestamp and everything else. */
    public Message withQueueName(String newQueueName) {
        return new Message(newQueueName, actorName, args, kwargs, options, messageId, messageTimestamp);
    }

    /** The value of an option; empty when the option is absent or its value is JSON null. */
    public Optional<Object> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /** {@link #messageTimestamp()} as an instant (millisecond precision, UTC). */
    public Instant messageDateTime() {
        return Instant.ofEpochMilli(messageTimestamp);
    }

    /**
     * The message as Dramatiq's {@code message.asdict()}: an unmodifiable map of the seven keys in order, e.g.
     * the first argument of {@code on_success} callbacks or the value of a {@code pipe_target} option.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>(16);
        map.put(QUEUE_NAME, queueName);
        map.put(ACTOR_NAME, actorName);
        map.put(ARGS, args);
        map.put(KWARGS, kwargs);
        map.put(OPTIONS, options);
        map.put(MESSAGE_ID, messageId);
        map.put(MESSAGE_TIMESTAMP, messageTimestamp);
        return Collections.unmodifiableMap(map);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> untyped(List<?> list) {
        // Safe: the constructor copies the list into a new List<Object>.
        return (List<Object>) list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> untypedMap(Map<String, ?> map) {
        return (Map<String, Object>) map;
    }
}
