package dev.supaqueue.actor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Java type of one parameter of a functional actor, generic types included, with the compile-time type
 * {@code T} that the actor's lambda receives:
 * {@code ArgumentType.of(new TypeReference<List<Order>>() {})}, {@code ArgumentType.listOf(Order.class)}.
 *
 * @param <T> the parameter's type
 */
public final class ArgumentType<T> {

    private final Type type;

    private ArgumentType(Type type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A plain class; a primitive class ({@code int.class}) refuses JSON null where its box would take it. */
    public static <T> ArgumentType<T> of(Class<T> type) {
        return new ArgumentType<>(type);
    }

    /** A generic type, captured by an anonymous subclass: {@code new TypeReference<Map<String, Integer>>() {}}. */
    public static <T> ArgumentType<T> of(TypeReference<T> type) {
        return new ArgumentType<>(type.getType());
    }

    /** A type built with Jackson's TypeFactory; {@code T} is not checked against it. */
    public static <T> ArgumentType<T> of(JavaType type) {
        return new ArgumentType<>(type);
    }

    /** {@code List<E>}. */
    public static <E> ArgumentType<List<E>> listOf(Class<E> elementType) {
        return new ArgumentType<>(ActorArguments.MAPPER.getTypeFactory()
                .constructCollectionType(List.class, elementType));
    }

    /** {@code Map<String, V>}: JSON object keys are strings. */
    public static <V> ArgumentType<Map<String, V>> mapOf(Class<V> valueType) {
        return new ArgumentType<>(ActorArguments.MAPPER.getTypeFactory()
                .constructMapType(Map.class, String.class, valueType));
    }

    /** {@code Optional<E>}: the argument may be null or left out of the message. */
    public static <E> ArgumentType<Optional<E>> optionalOf(Class<E> valueType) {
        return new ArgumentType<>(ActorArguments.MAPPER.getTypeFactory()
                .constructParametricType(Optional.class, valueType));
    }

    /** The reflected type (a Class, ParameterizedType, or Jackson JavaType). */
    public Type type() {
        return type;
    }

    @Override
    public String toString() {
        return TypeNames.format(type);
    }
}
