package dev.supaqueue.pgmq;

/**
 * pgmq's own rules for queue names, checked on the client so that a bad name fails before any SQL runs and
 * with a message that names the broken rule.
 *
 * <p>These are pgmq's rules only: at most {@value #MAX_LENGTH} characters and none of {@code $ ; -- '}.
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
        // pgmq counts characters (length() in SQL), not UTF-16 units.
        int length = name.codePointCount(0, name.length());
        if (length > MAX_LENGTH) {
            return "pgmq queue name must be at most " + MAX_LENGTH + " characters, but \"" + name + "\" has "
                    + length;
        }
        for (String forbidden : FORBIDDEN) {
            if (name.contains(forbidden)) {
                return "pgmq queue name must not contain " + forbidden + " (pgmq rejects $, ;, -- and '), but got \""
                        + name + "\"";
            }
        }
        return null;
    }
}
