package dev.supaqueue.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which messages to show or act on; every part is optional and the parts combine with AND. Immutable; start from
 * {@link #all()} and narrow with the {@code with...} methods.
 *
 * @param states            the states to include; empty means every state
 * @param actorName         the Dramatiq {@code actor_name} of the payload, or null
 * @param msgId             pgmq's {@code msg_id}, or null
 * @param messageId         the Dramatiq {@code message_id} of the payload, or null
 * @param payloadContains   a JSON document the payload must contain ({@code message @> ...::jsonb}), or null;
 *                          for instance {@code {"kwargs": {"user_id": 7}}}
 */
public record MessageFilter(Set<MessageState> states, String actorName, Long msgId, String messageId,
                            String payloadContains) {

    // Trailing text after the document would pass readTree but fail in PostgreSQL's ::jsonb.
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final MessageFilter ALL = new MessageFilter(Set.of(), null, null, null, null);

    /**
     * @throws IllegalArgumentException if the containment document is not valid JSON, or a text is blank
     */
    public MessageFilter {
        states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
        actorName = notBlank(actorName, "actor name");
        messageId = notBlank(messageId, "message id");
        if (msgId != null && msgId < 1) {
            throw new IllegalArgumentException("pgmq message ids (msg_id) start at 1, got " + msgId);
        }
        if (payloadContains != null) {
            if (payloadContains.contains("\\u0000") || payloadContains.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("The payload filter contains a NUL character (\\u0000), which"
                        + " PostgreSQL's jsonb cannot hold, so no payload can contain it");
            }
            try {
                JSON.readTree(payloadContains);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("The payload filter is not valid JSON (" + e.getOriginalMessage()
                        + "); write a JSON document the payload must contain, e.g. {\"actor_name\": \"send_email\"}",
                        e);
            }
            if (payloadContains.isBlank()) {
                throw new IllegalArgumentException("The payload filter must not be blank");
            }
        }
    }

    /** No filter: every message. */
    public static MessageFilter all() {
        return ALL;
    }

    /** Only messages in one of these states. */
    public MessageFilter withStates(Collection<MessageState> value) {
        return new MessageFilter(value == null || value.isEmpty() ? Set.of() : EnumSet.copyOf(value), actorName,
                msgId, messageId, payloadContains);
    }

    /** Only messages in one of these states. */
    public MessageFilter withStates(MessageState first, MessageState... rest) {
        return withStates(EnumSet.of(first, rest));
    }

    /** Only messages for this Dramatiq actor (null to drop this condition). */
    public MessageFilter withActorName(String value) {
        return new MessageFilter(states, value, msgId, messageId, payloadContains);
    }

    /** Only the message with this pgmq {@code msg_id} (null to drop this condition). */
    public MessageFilter withMsgId(Long value) {
        return new MessageFilter(states, actorName, value, messageId, payloadContains);
    }

    /** Only messages with this Dramatiq {@code message_id} (null to drop this condition). */
    public MessageFilter withMessageId(String value) {
        return new MessageFilter(states, actorName, msgId, value, payloadContains);
    }

    /** Only messages whose payload contains this JSON document (null to drop this condition). */
    public MessageFilter withPayloadContaining(String json) {
        return new MessageFilter(states, actorName, msgId, messageId, json);
    }

    /** Whether nothing is filtered. */
    public boolean isEmpty() {
        return states.isEmpty() && actorName == null && msgId == null && messageId == null && payloadContains == null;
    }

    private static String notBlank(String value, String what) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException("The " + what + " filter must not be blank; leave it out instead");
        }
        if (value != null && value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("The " + what + " filter contains a NUL character, which no stored"
                    + " message can contain");
        }
        return value;
    }

    @Override
    public String toString() {
        return "MessageFilter[states=" + states + ", actorName=" + actorName + ", msgId=" + msgId + ", messageId="
                + messageId + ", payloadContains=" + payloadContains + "]";
    }
}
