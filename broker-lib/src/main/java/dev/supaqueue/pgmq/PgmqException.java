package dev.supaqueue.pgmq;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * A pgmq call failed in the database or on the way to it. Unchecked; carries the operation, the queue (when
 * there is one) and the SQLState, and keeps the driver's exception as the cause.
 */
public class PgmqException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    // Driver messages may quote a connection URL; mask anything that looks like a password in one.
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;\\s]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@\\s]+:)[^@/\\s]*@");

    private final String operation;
    private final String queue;
    private final String sqlState;

    public PgmqException(String operation, String queue, SQLException cause) {
        super(describe(operation, queue, cause.getSQLState(), SqlFailureHints.describe(cause)), cause);
        this.operation = operation;
        this.queue = queue;
        this.sqlState = cause.getSQLState();
    }

    public PgmqException(String operation, String queue, String message) {
        super(describe(operation, queue, null, message));
        this.operation = operation;
        this.queue = queue;
        this.sqlState = null;
    }

    /** The client operation, e.g. {@code "send"} or {@code "dropQueue"}. */
    public String operation() {
        return operation;
    }

    /** The queue the operation was about, or null. */
    public String queue() {
        return queue;
    }

    /** PostgreSQL's SQLState (e.g. {@code 42P01} for a missing queue table), or null. */
    public String sqlState() {
        return sqlState;
    }

    /**
     * Whether the connection failed rather than the statement (class 08, or the server shutting down), so a
     * retry on a fresh connection may succeed.
     */
    public boolean isConnectionFailure() {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
    }

    private static String describe(String operation, String queue, String sqlState, String detail) {
        StringBuilder text = new StringBuilder("pgmq ").append(operation);
        if (queue != null) {
            text.append(" on queue \"").append(queue).append('"');
        }
        text.append(" failed");
        if (sqlState != null) {
            text.append(" [SQLState ").append(sqlState).append(']');
        }
        if (detail != null && !detail.isBlank()) {
            text.append(": ").append(withoutPasswords(detail));
        }
        return text.toString();
    }

    static String withoutPasswords(String text) {
        String masked = PASSWORD_PARAMETER.matcher(text).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(masked).replaceAll("$1***@");
    }
}
