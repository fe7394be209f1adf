package dev.supaqueue.actor;

import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.Optional;

/**
 * One Java parameter of an actor.
 *
 * @param position 0-based; error messages show it 1-based, as "argument 2"
 * @param name     the name keyword arguments bind to, or null when unknown (a class compiled without
 *                 {@code javac -parameters}, or a functional actor without {@code parameterNames})
 * @param type     the declared type, possibly generic ({@code List<Order>}) or a Jackson {@code JavaType}
 */
public record ActorParameter(int position, String name, Type type) {

    public ActorParameter {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        Objects.requireNonNull(type, "type");
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("parameter name must not be blank");
        }
    }

    /** The parameter of a method, named if the class was compiled with {@code -parameters}. */
    static ActorParameter of(int position, Parameter parameter) {
        return new ActorParameter(position, parameter.isNamePresent() ? parameter.getName() : null,
                parameter.getParameterizedType());
    }

    public boolean hasName() {
        return name != null;
    }

    /** The erased class, e.g. {@code List} for {@code List<Order>}. */
    public Class<?> rawType() {
        return ActorArguments.javaType(type).getRawClass();
    }

    /** An {@link Optional} parameter may be left out of a message; it is then {@link Optional#empty()}. */
    public boolean isOptional() {
        return rawType() == Optional.class;
    }

    /** {@code argument 2 (b: int)}, or {@code argument 2 (int)} without a name. */
    public String describe() {
        return "argument " + (position + 1) + " (" + signature() + ")";
    }

    /** {@code b: int}, or {@code int} without a name. */
    public String signature() {
        String typeName = TypeNames.format(type);
        return name == null ? typeName : name + ": " + typeName;
    }
}
