package dev.supaqueue.pgmq;

import dev.supaqueue.message.JsonText;
import java.nio.charset.StandardCharsets;

/**
 * pgmq's own rules for queue names, checked on the client so that a bad name fails before any SQL runs and
 * with a message that names the broken rule.
 *
 * <p>These are pgmq's rules only: at most {@value #MAX_LENGTH} characters and none of {@code $ ; -- '}, plus
 * what any PostgreSQL text needs: no NUL character and valid Unicode (no unpaired surrogate).
 * pgmq quotes every other name, so upper case, hyphens and dots are allowed here (Supaqueue's stricter
 * naming lives in {@code dev.supaqueue.broker.QueueNames}).
 */
public final class PgmqQueueName {

    /**
     * 63 (PostgreSQL's identifier limit) minus the 16 characters of pg_partman's {@code template_pgmq_q_}
     * prefix; pgmq's {@code validate_queue_name} enforces the same number.
     */
    public static final int MAX_LENGTH = 47;

    private static final String[] FORBIDDEN = {"$", ";", "--", "'"};

    private PgmqQueueName() {
    }

    /**
     * Returns the name unchanged when pgmq would accept it.
     *
     * @throws IllegalArgumentException naming the rule the name breaks
     */
    public static String validate(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    /**
     * As {@link #validate}, for a queue about to be created: also at most {@value #MAX_LENGTH} bytes in UTF-8.
     * PostgreSQL cuts identifiers at 63 bytes, not characters, and pgmq puts up to 16 bytes before the name in its
     * table and index names; a longer name would be cut, and two queues whose names start alike would share their
     * tables (each would see the other's messages). Existing queues are not held to this, so they stay reachable.
     *
     * @throws IllegalArgumentException naming the rule the name breaks
     */
    public static String validateNew(String name) {
        validate(name);
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_LENGTH) {
            throw new IllegalArgumentException("pgmq queue name must be at most " + MAX_LENGTH + " bytes in UTF-8 to"
                    + " be created, but " + JsonText.quote(name) + " has " + bytes + " (PostgreSQL cuts table names"
                    + " at 63 bytes, so queues with longer names could share tables); use a shorter name or fewer"
                    + " non-ASCII characters");
        }
        return name;
    }

    /** Whether pgmq would accept the name. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    /** The rule the name breaks, in words, or null when it is valid. */
    static String problem(String name) {
        if (name == null) {
            return "pgmq queue name must not be null";
        }
        if (name.isEmpty()) {
            return "pgmq queue name must not be empty";
        }
        // Shown quoted on one line, control characters escaped, so a hostile name cannot forge log lines.
        String shown = JsonText.quote(name);
        // pgmq counts characters (length() in SQL), not UTF-16 units.
        int length = name.codePointCount(0, name.length());
        if (length > MAX_LENGTH) {
            return "pgmq queue name must be at most " + MAX_LENGTH + " characters, but " + shown + " has "
                    + length;
        }
        for (String forbidden : FORBIDDEN) {
            if (name.contains(forbidden)) {
                return "pgmq queue name must not contain " + forbidden + " (pgmq rejects $, ;, -- and '), but got "
                        + shown;
            }
        }
        int nul = name.indexOf('\0');
        if (nul >= 0) {
            return "pgmq queue name must not contain the NUL character (U+0000, at index " + nul + "), which"
                    + " PostgreSQL text cannot hold, but got " + shown;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // The driver would send it as '?': the queue would silently get another name.
                return "pgmq queue name must be valid Unicode, but " + shown + " has an unpaired surrogate"
                        + String.format(" U+%04X", (int) c) + " at index " + i + ", which UTF-8 cannot encode";
            }
        }
        return null;
    }
}
