package dev.supaqueue.results;

import dev.supaqueue.actor.ActorArguments;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a result backend holds for one message, exactly as stored: the actor's return value as a JSON value, or a
 * failure in Dramatiq's format {@code {"__t": "dramatiq.results.Result", "exn": {"type": ..., "msg": ...}}}, so that
 * Python readers of the same store understand it.
 *
 * @param json the stored JSON value (null, Boolean, String, Number, List, Map with String keys)
 */
public record StoredResult(Object json) {

    /** The marker Dramatiq puts under {@code "__t"} to tell a stored failure from a returned value. */
    public static final String FAILURE_MARKER = "dramatiq.results.Result";

    /** A returned value (already a JSON value). */
    public static StoredResult success(Object json) {
        return new StoredResult(json);
    }

    /** A failure, in Dramatiq's format. */
    public static StoredResult failure(String exceptionType, String exceptionMessage) {
        Map<String, Object> exn = new LinkedHashMap<>();
        exn.put("type", exceptionType == null ? "Exception" : exceptionType);
        exn.put("msg", exceptionMessage == null ? "" : exceptionMessage);
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("__t", FAILURE_MARKER);
        wrapped.put("exn", exn);
        return new StoredResult(wrapped);
    }

    /** True when this is a stored failure rather than a returned value. */
    public boolean isFailure() {
        return json instanceof Map<?, ?> map && FAILURE_MARKER.equals(map.get("__t"));
    }

    /** The failure as the exception {@link #value()} throws, when this is one. */
    public Optional<ResultFailure> failure() {
        if (!isFailure()) {
            return Optional.empty();
        }
        Object exn = ((Map<?, ?>) json).get("exn");
        Map<?, ?> details = exn instanceof Map<?, ?> m ? m : Map.of();
        // Written by another program, the details may be incomplete: show what is there rather than fail on it.
        return Optional.of(new ResultFailure(String.valueOf(details.get("type")), String.valueOf(details.get("msg"))));
    }

    /**
     * The returned value as a JSON value.
     *
     * @throws ResultFailure if the actor failed
     */
    public Object value() {
        Optional<ResultFailure> failure = failure();
        if (failure.isPresent()) {
            throw failure.get();
        }
        return json;
    }

    /**
     * The returned value bound to a Java type, by the rules of actor arguments.
     *
     * @throws ResultFailure if the actor failed
     * @throws ResultError   if the value does not fit the type
     */
    public <T> T value(Class<T> type) {
        Object value = value();
        try {
            return ActorArguments.fromJsonValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new ResultError("The stored result " + abbreviate(value) + " is not a " + type.getName(), e);
        }
    }

    /** As {@link #value(Class)} for a generic type such as {@code List<Integer>}. */
    public Object value(Type type) {
        Object value = value();
        try {
            return ActorArguments.fromJsonValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new ResultError("The stored result " + abbreviate(value) + " is not a " + type.getTypeName(), e);
        }
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
