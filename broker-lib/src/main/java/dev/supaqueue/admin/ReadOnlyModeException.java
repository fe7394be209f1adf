package dev.supaqueue.admin;

/**
 * A change was asked of a read-only {@link QueueAdmin}. Thrown before anything reaches the database, so nothing
 * was changed.
 */
public class ReadOnlyModeException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String action;

    public ReadOnlyModeException(String action, String queue) {
        super("Refused to " + action + (queue == null ? "" : " on queue \"" + queue + "\"")
                + ": this connection is read-only (AdminOptions.readOnly); nothing was changed."
                + " Open it without read-only mode to make changes");
        this.action = action;
    }

    /** The refused action, e.g. {@code "purge"}. */
    public String action() {
        return action;
    }
}
