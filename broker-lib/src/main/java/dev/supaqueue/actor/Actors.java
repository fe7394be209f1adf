package dev.supaqueue.actor;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.GlobalBroker;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Declares the {@link ActorMethod} methods of an object or class as actors — the annotation style:
 *
 * <pre>{@code
 * public class Mailer {
 *     @ActorMethod(queue = "emails", maxRetries = 3)
 *     public void sendWelcome(String address, Optional<String> name) { ... }
 * }
 * ActorGroup actors = Actors.register(broker, new Mailer());
 * actors.get("sendWelcome").send("a@example.com");
 * }</pre>
 */
public final class Actors {

    private Actors() {
    }

    /** As {@link #register(Broker, Object)} on the global broker ({@link GlobalBroker}). */
    public static ActorGroup register(Object target) {
        return register(GlobalBroker.get(), target);
    }

    /**
     * Declares one actor per public {@link ActorMethod} method: of an object (its static and instance methods),
     * or of a {@link Class} (its static methods only).
     *
     * <p>The methods are checked first, so that a badly shaped method declares nothing. The broker then checks
     * each actor (duplicate name, unknown option, bad queue name) as it declares them in order of method name;
     * every actor is checked with {@link Broker#checkDeclarable} before the first is declared.
     *
     * @throws IllegalArgumentException if there is no annotated method, one is not public, is an instance method
     *                                  of a class given as a Class, is generic, or two declare the same name; or
     *                                  the broker refuses an actor
     */
    public static ActorGroup register(Broker broker, Object target) {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(target, "target");
        Class<?> type = target instanceof Class<?> given ? given : target.getClass();
        Object instance = target instanceof Class<?> ? null : target;

        refuseNonPublicActorMethods(type);
        List<Method> methods = new ArrayList<>();
        for (Method method : type.getMethods()) {
            // Bridge methods carry the annotation of the method they bridge to; that one is listed too.
            if (method.isAnnotationPresent(ActorMethod.class) && !method.isBridge() && !method.isSynthetic()) {
                methods.add(method);
            }
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has no public @ActorMethod methods");
        }
        methods.sort(Comparator.comparing(Method::getName).thenComparing(Method::getParameterCount)
                .thenComparing(Method::toGenericString));

        List<MethodActor<?>> actors = new ArrayList<>(methods.size());
        Map<String, Method> declaredBy = new HashMap<>();
        for (Method method : methods) {
            MethodActor<?> actor = create(broker, method, instance);
            Method other = declaredBy.putIfAbsent(actor.actorName(), method);
            if (other != null) {
                throw new IllegalArgumentException("methods " + MethodActor.describe(other) + " and "
                        + MethodActor.describe(method) + " both declare actor '" + actor.actorName()
                        + "'; give one of them another @ActorMethod(name = ...)");
            }
            actors.add(actor);
        }
        // Refuse the whole object before declaring any of its actors, so a refusal leaves nothing half declared.
        for (MethodActor<?> actor : actors) {
            broker.checkDeclarable(actor);
        }
        for (MethodActor<?> actor : actors) {
            broker.declareActor(actor);
        }
        return new ActorGroup(actors);
    }

