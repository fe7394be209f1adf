package dev.supaqueue.actor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Optional;

/**
 * {@link Optional} as "the value, or JSON null", in both directions and at any depth (a record field, a list
 * element). Jackson only supports Optional through the jdk8 datatype module, which broker-lib does not depend on;
 * this covers the one type actors need.
 */
final class OptionalSupport {

    private OptionalSupport() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("supaqueue-optional");
        // Raw casts: Jackson's registration methods cannot express the wildcard type Optional<?>.
        module.addSerializer((Class) Optional.class, new OptionalSerializer());
        module.addDeserializer((Class) Optional.class, new OptionalDeserializer(null));
        return module;
    }

    private static final class OptionalSerializer extends StdSerializer<Optional<?>> {

        private static final long serialVersionUID = 1L;

        @SuppressWarnings({"unchecked", "rawtypes"})
        OptionalSerializer() {
            super((Class) Optional.class);
        }

        @Override
        public void serialize(Optional<?> value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            provider.defaultSerializeValue(value.orElse(null), generator);
        }
    }

    private static final class OptionalDeserializer extends StdDeserializer<Optional<?>>
            implements ContextualDeserializer {

        private static final long serialVersionUID = 1L;

        /** Null until contextualised with the declared {@code Optional<T>}. */
        private final JavaType contentType;

        OptionalDeserializer(JavaType contentType) {
            super(Optional.class);
            this.contentType = contentType;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
            JavaType declared = context.getContextualType();
            if (declared == null && property != null) {
                declared = property.getType();
            }
            JavaType content = declared != null && declared.containedTypeCount() == 1
                    ? declared.containedType(0)
                    : context.constructType(Object.class);
            return new OptionalDeserializer(content);
        }

        @Override
        public Optional<?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JavaType content = contentType != null ? contentType : context.constructType(Object.class);
            return Optional.ofNullable(context.readValue(parser, content));
        }

        @Override
        public Optional<?> getNullValue(DeserializationContext context) {
            return Optional.empty();
        }

        /** A record component or creator property missing from the JSON object is empty, not null. */
        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return Optional.empty();
        }
    }
}
