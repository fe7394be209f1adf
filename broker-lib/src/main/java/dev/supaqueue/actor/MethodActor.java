package dev.supaqueue.actor;

import dev.supaqueue.broker.Broker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An actor that runs a Java method: a method annotated with {@link ActorMethod}, declared by {@link Actors}.
 *
 * @param <R> the method's return type, boxed ({@code Void} for void)
 */
public final class MethodActor<R> extends AbstractActor<R> {

    private final Method method;
    private final Object target;

    /** @param target the object the method runs on; null for a static method */
    MethodActor(String actorName, String queueName, int priority, Map<String, ?> options, Broker broker,
                Method method, Object target, List<ActorParameter> parameters) {
        super(actorName, queueName, priority, options, broker, parameters);
        this.method = Objects.requireNonNull(method, "method");
        this.target = target;
    }

    public Method method() {
        return method;
    }

    /** The object the method runs on; null for a static method. */
    public Object target() {
        return target;
    }

    /**
     * Runs the method now, in this thread, without a broker or a message — as calling a Dramatiq actor does.
     * Arguments are passed as they are (no JSON round trip); omitted trailing {@link java.util.Optional}
     * parameters are empty.
     *
     * @throws IllegalArgumentException if the arguments do not fit the parameters
     * @throws Exception                whatever the method throws, unchanged
     */
    public R call(Object... args) throws Exception {
        List<Object> given = args == null ? List.of() : Arrays.asList(args);
        return invoke(binder().checkJavaValues(given, true));
    }

    @Override
    @SuppressWarnings("unchecked") // R is the method's boxed return type, checked when the actor is looked up
    protected R invoke(Object[] arguments) throws Exception {
        try {
            return (R) method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            // The actor's own exception, unwrapped, so that Retries' "throws" and callers see what it threw.
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw (Exception) cause;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("actor '" + actorName() + "' cannot call " + describe(method), e);
        }
    }

    /** {@code Calc.add(int, int)}, for error messages. */
    static String describe(Method method) {
        StringBuilder text = new StringBuilder(method.getDeclaringClass().getSimpleName()).append('.')
                .append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }
}
