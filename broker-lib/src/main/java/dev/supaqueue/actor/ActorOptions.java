package dev.supaqueue.actor;

import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.middleware.Retries;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names of Dramatiq's actor and message options (snake_case, as on the wire), and the rules their values
 * follow here: plain JSON values, callbacks as actor names, {@code throws} as exception class names.
 */
public final class ActorOptions {

    /** Retries: failed attempts allowed before the message is dead-lettered (int; 0 means one attempt). */
    public static final String MAX_RETRIES = "max_retries";
    /** Retries: backoff of the first retry in ms (int). */
    public static final String MIN_BACKOFF = "min_backoff";
    /** Retries: the longest backoff in ms (int). */
    public static final String MAX_BACKOFF = "max_backoff";
    /** Retries: exception classes that dead-letter at once instead of retrying (a list of class names). */
    public static final String THROWS = "throws";
    /** Retries: actor sent {@code (message_dict, {retries, max_retries})} when retries run out (actor name). */
    public static final String ON_RETRY_EXHAUSTED = "on_retry_exhausted";
    /** TimeLimit: longest run in ms (int). */
    public static final String TIME_LIMIT = "time_limit";
    /** AgeLimit: oldest a message may be, from its creation, in ms (int). */
    public static final String MAX_AGE = "max_age";
    /** ShutdownNotifications: interrupt the actor when the worker stops (boolean). */
    public static final String NOTIFY_SHUTDOWN = "notify_shutdown";
    /** Results: store what the actor returns (boolean). */
    public static final String STORE_RESULTS = "store_results";
    /** Results: how long stored results are kept, in ms (int). */
    public static final String RESULT_TTL = "result_ttl";
    /**
     * Retries: a {@code RetryWhen} predicate deciding whether to retry, overriding max_retries. A Java object, so
     * only actors (and the Retries middleware) may carry it, never a message.
     */
    public static final String RETRY_WHEN = "retry_when";
    /** Callbacks: actor sent {@code (message_dict, result)} on success (actor name). */
    public static final String ON_SUCCESS = "on_success";
    /** Callbacks: actor sent {@code (message_dict, {type, message})} on every failure (actor name). */
    public static final String ON_FAILURE = "on_failure";

    /** Options whose value names an actor; an {@link Actor} given here is replaced by its name. */
    public static final Set<String> CALLBACKS = Set.of(ON_SUCCESS, ON_FAILURE, ON_RETRY_EXHAUSTED);

    private ActorOptions() {
    }

    /**
     * Options as JSON values: callback actors become their names, exception classes under {@code throws} become
     * a list of class names, and every other value must already be a JSON value.
     *
     * @param owner names the options in errors, e.g. {@code actor 'add'}
     * @return an unmodifiable, insertion-ordered copy (empty for null)
     * @throws IllegalArgumentException if a value is not a JSON value, or a callback is neither an Actor nor a
     *                                  String (Dramatiq raises TypeError)
     */
    static Map<String, Object> normalize(Map<String, ?> options, String owner) {
        return normalize(options, owner, false);
    }

    /** As {@link #normalize(Map, String)}; actor options may also hold a {@code retry_when} predicate. */
    static Map<String, Object> normalizeForActor(Map<String, ?> options, String owner) {
        return normalize(options, owner, true);
    }

    private static Map<String, Object> normalize(Map<String, ?> options, String owner, boolean actorLevel) {
        if (options == null || options.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> normalized = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : options.entrySet()) {
            Object key = entry.getKey();
            if (!(key instanceof String name) || name.isBlank()) {
                throw new IllegalArgumentException(owner + ": option names must be non-blank strings, got "
                        + (key == null ? "null" : TypeNames.quote(key.toString())));
            }
            String what = owner + ": option '" + name + "'";
            Object value = entry.getValue();
            if (CALLBACKS.contains(name)) {
                normalized.put(name, callbackName(value, what));
            } else if (RETRY_WHEN.equals(name) && actorLevel && value instanceof Retries.RetryWhen) {
                // Stays in the JVM: actor options never travel in messages.
                normalized.put(name, value);
            } else if (THROWS.equals(name)) {
                normalized.put(name, exceptionNames(value, what));
            } else {
                normalized.put(name, plainJson(value, what, 1));
            }
        }
        return Collections.unmodifiableMap(normalized);
    }

    private static String callbackName(Object value, String what) {
        return switch (value) {
            case null -> null;
            case Actor<?> actor -> actor.actorName();
            case String name -> name;
            default -> throw new IllegalArgumentException(what + " must be an Actor or an actor name, got a "
                    + value.getClass().getName());
        };
    }

    /** A class, an array or collection of classes, or names already: always a list of names on the wire. */
    private static Object exceptionNames(Object value, String what) {
        return switch (value) {
            case null -> null;
            case Class<?> type -> List.of(exceptionName(type, what));
            case String name -> List.of(name);
            case Object[] array -> exceptionNames(Arrays.asList(array), what);
            case Collection<?> items -> {
                List<String> names = new ArrayList<>(items.size());
                for (Object item : items) {
                    names.add(switch (item) {
                        case Class<?> type -> exceptionName(type, what);
                        case String name -> name;
                        case null, default -> throw new IllegalArgumentException(what
                                + " must hold exception classes or class names, got " + describe(item));
                    });
                }
                yield List.copyOf(names);
            }
            default -> throw new IllegalArgumentException(what
                    + " must be exception classes or class names, got " + describe(value));
        };
    }

    private static String exceptionName(Class<?> type, String what) {
        if (!Throwable.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(what + ": " + type.getName() + " is not an exception class");
        }
        return type.getName();
    }

    /** Checks that a value is already a JSON value (options are not converted like arguments). */
    private static Object plainJson(Object value, String what, int depth) {
        if (depth > MessageCodec.MAX_NESTING_DEPTH) {
            throw new IllegalArgumentException(what + " is nested too deeply (or contains itself)");
        }
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case Short s -> Integer.valueOf(s);
            case Byte b -> Integer.valueOf(b);
            case BigInteger big -> big;
            case BigDecimal decimal -> decimal;
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    throw new IllegalArgumentException(what + ": " + d + " is not a JSON number");
                }
                yield d;
            }
            case List<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                for (Object element : list) {
                    copy.add(plainJson(element, what, depth + 1));
                }
                yield Collections.unmodifiableList(copy);
            }
            case Map<?, ?> map -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!(entry.getKey() instanceof String key)) {
                        throw new IllegalArgumentException(what + ": JSON object keys must be strings, got "
                                + describe(entry.getKey()));
                    }
                    copy.put(key, plainJson(entry.getValue(), what, depth + 1));
                }
                yield Collections.unmodifiableMap(copy);
            }
            default -> throw new IllegalArgumentException(what + ": " + describe(value) + " is not a JSON value;"
                    + " option values are null, Boolean, String, Integer, Long, BigInteger, Double, BigDecimal,"
                    + " List or Map with String keys");
        };
    }

    private static String describe(Object value) {
        return value == null ? "null" : "a " + value.getClass().getName();
    }
}
