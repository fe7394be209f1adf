package dev.supaqueue.broker;

import dev.supaqueue.message.JsonText;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Dramatiq queue names map to pgmq queues: queue {@code q} in namespace {@code ns} is the pgmq queue
 * {@code ns_q}, and its dead-letter queue is {@code ns_q_xq}; with the empty namespace they are {@code q} and
 * {@code q_xq}.
 *
 * <p>The rules, checked and never silently repaired (a bad name is an {@link IllegalArgumentException} naming
 * the rule, the name and a fix):
 * <ul>
 *   <li>a queue name matches {@code [a-z_][a-z0-9_]*}: pgmq folds table names to lowercase (so {@code Jobs} and
 *       {@code jobs} would share tables) and anything but letters, digits and underscores needs quoting in
 *       SQL or is refused by pgmq ({@code $ ; -- '});</li>
 *   <li>a namespace is empty (no prefix) or matches {@code [a-z][a-z0-9_]*};</li>
 *   <li>a queue name is not {@code xq} and does not end in {@code _xq}: those are reserved for dead-letter queues,
 *       which keeps {@link #isDeadLetter(String)} unambiguous;</li>
 *   <li>the dead-letter queue's pgmq name, the longest of the pair, has at most {@value #MAX_PGMQ_NAME_LENGTH}
 *       characters (pgmq's limit), so every queue always has room for its dead-letter queue.</li>
 * </ul>
 *
 * <p>Dramatiq's Python helpers for its {@code .DQ} (delay) and {@code .XQ} (dead-letter) names are here too, since
 * a Python producer may send {@code "queue_name": "default.DQ"}; pgmq has neither (delays are native and the
 * dead-letter queue is {@code _xq}), so the broker maps such names with {@link #canonicalQueueName(String)} first.
 */
public final class QueueNames {

    /** pgmq's limit on a queue name: its partition template table name must fit PostgreSQL's 63 characters. */
    public static final int MAX_PGMQ_NAME_LENGTH = 47;

    /** The suffix of a dead-letter queue's pgmq name. */
    public static final String DEAD_LETTER_SUFFIX = "_xq";

    /** Between the namespace and the queue name. */
    public static final String NAMESPACE_SEPARATOR = "_";

    /** Dramatiq's suffix for a queue's delay queue. */
    public static final String DRAMATIQ_DELAY_SUFFIX = ".DQ";

    /** Dramatiq's suffix for a queue's dead-letter queue. */
    public static final String DRAMATIQ_DEAD_LETTER_SUFFIX = ".XQ";

    /** The longest namespace that leaves room for a one-character queue and the dead-letter suffix. */
    public static final int MAX_NAMESPACE_LENGTH =
            MAX_PGMQ_NAME_LENGTH - NAMESPACE_SEPARATOR.length() - 1 - DEAD_LETTER_SUFFIX.length();

    private static final Pattern QUEUE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9_]*");

    private static final String ALLOWED_CHARACTERS = "may contain only lowercase letters a-z, digits 0-9 and"
            + " underscores";

    /**
     * A pgmq queue name read back as a Dramatiq queue.
     *
     * @param queue      the Dramatiq queue name, without namespace or dead-letter suffix
     * @param deadLetter whether the pgmq queue is that queue's dead-letter queue
     */
    public record Parsed(String queue, boolean deadLetter) {
        public Parsed {
            Objects.requireNonNull(queue, "queue must not be null");
        }
    }

    private QueueNames() {
    }

    /**
     * Checks a Dramatiq queue name on its own (with the empty namespace).
     *
     * @return the name, unchanged
     * @throws IllegalArgumentException naming the rule broken, the name, and a fix
     */
    public static String validateQueueName(String queue) {
        String problem = queueProblem("", queue);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return queue;
    }

    /**
     * Checks a namespace: empty (no prefix) or {@code [a-z][a-z0-9_]*}, at most {@value #MAX_NAMESPACE_LENGTH}
     * characters.
     *
     * @return the namespace, unchanged
     * @throws IllegalArgumentException naming the rule broken, the namespace, and a fix
     */
    public static String validateNamespace(String namespace) {
        String problem = namespaceProblem(namespace);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return namespace;
    }

    /**
     * The pgmq queue of a Dramatiq queue: {@code <namespace>_<queue>}, or {@code <queue>} for the empty namespace.
     *
     * @throws IllegalArgumentException if the namespace or the queue name breaks a rule, or the pair is too long
     *                                  for its dead-letter queue to fit pgmq's limit
     */
    public static String pgmqName(String namespace, String queue) {
        validateNamespace(namespace);
        String problem = queueProblem(namespace, queue);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return prefix(namespace) + queue;
    }

    /** The pgmq dead-letter queue of a Dramatiq queue: {@code <namespace>_<queue>_xq}, as {@link #pgmqName}. */
    public static String deadLetterName(String namespace, String queue) {
        return pgmqName(namespace, queue) + DEAD_LETTER_SUFFIX;
    }

    /**
     * Whether a pgmq queue name is a dead-letter queue's. Exact for names made by this class, since queue names
     * may not end in {@code _xq} nor be {@code xq}; a foreign name that merely ends in {@code _xq} also counts.
     */
    public static boolean isDeadLetter(String pgmqName) {
        return pgmqName != null && pgmqName.length() > DEAD_LETTER_SUFFIX.length()
                && pgmqName.endsWith(DEAD_LETTER_SUFFIX);
    }

    /**
     * Reads a pgmq queue name back as a Dramatiq queue of {@code namespace}: present exactly when
     * {@link #pgmqName} or {@link #deadLetterName} of that namespace makes {@code pgmqName} from a valid queue
     * name. Other pgmq queues (other namespaces, foreign or invalid names, null) give empty. The empty namespace
     * claims every valid name.
     *
     * @throws IllegalArgumentException if the namespace itself is invalid
     */
    public static Optional<Parsed> parse(String namespace, String pgmqName) {
        validateNamespace(namespace);
        if (pgmqName == null || !pgmqName.startsWith(prefix(namespace))) {
            return Optional.empty();
        }
        String rest = pgmqName.substring(prefix(namespace).length());
        if (rest.endsWith(DEAD_LETTER_SUFFIX)) {
            String queue = rest.substring(0, rest.length() - DEAD_LETTER_SUFFIX.length());
            // rest itself is reserved, so it can only be a dead-letter queue.
            return queueProblem(namespace, queue) == null ? Optional.of(new Parsed(queue, true)) : Optional.empty();
        }
        return queueProblem(namespace, rest) == null ? Optional.of(new Parsed(rest, false)) : Optional.empty();
    }

    // ------------------------------------------------------------ Dramatiq's .DQ / .XQ names

    /** Dramatiq's {@code q_name}: the canonical name, without a {@code .DQ} or {@code .XQ} suffix. */
    public static String canonicalQueueName(String queueName) {
        Objects.requireNonNull(queueName, "queueName must not be null");
        if (queueName.endsWith(DRAMATIQ_DELAY_SUFFIX) || queueName.endsWith(DRAMATIQ_DEAD_LETTER_SUFFIX)) {
            return queueName.substring(0, queueName.length() - DRAMATIQ_DELAY_SUFFIX.length());
        }
        return queueName;
    }

    /** Dramatiq's {@code q_name}; the same as {@link #canonicalQueueName(String)}. */
    public static String qName(String queueName) {
        return canonicalQueueName(queueName);
    }

    /** Dramatiq's {@code dq_name}: the delay queue's name, {@code <canonical>.DQ}. */
    public static String dqName(String queueName) {
        Objects.requireNonNull(queueName, "queueName must not be null");
        return queueName.endsWith(DRAMATIQ_DELAY_SUFFIX) ? queueName
                : canonicalQueueName(queueName) + DRAMATIQ_DELAY_SUFFIX;
    }

    /** Dramatiq's {@code xq_name}: the dead-letter queue's name, {@code <canonical>.XQ} (never {@code x.DQ.XQ}). */
    public static String xqName(String queueName) {
        Objects.requireNonNull(queueName, "queueName must not be null");
        return queueName.endsWith(DRAMATIQ_DEAD_LETTER_SUFFIX) ? queueName
                : canonicalQueueName(queueName) + DRAMATIQ_DEAD_LETTER_SUFFIX;
    }

    // ------------------------------------------------------------ rules

    private static String prefix(String namespace) {
        return namespace.isEmpty() ? "" : namespace + NAMESPACE_SEPARATOR;
    }

    /** The problem with a queue name in a (valid) namespace, or null when there is none. */
    private static String queueProblem(String namespace, String queue) {
        if (queue == null) {
            return "Invalid queue name: must not be null; pass a name such as \"default\"";
        }
        if (queue.isEmpty()) {
            return "Invalid queue name \"\": must not be empty; pass a name such as \"default\"";
        }
        if (!QUEUE_NAME.matcher(queue).matches()) {
            int bad = firstOffending(queue);
            if (bad < 0) {
                return "Invalid queue name " + quote(queue) + ": must start with a lowercase letter or an underscore,"
                        + " not " + describeCharAt(queue, 0) + "; rename it, e.g. to " + quote("q_" + queue);
            }
            String hint;
            String canonical = canonicalQueueName(queue);
            if (!canonical.equals(queue) && queueProblem(namespace, canonical) == null) {
                hint = "; this is Dramatiq's " + (queue.endsWith(DRAMATIQ_DELAY_SUFFIX) ? "delay" : "dead-letter")
                        + " queue name: map " + quote(canonical) + " instead (QueueNames.canonicalQueueName)";
            } else {
                hint = suggestion(queue, true);
            }
            return "Invalid queue name " + quote(queue) + ": " + describeCharAt(queue, bad) + " at index " + bad
                    + "; queue names " + ALLOWED_CHARACTERS + " (pgmq folds table names to lowercase and refuses"
                    + " or needs quoting for other characters)" + hint;
        }
        if (queue.equals("xq") || queue.endsWith(DEAD_LETTER_SUFFIX)) {
            String hint = queue.length() > DEAD_LETTER_SUFFIX.length()
                    ? "; the dead-letter queue of " + quote(queue.substring(0, queue.length() - 3))
                    + " is managed by the broker (QueueNames.deadLetterName), or choose another name"
                    : "; choose another name";
            return "Invalid queue name " + quote(queue) + ": \"xq\" and names ending in \"" + DEAD_LETTER_SUFFIX
                    + "\" are reserved for dead-letter queues (the reserved dead-letter suffix)" + hint;
        }
        String full = prefix(namespace) + queue + DEAD_LETTER_SUFFIX;
        if (full.length() > MAX_PGMQ_NAME_LENGTH) {
            int excess = full.length() - MAX_PGMQ_NAME_LENGTH;
            return "Invalid queue name " + quote(queue) + (namespace.isEmpty() ? "" : " in namespace " + quote(namespace))
                    + ": too long; its dead-letter queue " + quote(full) + " would have " + full.length()
                    + " characters and pgmq allows at most " + MAX_PGMQ_NAME_LENGTH + " (counting the namespace, "
                    + "the separator and the \"" + DEAD_LETTER_SUFFIX + "\" suffix); shorten the queue name by "
                    + excess + " character" + (excess == 1 ? "" : "s")
                    + (namespace.isEmpty() ? "" : " or use a shorter namespace");
        }
        return null;
    }

    private static String namespaceProblem(String namespace) {
        if (namespace == null) {
            return "Invalid namespace: must not be null; pass \"\" for no prefix or a name such as \"app\"";
        }
        if (namespace.isEmpty()) {
            return null;
        }
        if (!NAMESPACE.matcher(namespace).matches()) {
            int bad = firstOffending(namespace);
            if (bad < 0) {
                return "Invalid namespace " + quote(namespace) + ": must start with a lowercase letter, not "
                        + describeCharAt(namespace, 0) + "; rename it, e.g. to " + quote("ns" + namespace);
            }
            return "Invalid namespace " + quote(namespace) + ": " + describeCharAt(namespace, bad) + " at index " + bad
                    + "; namespaces " + ALLOWED_CHARACTERS + suggestion(namespace, false);
        }
        if (namespace.length() > MAX_NAMESPACE_LENGTH) {
            return "Invalid namespace " + quote(namespace) + ": too long; " + namespace.length() + " characters leave no room"
                    + " for a queue name and the \"" + DEAD_LETTER_SUFFIX + "\" suffix within pgmq's "
                    + MAX_PGMQ_NAME_LENGTH + "-character limit; use at most " + MAX_NAMESPACE_LENGTH
                    + " characters (fewer leaves longer queue names)";
        }
        return null;
    }

    /**
     * The index of the first character outside {@code [a-z0-9_]}, or -1 if there is none (then only the first
     * character's kind is wrong).
     */
    private static int firstOffending(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
            if (!allowed) {
                return i;
            }
        }
        return -1;
    }

    private static String describeCharAt(String name, int index) {
        int codePoint = name.codePointAt(index);
        String unicode = String.format("U+%04X", codePoint);
        if (codePoint >= 'A' && codePoint <= 'Z') {
            return "uppercase letter '" + (char) codePoint + "' (" + unicode + ")";
        }
        if (codePoint >= '0' && codePoint <= '9') {
            return "digit '" + (char) codePoint + "'";
        }
        if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                || Character.isSurrogate(name.charAt(index)) && !Character.isSupplementaryCodePoint(codePoint)
                || Character.getType(codePoint) == Character.FORMAT) {
            return "character " + unicode;
        }
        return "character '" + new String(Character.toChars(codePoint)) + "' (" + unicode + ")";
    }

    /**
     * A suggested valid spelling: ASCII letters lowercased and any other disallowed character replaced by an
     * underscore. Only offered as a hint; the name is never rewritten.
     */
    private static String suggestion(String name, boolean queue) {
        StringBuilder out = new StringBuilder(name.length());
        int replaced = 0;
        for (int i = 0; i < name.length(); i += Character.charCount(name.codePointAt(i))) {
            int cp = name.codePointAt(i);
            if (cp >= 'A' && cp <= 'Z') {
                out.append((char) (cp + ('a' - 'A')));
            } else if (cp >= 'a' && cp <= 'z' || cp >= '0' && cp <= '9' || cp == '_') {
                out.append((char) cp);
            } else {
                out.append('_');
                replaced++;
            }
        }
        String candidate = out.toString();
        // A name with many odd characters (an injection attempt, a sentence) gets no mangled proposal.
        boolean valid = replaced <= 2 && (queue
                ? QUEUE_NAME.matcher(candidate).matches() && !candidate.equals("xq")
                  && !candidate.endsWith(DEAD_LETTER_SUFFIX)
                : NAMESPACE.matcher(candidate).matches());
        return valid ? "; rename it, e.g. to " + quote(candidate) : "; rename it";
    }

    /** The name in double quotes on one line, with control and invisible characters escaped. */
    private static String quote(String name) {
        return JsonText.quote(name);
    }
}
