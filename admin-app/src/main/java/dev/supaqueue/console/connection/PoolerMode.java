package dev.supaqueue.console.connection;

/** How a connection reaches PostgreSQL, as far as the host and port tell. */
public enum PoolerMode {

    /** Straight to PostgreSQL. */
    DIRECT("Direct connection to PostgreSQL: everything works, including instant wake-up of workers (LISTEN)."),

    /** Supavisor (or PgBouncer) in transaction mode, Supabase's port 6543. */
    TRANSACTION_POOLER("Port 6543 is Supabase's transaction pooler (Supavisor, transaction mode). It works, but it"
            + " cannot keep a LISTEN open, so workers poll for new messages instead of being woken at once, and"
            + " prepared statements are turned off."),

    /** Supavisor in session mode: port 5432 on a {@code *.pooler.supabase.com} host. */
    SESSION_POOLER("Port 5432 on the Supabase pooler is session mode: each connection keeps its own database"
            + " session, so everything works like a direct connection (including LISTEN), through the pooler's"
            + " IPv4 address.");

    private final String explanation;

    PoolerMode(String explanation) {
        this.explanation = explanation;
    }

    /** What this means for the console and workers, in plain words. */
    public String explanation() {
        return explanation;
    }

    /** The mode for a host and port. */
    public static PoolerMode of(String host, int port) {
        if (port == 6543) {
            return TRANSACTION_POOLER;
        }
        if (host != null && host.toLowerCase(java.util.Locale.ROOT).endsWith(".pooler.supabase.com")) {
            return SESSION_POOLER;
        }
        return DIRECT;
    }
}
