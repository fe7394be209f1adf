package dev.supaqueue.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.middleware.Retries;
import java.util.Iterator;
import java.util.List;

/**
 * How a message's payload and headers change when it is replayed or moved to another queue. Pure functions on
 * JSON text; a payload that needs no change is returned as the very same text.
 *
 * <ul>
 *   <li><b>Replay</b> gives a failed message a fresh start: a Dramatiq message keeps its {@code message_id} and
 *       everything else, but its options lose the retry and failure state ({@code retries}, {@code traceback},
 *       {@code dead_letter_reason}, {@code dead_lettered_at}); Supaqueue's envelope for undecodable messages
 *       (pgmq &lt; 1.5 has no headers for the reason) is unwrapped to the original payload; anything else is kept
 *       as it is. The dead-letter reason header is dropped, other headers kept.</li>
 *   <li><b>Move</b> keeps the payload, except that a Dramatiq message's {@code queue_name} follows the message
 *       into the target queue's namespace (see {@link #queueNameAfterMove}).</li>
 * </ul>
 */
final class ReplayPayloads {

    /** The option keys that carry retry and failure state (Retries and the broker's dead-lettering). */
    static final List<String> FAILURE_STATE_OPTIONS = List.of(Retries.RETRIES, Retries.TRACEBACK,
            // SupabaseBroker.REASON_OPTION and DEAD_LETTERED_AT_OPTION, which are package-private there.
            "dead_letter_reason", "dead_lettered_at");

    /** SupabaseBroker.REASON_HEADER (package-private there): the dead-letter reason on pgmq ≥ 1.5. */
    static final String DEAD_LETTER_REASON_HEADER = "x-supaqueue-dead-letter-reason";

    /** The keys of SupabaseBroker's envelope around an undecodable payload on pgmq &lt; 1.5. */
    static final String UNDECODABLE_MESSAGE = "undecodable_message";
    static final String UNDECODABLE_REASON = "dead_letter_reason";

    // Numbers are kept as written (BigDecimal, trailing zeros kept), so a rewritten payload loses no precision.
    private static final JsonMapper JSON = JsonMapper.builder(MessageCodec.payloadJsonFactory().build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private ReplayPayloads() {
    }

    /**
     * The payload to send when replaying a message from {@code sourceQueue} (a dead-letter queue, or the queue
     * whose archive it is) to {@code targetQueue}.
     */
    static String forReplay(String payload, String sourceQueue, String targetQueue) {
        JsonNode root = parse(payload);
        if (root == null) {
            return payload;
        }
        if (isUndecodableEnvelope(root)) {
            return write(root.get(UNDECODABLE_MESSAGE));
        }
        if (!isDramatiqMessage(root)) {
            return payload;
        }
        ObjectNode message = (ObjectNode) root;
        boolean changed = false;
        ObjectNode options = (ObjectNode) message.get(Message.OPTIONS);
        for (String key : FAILURE_STATE_OPTIONS) {
            changed |= options.remove(key) != null;
        }
        changed |= renameQueue(message, sourceQueue, targetQueue);
        return changed ? write(message) : payload;
    }

    /** The payload to send when moving a message from {@code sourceQueue} to {@code targetQueue}. */
    static String forMove(String payload, String sourceQueue, String targetQueue) {
        JsonNode root = parse(payload);
        if (root == null || !isDramatiqMessage(root)) {
            return payload;
        }
        ObjectNode message = (ObjectNode) root;
        return renameQueue(message, sourceQueue, targetQueue) ? write(message) : payload;
    }

    /**
     * The headers to send with a replayed message: without the dead-letter reason; null when nothing is left (or
     * there were none). Headers that are not a JSON object are kept as they are.
     */
    static String headersForReplay(String headers) {
        if (headers == null) {
            return null;
        }
        JsonNode root = parse(headers);
        if (!(root instanceof ObjectNode object)) {
            return root == null || root.isNull() ? null : headers;
        }
        if (object.remove(DEAD_LETTER_REASON_HEADER) == null) {
            return object.isEmpty() ? null : headers;
        }
        return object.isEmpty() ? null : write(object);
    }

    /**
     * A Dramatiq {@code queue_name} after a move from pgmq queue {@code sourceQueue} to {@code targetQueue}. Both
     * pgmq names are taken without a dead-letter suffix ({@code _xq}), since a dead-lettered message keeps its
     * queue's name. When the source is {@code <prefix><queue_name>} (the prefix possibly empty; Dramatiq's
     * {@code .DQ}/{@code .XQ} suffixes ignored) and the target starts with the same prefix, the new name is the
     * target without the prefix; otherwise the name is unchanged.
     */
    static String queueNameAfterMove(String queueName, String sourceQueue, String targetQueue) {
        String canonical = QueueNames.canonicalQueueName(queueName);
        String source = withoutDeadLetterSuffix(sourceQueue);
        String target = withoutDeadLetterSuffix(targetQueue);
        if (canonical.isEmpty() || !source.endsWith(canonical)) {
            return queueName;
        }
        String prefix = source.substring(0, source.length() - canonical.length());
        if (!target.startsWith(prefix) || target.length() == prefix.length()) {
            return queueName;
        }
        String renamed = target.substring(prefix.length());
        return renamed.equals(canonical) ? queueName : renamed;
    }

    private static boolean renameQueue(ObjectNode message, String sourceQueue, String targetQueue) {
        String current = message.get(Message.QUEUE_NAME).textValue();
        String renamed = queueNameAfterMove(current, sourceQueue, targetQueue);
        if (renamed.equals(current)) {
            return false;
        }
        message.put(Message.QUEUE_NAME, renamed);
        return true;
    }

    private static String withoutDeadLetterSuffix(String queue) {
        return QueueNames.isDeadLetter(queue)
                ? queue.substring(0, queue.length() - QueueNames.DEAD_LETTER_SUFFIX.length()) : queue;
    }

    /** Dramatiq's decoder's shape: the five required keys with their types, and no unknown keys. */
    static boolean isDramatiqMessage(JsonNode root) {
        if (!(root instanceof ObjectNode object)) {
            return false;
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            if (!Message.KEYS.contains(names.next())) {
                return false;
            }
        }
        JsonNode id = object.get(Message.MESSAGE_ID);
        JsonNode timestamp = object.get(Message.MESSAGE_TIMESTAMP);
        return object.path(Message.QUEUE_NAME).isTextual()
                && object.path(Message.ACTOR_NAME).isTextual()
                && object.path(Message.ARGS).isArray()
                && object.path(Message.KWARGS).isObject()
                && object.path(Message.OPTIONS).isObject()
                && (id == null || id.isTextual() || id.isNull())
                && (timestamp == null || timestamp.isIntegralNumber() || timestamp.isNull());
    }

    private static boolean isUndecodableEnvelope(JsonNode root) {
        return root instanceof ObjectNode object && object.size() == 2 && object.has(UNDECODABLE_MESSAGE)
                && object.has(UNDECODABLE_REASON);
    }

    /** The parsed JSON, or null when the text is not JSON (then it is passed on untouched). */
    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed JSON tree could not be written back", e);
        }
    }
}
