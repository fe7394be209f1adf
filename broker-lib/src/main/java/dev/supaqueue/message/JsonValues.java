package dev.supaqueue.message;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The plain JSON values a {@link Message} holds: {@code null}, {@link Boolean}, {@link String}, {@link Integer},
 * {@link Long}, {@link BigInteger}, {@link Double}, {@link BigDecimal}, {@link List} and {@link Map} with
 * {@link String} keys.
 *
 * <p>Trees are walked with an explicit stack rather than by recursion: a body nested
 * {@value MessageCodec#MAX_NESTING_DEPTH} levels deep must not overflow a worker thread's stack, whatever the
 * JIT makes of the frames.
 */
final class JsonValues {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** Keys that read well after a dot in a path; any other key is shown in brackets and quotes. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static final String ALLOWED_TYPES = "null, Boolean, String, Integer, Long, BigInteger, Double, BigDecimal, "
            + "List or Map<String, Object>";

    private JsonValues() {
    }

    // ------------------------------------------------------------------------------------------ walking

    /** Receives a tree in document order, as a streaming JSON writer would. */
    interface Visitor {
        /** A value that is neither a List nor a Map. */
        void value(Object value, Path path);

        void startList(List<?> list, Path path);

        void startMap(Map<?, ?> map, Path path);

        /** The key of the map entry whose value comes next. */
        void key(String key, Path path);

        /** Closes the innermost open list or map. */
        void end();
    }

    /** The path of the element being visited, rendered only when an error needs it, e.g. {@code kwargs.x[2]}. */
    static final class Path {
        private final String root;
        private final ArrayDeque<Level> levels;

        private Path(String root, ArrayDeque<Level> levels) {
            this.root = root;
            this.levels = levels;
        }

        @Override
        public String toString() {
            String path = root;
            Iterator<Level> outermostFirst = levels.descendingIterator();
            while (outermostFirst.hasNext()) {
                Level level = outermostFirst.next();
                if (level.map && level.key != null) {
                    path = child(path, level.key);
                } else if (!level.map && level.index >= 0) {
                    path = index(path, level.index);
                }
            }
            return path;
        }
    }

    private static final class Level {
        final Iterator<?> iterator;
        final boolean map;
        final int depth;
        int index = -1;
        String key;

        Level(Iterator<?> iterator, boolean map, int depth) {
            this.iterator = iterator;
            this.map = map;
            this.depth = depth;
        }
    }

    /**
     * Visits {@code root} and everything inside it.
     *
     * @param rootName  the path of the root, e.g. {@code kwargs}
     * @param rootDepth the JSON nesting depth of the root if it is a list or map, the message object being 1
     * @throws IllegalArgumentException for a non-String map key or nesting beyond
     *                                  {@link MessageCodec#MAX_NESTING_DEPTH}, naming the path
     */
    static void walk(Object root, String rootName, int rootDepth, Visitor visitor) {
        ArrayDeque<Level> levels = new ArrayDeque<>(4);
        Path path = new Path(rootName, levels);
        visit(root, rootDepth, levels, path, visitor);
        while (!levels.isEmpty()) {
            Level level = levels.peek();
            if (!level.iterator.hasNext()) {
                levels.pop();
                visitor.end();
                continue;
            }
            Object element;
            if (level.map) {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) level.iterator.next();
                level.key = null; // so that an error about this key names the map, not the previous entry
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + ": JSON object keys must be strings, got "
                            + describe(entry.getKey()) + " " + entry.getKey() + "; convert the key to a String first");
                }
                level.key = key;
                visitor.key(key, path);
                element = entry.getValue();
            } else {
                level.index++;
                element = level.iterator.next();
            }
            visit(element, level.depth + 1, levels, path, visitor);
        }
    }

    private static void visit(Object value, int depth, ArrayDeque<Level> levels, Path path, Visitor visitor) {
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            if (depth > MessageCodec.MAX_NESTING_DEPTH) {
                throw new IllegalArgumentException(path + ": nested deeper than " + MessageCodec.MAX_NESTING_DEPTH
                        + " levels (the limit of MessageCodec, counting the message object as level 1; "
                        + "a List or Map that contains itself also ends here)");
            }
            if (value instanceof List<?> list) {
                visitor.startList(list, path);
                levels.push(new Level(list.iterator(), false, depth));
            } else {
                Map<?, ?> map = (Map<?, ?>) value;
                visitor.startMap(map, path);
                levels.push(new Level(map.entrySet().iterator(), true, depth));
            }
        } else {
            visitor.value(value, path);
        }
    }

    // ------------------------------------------------------------------------------------------ copying

    /**
     * Copies a list (null means empty) into an unmodifiable list of copied values.
     *
     * @param depth the JSON nesting depth of this list, the message object itself being depth 1
     */
    @SuppressWarnings("unchecked")
    static List<Object> copyList(List<?> list, String path, int depth) {
        return list == null ? List.of() : (List<Object>) copy(list, path, depth);
    }

    /** Copies a map (null means empty) into an unmodifiable, insertion-ordered map of copied values. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copyMap(Map<?, ?> map, String path, int depth) {
        return map == null ? Map.of() : (Map<String, Object>) copy(map, path, depth);
    }

    private static Object copy(Object root, String path, int depth) {
        Copier copier = new Copier();
        walk(root, path, depth, copier);
        return copier.root;
    }

    /** Builds unmodifiable copies; each parent holds the unmodifiable view of a child still being filled. */
    private static final class Copier implements Visitor {
        private final ArrayDeque<Object> open = new ArrayDeque<>(4);
        private String pendingKey;
        Object root;

        @Override
        public void value(Object value, Path path) {
            attach(copyScalar(value, path));
        }

        @Override
        public void startList(List<?> list, Path path) {
            List<Object> copy = new ArrayList<>(list.size());
            attach(Collections.unmodifiableList(copy));
            open.push(copy);
        }

        @Override
        public void startMap(Map<?, ?> map, Path path) {
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
            attach(Collections.unmodifiableMap(copy));
            open.push(copy);
        }

        @Override
        public void key(String key, Path path) {
            pendingKey = key;
        }

        @Override
        public void end() {
            open.pop();
        }

        @SuppressWarnings("unchecked")
        private void attach(Object value) {
            Object parent = open.peek();
            if (parent == null) {
                root = value;
            } else if (parent instanceof List<?> list) {
                ((List<Object>) list).add(value);
            } else {
                ((Map<String, Object>) parent).put(pendingKey, value);
            }
        }
    }

    /**
     * Copies one value that is not a container. Integers are stored in the smallest of Integer, Long and
     * BigInteger that holds them, as the decoder produces them, so that a message equals its own decoded copy.
     */
    private static Object copyScalar(Object value, Path path) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> smallestInteger(l.longValue());
            case Short s -> Integer.valueOf(s);
            case Byte b -> Integer.valueOf(b);
            case BigInteger big -> smallestInteger(big);
            case Double d -> d;
            case BigDecimal decimal -> decimal;
            case Float f -> throw new IllegalArgumentException(path + ": Float is not supported (its binary value "
                    + f + " would not survive as a JSON number); use Double or BigDecimal");
            default -> throw new IllegalArgumentException(path + ": " + value.getClass().getName()
                    + " is not a JSON value; use " + ALLOWED_TYPES
                    + " (convert objects to maps, e.g. with Jackson's ObjectMapper.convertValue)");
        };
    }

    static Number smallestInteger(long value) {
        // Not a conditional expression: that would promote an Integer operand back to Long.
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            return Integer.valueOf((int) value);
        }
        return Long.valueOf(value);
    }

    static Number smallestInteger(BigInteger value) {
        if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
            return smallestInteger(value.longValue());
        }
        return value;
    }

    // ------------------------------------------------------------------------------------------ rendering

    static String child(String path, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return path.isEmpty() ? key : path + "." + key;
        }
        return path + "[" + quote(key) + "]";
    }

    static String index(String path, int index) {
        return path + "[" + index + "]";
    }

    static String quote(String text) {
        return JsonText.quote(text);
    }

    /** Whether the surrogate at {@code i} is half of a valid pair. */
    static boolean isPairedAt(String text, int i) {
        return JsonText.isPairedAt(text, i);
    }

    /** A short description of a value's JSON type, for messages such as "expected a string, got an array". */
    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Integer i -> "an integer";
            case Long l -> "an integer";
            case BigInteger big -> "an integer";
            case Number n -> "a decimal number";
            case List<?> list -> "an array";
            case Map<?, ?> map -> "an object";
            default -> "a " + value.getClass().getName();
        };
    }
}
