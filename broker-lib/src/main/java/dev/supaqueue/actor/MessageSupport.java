package dev.supaqueue.actor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Message} argument travels as Dramatiq's message dict (the seven wire keys), which is what callback
 * actors receive as their first argument, and binds back to a {@code Message} parameter under the decoder's rules.
 */
final class MessageSupport {

    private static final MessageCodec CODEC = new MessageCodec();

    private MessageSupport() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("supaqueue-message");
        module.addSerializer(Message.class, new MessageSerializer());
        module.addDeserializer(Message.class, new MessageDeserializer());
        return module;
    }

    private static final class MessageSerializer extends StdSerializer<Message> {

        private static final long serialVersionUID = 1L;

        MessageSerializer() {
            super(Message.class);
        }

        @Override
        public void serialize(Message message, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            provider.defaultSerializeValue(message.toMap(), generator);
        }
    }

    private static final class MessageDeserializer extends StdDeserializer<Message> {

        private static final long serialVersionUID = 1L;

        MessageDeserializer() {
            super(Message.class);
        }

        @Override
        public Message deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JavaType dictType = context.getTypeFactory()
                    .constructMapType(LinkedHashMap.class, String.class, Object.class);
            Map<String, Object> dict = context.readValue(parser, dictType);
            try {
                return CODEC.fromMap(dict);
            } catch (MessageDecodeException e) {
                // As a Jackson error, so that argument binding reports it like any other bad value.
                throw JsonMappingException.from(parser, "not a message dict: " + e.reason(), e);
            }
        }
    }
}
