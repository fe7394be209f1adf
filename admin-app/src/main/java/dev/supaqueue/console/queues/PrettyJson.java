package dev.supaqueue.console.queues;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.supaqueue.message.MessageCodec;

/** Indents JSON for people to read: two spaces, one key per line, numbers written exactly as they came. */
final class PrettyJson {

    // The codec's parsing limits, so a payload the broker accepts can be shown and a hostile one cannot hurt.
    private static final ObjectMapper MAPPER = new ObjectMapper(MessageCodec.payloadJsonFactory().build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            // 2.50 stays 2.50: the payload as stored, not as Jackson would normalise it.
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final ObjectWriter WRITER;

    static {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
        WRITER = MAPPER.writer(printer);
    }

    private PrettyJson() {
    }

    /** A JSON text indented; the text itself when it is not JSON (it is shown rather than hidden); null stays null. */
    static String text(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode tree = MAPPER.readTree(json);
            return tree == null ? json : WRITER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    /** A Java JSON value (the lists and maps of a decoded message) indented. */
    static String value(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