    private static void refuseNonPublicActorMethods(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.isAnnotationPresent(ActorMethod.class) && !Modifier.isPublic(method.getModifiers())) {
                    throw new IllegalArgumentException("@ActorMethod " + MethodActor.describe(method)
                            + " must be public");
                }
            }
        }
    }

    private static MethodActor<?> create(Broker broker, Method method, Object instance) {
        String where = MethodActor.describe(method);
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        if (!isStatic && instance == null) {
            throw new IllegalArgumentException("@ActorMethod " + where + " is an instance method: register an"
                    + " instance of " + method.getDeclaringClass().getName() + ", not the class");
        }
        if (method.getTypeParameters().length > 0) {
            throw new IllegalArgumentException("@ActorMethod " + where + " is generic ("
                    + Arrays.toString(method.getTypeParameters()) + "): message arguments need concrete types");
        }
        Object receiver = isStatic ? null : instance;
        // A public method of a non-public class (a nested or anonymous class) needs setAccessible.
        if (!method.canAccess(receiver) && !method.trySetAccessible()) {
            throw new IllegalArgumentException("@ActorMethod " + where + " cannot be called from Supaqueue: make "
                    + method.getDeclaringClass().getName() + " public, or open its package to Supaqueue's module");
        }

        Parameter[] javaParameters = method.getParameters();
        List<ActorParameter> parameters = new ArrayList<>(javaParameters.length);
        for (int i = 0; i < javaParameters.length; i++) {
            ActorParameter parameter = ActorParameter.of(i, javaParameters[i]);
            if (containsTypeVariable(parameter.type())) {
                throw new IllegalArgumentException("@ActorMethod " + where + ": " + parameter.describe()
                        + " has a type variable, which a message argument cannot be bound to; use a concrete type");
            }
            parameters.add(parameter);
        }

        ActorMethod annotation = method.getAnnotation(ActorMethod.class);
        String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
        if (name.isBlank()) {
            throw new IllegalArgumentException("@ActorMethod " + where + ": name must not be blank");
        }
        return new MethodActor<>(name, annotation.queue(), annotation.priority(), options(annotation, where),
                broker, method, receiver, parameters);
    }

    private static boolean containsTypeVariable(Type type) {
        return switch (type) {
            case TypeVariable<?> variable -> true;
            case ParameterizedType parameterized -> Arrays.stream(parameterized.getActualTypeArguments())
                    .anyMatch(Actors::containsTypeVariable);
            case GenericArrayType array -> containsTypeVariable(array.getGenericComponentType());
            case WildcardType wildcard -> Arrays.stream(wildcard.getUpperBounds()).anyMatch(Actors::containsTypeVariable)
                    || Arrays.stream(wildcard.getLowerBounds()).anyMatch(Actors::containsTypeVariable);
            default -> false;
        };
    }

    /** The options that are set, in a fixed order, under Dramatiq's names. */
    static Map<String, Object> options(ActorMethod annotation, String where) {
        Map<String, Object> options = new LinkedHashMap<>();
        putMillisOrCount(options, ActorOptions.MAX_RETRIES, annotation.maxRetries(), "maxRetries", where);
        putMillisOrCount(options, ActorOptions.MIN_BACKOFF, annotation.minBackoff(), "minBackoff", where);
        putMillisOrCount(options, ActorOptions.MAX_BACKOFF, annotation.maxBackoff(), "maxBackoff", where);
        putMillisOrCount(options, ActorOptions.TIME_LIMIT, annotation.timeLimit(), "timeLimit", where);
        putMillisOrCount(options, ActorOptions.MAX_AGE, annotation.maxAge(), "maxAge", where);
        putMillisOrCount(options, ActorOptions.RESULT_TTL, annotation.resultTtl(), "resultTtl", where);
        putFlag(options, ActorOptions.STORE_RESULTS, annotation.storeResults());
        putFlag(options, ActorOptions.NOTIFY_SHUTDOWN, annotation.notifyShutdown());
        if (annotation.throwsExceptions().length > 0) {
            List<String> names = new ArrayList<>();
            for (Class<? extends Throwable> exception : annotation.throwsExceptions()) {
                names.add(exception.getName());
            }
            options.put(ActorOptions.THROWS, List.copyOf(names));
        }
        putActorName(options, ActorOptions.ON_SUCCESS, annotation.onSuccess(), "onSuccess", where);
        putActorName(options, ActorOptions.ON_FAILURE, annotation.onFailure(), "onFailure", where);
        putActorName(options, ActorOptions.ON_RETRY_EXHAUSTED, annotation.onRetryExhausted(), "onRetryExhausted",
                where);
        return options;
    }

    private static void putMillisOrCount(Map<String, Object> options, String key, long value, String attribute,
                                         String where) {
        if (value == ActorMethod.UNSET) {
            return;
        }
        if (value < 0) {
            throw new IllegalArgumentException("@ActorMethod " + where + ": " + attribute + " must be at least 0"
                    + " (or -1 to leave it unset), got " + value);
        }
        // An Integer when it fits, as a decoded message would hold it (no ?: here: it would widen to Long).
        if (value <= Integer.MAX_VALUE) {
            options.put(key, (int) value);
        } else {
            options.put(key, value);
        }
    }

    private static void putFlag(Map<String, Object> options, String key, TriState value) {
        if (value != TriState.UNSET) {
            options.put(key, value.toBoolean());
        }
    }

    private static void putActorName(Map<String, Object> options, String key, String actorName, String attribute,
                                     String where) {
        if (actorName.isEmpty()) {
            return;
        }
        if (actorName.isBlank()) {
            throw new IllegalArgumentException("@ActorMethod " + where + ": " + attribute
                    + " must name an actor, got a blank string");
        }
        options.put(key, actorName);
    }
}
