package dev.supaqueue.actor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Short, readable renderings of Java types and JSON values for error messages. */
final class TypeNames {

    /** Long values are cut so that an error message (which may end up in a dead letter) stays short. */
    private static final int MAX_VALUE_LENGTH = 80;

    private TypeNames() {
    }

    /** {@code List<Order>} rather than {@code java.util.List<com.example.Shop$Order>}. */
    static String format(Type type) {
        return switch (type) {
            case JavaType javaType -> formatJavaType(javaType);
            case Class<?> cls -> cls.getSimpleName().isEmpty() ? cls.getName() : cls.getSimpleName();
            case ParameterizedType parameterized -> {
                StringJoiner arguments = new StringJoiner(", ", "<", ">");
                for (Type argument : parameterized.getActualTypeArguments()) {
                    arguments.add(format(argument));
                }
                yield format(parameterized.getRawType()) + arguments;
            }
            case GenericArrayType array -> format(array.getGenericComponentType()) + "[]";
            case WildcardType wildcard -> formatWildcard(wildcard);
            case TypeVariable<?> variable -> variable.getName();
            default -> type.getTypeName();
        };
    }

    private static String formatJavaType(JavaType type) {
        if (type.isArrayType()) {
            return formatJavaType(type.getContentType()) + "[]";
        }
        String raw = format(type.getRawClass());
        if (type.containedTypeCount() == 0) {
            return raw;
        }
        StringJoiner arguments = new StringJoiner(", ", "<", ">");
        for (int i = 0; i < type.containedTypeCount(); i++) {
            arguments.add(formatJavaType(type.containedType(i)));
        }
        return raw + arguments;
    }

    private static String formatWildcard(WildcardType wildcard) {
        if (wildcard.getLowerBounds().length > 0) {
            return "? super " + format(wildcard.getLowerBounds()[0]);
        }
        Type[] upper = wildcard.getUpperBounds();
        if (upper.length == 0 || upper[0] == Object.class) {
            return "?";
        }
        return "? extends " + format(upper[0]);
    }

    /** {@code a JSON string "x"}, {@code a JSON number 1.5}, {@code JSON null}, {@code a JSON array [1,2]}. */
    static String describeJson(Object value) {
        return switch (value) {
            case null -> "JSON null";
            case String s -> "a JSON string " + cut(quote(s));
            case Boolean b -> "a JSON boolean " + b;
            case BigDecimal decimal -> "a JSON number " + cut(decimal.toString());
            case Number n -> "a JSON number " + cut(n.toString());
            case List<?> list -> "a JSON array " + cut(compactJson(list));
            case Map<?, ?> map -> "a JSON object " + cut(compactJson(map));
            default -> "a " + value.getClass().getName();
        };
    }

    /** {@code an int}, {@code a String}: the article makes "expects an int, got a String" read naturally. */
    static String withArticle(String noun) {
        return ("aeiouAEIOU".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String compactJson(Object value) {
        try {
            return ActorArguments.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static String cut(String text) {
        return text.length() <= MAX_VALUE_LENGTH ? text : text.substring(0, MAX_VALUE_LENGTH - 1) + "…";
    }

    static String quote(String text) {
        return dev.supaqueue.message.JsonText.quote(text);
    }
}
