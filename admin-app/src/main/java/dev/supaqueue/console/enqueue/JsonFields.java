package dev.supaqueue.console.enqueue;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.supaqueue.message.MessageCodec;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON typed into one form field into the plain values a Dramatiq message holds, with the broker's
 * limits (depth, string and number length), and says in one sentence what is wrong when it cannot.
 */
final class JsonFields {

    /** Floats as BigDecimal so that 0.1 is sent as typed, not as the nearest double. */
    private static final ObjectMapper MAPPER = JsonMapper.builder(MessageCodec.payloadJsonFactory().build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonFields() {
    }

    /** What went wrong with a field's text; {@code message} is a whole sentence. */
    static final class Problem extends Exception {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    /** A JSON array, or null for blank text (no arguments). */
    static List<?> array(String field, String text) throws Problem {
        Object value = read(field, text);
        if (value == null || value instanceof List<?>) {
            return (List<?>) value;
        }
        throw new Problem("The " + field + " must be a JSON array such as [1, \"two\"], got " + describe(value));
    }

    /** A JSON object, or null for blank text (none). */
    @SuppressWarnings("unchecked")
    static Map<String, ?> object(String field, String text) throws Problem {
        Object value = read(field, text);
        if (value == null || value instanceof Map<?, ?>) {
            return (Map<String, ?>) value;
        }
        throw new Problem("The " + field + " must be a JSON object such as {\"key\": 1}, got " + describe(value));
    }

    private static Object read(String field, String text) throws Problem {
        if (text == null || text.isBlank()) {
            return null;
        }
        Object value;
        try {
            value = MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new Problem("The " + field + " " + (field.endsWith("s") ? "are" : "is") + " not valid JSON: "
                    + e.getOriginalMessage() + position(e.getLocation()));
        }
        if (value == null) {
            // The literal null: not an array nor an object, and not "none" either, which is a blank field.
            throw new Problem("The " + field + " must not be the JSON null; leave the field empty for none");
        }
        return value;
    }

    private static String position(JsonLocation where) {
        if (where == null || where.getLineNr() <= 0) {
            return "";
        }
        return " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    private static String describe(Object value) {
        return switch (value) {
            case List<?> list -> "an array";
            case Map<?, ?> map -> "an object";
            case String string -> "a string";
            case Boolean bool -> "a boolean";
            case Number number -> "a number";
            default -> value.getClass().getSimpleName();
        };
    }
}
