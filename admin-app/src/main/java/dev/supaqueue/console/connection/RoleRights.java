package dev.supaqueue.console.connection;

/** What the logged-in role may do with queues. */
public enum RoleRights {
    /** Usage on schema pgmq and execute on its functions: the console can do everything. */
    FULL_PGMQ("The user can use pgmq: browse, send and manage queues."),
    /** Only Supabase's pgmq_public wrappers: sending works, browsing and managing do not. */
    PUBLIC_ONLY("The user can only use pgmq_public: it can send messages, but cannot browse or manage queues."),
    /** Neither. */
    NONE("The user has no rights on pgmq or pgmq_public: grant USAGE on schema pgmq (or use another user).");

    private final String words;

    RoleRights(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
