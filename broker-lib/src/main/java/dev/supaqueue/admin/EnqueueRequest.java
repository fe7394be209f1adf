package dev.supaqueue.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.pgmq.PgmqQueueName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Messages to send to one queue: a JSON payload, optional headers, a delay, and a number of copies (for load
 * tests). Immutable and validated on construction, so a request that exists can be sent; start from
 * {@link #raw} or {@link #dramatiq} and adjust with the {@code with...} methods.
 *
 * <p>A raw payload is sent as it is (jsonb normalises whitespace and key order). A request made by
 * {@link #dramatiq} ({@code newMessageIds} true) is sent with a new Dramatiq {@code message_id} and the current
 * {@code message_timestamp} for every copy, so {@code count} copies are {@code count} distinct tasks.
 *
 * @param queue         the pgmq queue, valid by pgmq's rules
 * @param payload       the message body: one JSON value
 * @param headers       pgmq headers, a JSON object, or null for none (headers need pgmq 1.5 or newer)
 * @param delay         how long the messages stay invisible after sending; zero for none
 * @param count         how many copies to send, 1 to {@value #MAX_COUNT}
 * @param newMessageIds whether the payload is a Dramatiq message whose copies each get a new {@code message_id}
 */
public record EnqueueRequest(String queue, String payload, String headers, Duration delay, int count,
                             boolean newMessageIds) {

    /** The most copies one request sends. */
    public static final int MAX_COUNT = 100_000;

    /** The longest delay accepted: 10 years (3,653 days). */
    public static final Duration MAX_DELAY = Duration.ofDays(3653);

    private static final JsonFactory JSON = MessageCodec.payloadJsonFactory().build();

    private static final MessageCodec CODEC = new MessageCodec();

    /**
     * @throws IllegalArgumentException naming the problem: an invalid queue name, a payload or headers that are
     *                                  not valid JSON (with the position), headers that are not an object, a
     *                                  negative or too long delay, a count out of range, or {@code newMessageIds}
     *                                  with a payload that is not a Dramatiq message
     */
    public EnqueueRequest {
        PgmqQueueName.validate(queue);
        if (payload == null) {
            throw new IllegalArgumentException("The payload must not be null; pass a JSON value such as {}");
        }
        checkJson(payload, "payload", false);
        if (headers != null) {
            checkJson(headers, "headers", true);
        }
        if (delay == null) {
            throw new IllegalArgumentException("The delay must not be null; use Duration.ZERO for none");
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("The delay must not be negative, got " + delay);
        }
        if (delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("The delay must be at most 10 years (" + MAX_DELAY.toDays()
                    + " days), got " + delay);
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("The count must be between 1 and " + MAX_COUNT + ", got " + count);
        }
        if (newMessageIds) {
            try {
                CODEC.decode(payload);
            } catch (MessageDecodeException e) {
                throw new IllegalArgumentException("New message ids per copy need a Dramatiq message as payload,"
                        + " but it is not one: " + e.reason(), e);
            }
        }
    }

    /** A raw request: sent as it is, once, without headers or delay. */
    public EnqueueRequest(String queue, String payload, String headers, Duration delay, int count) {
        this(queue, payload, headers, delay, count, false);
    }

    /**
     * One message with this JSON payload, sent as it is (see {@link #withHeaders}, {@link #withDelay} and
     * {@link #withCount}).
     *
     * @throws IllegalArgumentException if the queue name is invalid or the payload is not valid JSON
     */
    public static EnqueueRequest raw(String queue, String json) {
        return new EnqueueRequest(queue, json, null, Duration.ZERO, 1, false);
    }

    /**
     * One Dramatiq message for an actor, built like Dramatiq's {@code actor.message(...)}; each copy is sent with
     * its own new {@code message_id}.
     *
     * @param queue             the pgmq queue, e.g. {@code app_emails}
     * @param dramatiqQueueName the message's Dramatiq {@code queue_name}, e.g. {@code emails} in namespace
     *                          {@code app}
     * @param actorName         the actor to run
     * @param args              positional arguments (JSON values), or null for none
     * @param kwargs            keyword arguments, or null for none
     * @param options           message options, or null for none
     * @throws IllegalArgumentException if a name is blank or a value cannot travel as JSON (naming its path)
     */
    public static EnqueueRequest dramatiq(String queue, String dramatiqQueueName, String actorName, List<?> args,
                                          Map<String, ?> kwargs, Map<String, ?> options) {
        PgmqQueueName.validate(queue);
        if (dramatiqQueueName == null || dramatiqQueueName.isBlank()) {
            throw new IllegalArgumentException("The Dramatiq queue name must not be blank, got "
                    + (dramatiqQueueName == null ? "null" : "\"" + dramatiqQueueName + "\""));
        }
        if (actorName == null || actorName.isBlank()) {
            throw new IllegalArgumentException("The actor name must not be blank, got "
                    + (actorName == null ? "null" : "\"" + actorName + "\""));
        }
        Message message = Message.create(dramatiqQueueName, actorName, args, kwargs, options);
        return new EnqueueRequest(queue, CODEC.encode(message), null, Duration.ZERO, 1, true);
    }

    /** This request with headers (a JSON object, or null for none). */
    public EnqueueRequest withHeaders(String json) {
        return new EnqueueRequest(queue, payload, json, delay, count, newMessageIds);
    }

    /** This request with a delay before the messages become visible. */
    public EnqueueRequest withDelay(Duration value) {
        return new EnqueueRequest(queue, payload, headers, value, count, newMessageIds);
    }

    /** This request sending {@code value} copies. */
    public EnqueueRequest withCount(int value) {
        return new EnqueueRequest(queue, payload, headers, delay, value, newMessageIds);
    }

    /**
     * The body of each of {@code copies} messages: the payload itself, or for a Dramatiq request the message
     * with a new id and the current time.
     */
    List<String> bodies(int copies) {
        if (!newMessageIds) {
            return java.util.Collections.nCopies(copies, payload);
        }
        Message template = CODEC.decode(payload);
        String[] bodies = new String[copies];
        for (int i = 0; i < copies; i++) {
            bodies[i] = CODEC.encode(new Message(template.queueName(), template.actorName(), template.args(),
                    template.kwargs(), template.options(), Message.newMessageId(), System.currentTimeMillis()));
        }
        return List.of(bodies);
    }

    /**
     * Checks that the text is exactly one JSON value that jsonb can store: jsonb refuses the NUL character and
     * unpaired surrogates, so those are reported here, with where they are, rather than by the server.
     */
    private static void checkJson(String text, String what, boolean objectOnly) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("The " + what + " " + is(what) + " empty; pass a JSON "
                    + (objectOnly ? "object such as {\"trace_id\": \"abc\"}" : "value such as {}"));
        }
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (objectOnly && first != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("The " + what + " must be a JSON object such as"
                        + " {\"trace_id\": \"abc\"}, got " + describe(first));
            }
            int depth = 0;
            JsonToken token = first;
            while (true) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                } else if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
                    checkText(parser.getText(), what, parser.currentTokenLocation());
                }
                if (depth == 0) {
                    break;
                }
                token = parser.nextToken();
            }
            JsonToken extra = parser.nextToken();
            if (extra != null) {
                throw new IllegalArgumentException("The " + what + " " + is(what) + " not valid JSON: more data"
                        + " after the JSON value" + position(parser.currentTokenLocation())
                        + "; send one value (wrap several in an array)");
            }
        } catch (JsonProcessingException e) {
            String detail = e.getOriginalMessage();
            if (detail != null && detail.startsWith("Non-standard token")) {
                // Jackson's advice to enable a reader feature is no help here: jsonb refuses them anyway.
                detail = detail.replaceFirst(":.*$", "") + " (NaN and Infinity are not JSON numbers and jsonb"
                        + " refuses them; send null or a string instead)";
            }
            throw new IllegalArgumentException("The " + what + " " + is(what) + " not valid JSON: "
                    + detail + position(e.getLocation()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading JSON from memory failed", e);
        }
    }

    private static void checkText(String value, String what, JsonLocation where) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                throw new IllegalArgumentException("There is a NUL character (\\u0000) in a string of the " + what
                        + position(where) + ", which PostgreSQL's jsonb cannot store");
            }
            if (Character.isHighSurrogate(c) && (i + 1 >= value.length()
                    || !Character.isLowSurrogate(value.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
                throw new IllegalArgumentException("There is an unpaired UTF-16 surrogate (\\u"
                        + String.format("%04x", (int) c) + ") in a string of the " + what + position(where)
                        + ", which is not a character and which PostgreSQL's jsonb refuses");
            }
        }
    }

    private static String is(String what) {
        return what.endsWith("s") ? "are" : "is";
    }

    private static String position(JsonLocation where) {
        if (where == null || where.getLineNr() <= 0) {
            return "";
        }
        long offset = where.getCharOffset();
        return " at line " + where.getLineNr() + ", column " + where.getColumnNr()
                + (offset >= 0 ? " (character " + (offset + 1) + ")" : "");
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(token);
        };
    }
}
