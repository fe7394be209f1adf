package dev.supaqueue.pgmq;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what a failed connection or a refused statement means and what to do about it, for messages of
 * {@link PgmqException} and of one-shot connections.
 *
 * <p>A pool that cannot hand out a connection only says that it timed out; the driver's reason (a wrong password,
 * an unknown database, TLS) hides in its cause. {@link #explain(SQLException)} brings that reason up and adds a
 * sentence naming the setting to check. No text added here ever contains a password: the driver's texts do not
 * carry one, and {@link PgmqException} masks anything that looks like one.
 */
public final class SqlFailureHints {

    private static final Pattern POOL_TOTAL = Pattern.compile("total=(\\d+), active=(\\d+)");

    private SqlFailureHints() {
    }

    /**
     * What to add after the failure's own message: the reason the pool's last attempt to connect failed (when the
     * failure is a pool's timeout), then a hint; empty when there is nothing useful to add.
     */
    public static String explain(SQLException failure) {
        List<Throwable> chain = chain(failure);
        StringBuilder text = new StringBuilder();
        SQLException reason = poolTimeout(failure) ? firstSqlCause(chain) : null;
        if (reason != null && reason.getMessage() != null && !reason.getMessage().isBlank()) {
            text.append("; the last attempt to connect failed: ").append(firstLine(reason.getMessage()));
        }
        String hint = hint(failure, chain);
        if (hint != null) {
            String before = text.isEmpty() ? String.valueOf(failure.getMessage()).strip() : text.toString();
            text.append(before.endsWith(".") ? " " : ". ").append(hint);
        }
        return text.toString();
    }

    /** The failure's message followed by {@link #explain}. */
    public static String describe(SQLException failure) {
        String own = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return own + explain(failure);
    }

    private static String hint(SQLException failure, List<Throwable> chain) {
        String state = sqlState(chain);
        if ("28P01".equals(state)) {
            return "The password is wrong for this user: check the password setting (and the user name).";
        }
        if ("28000".equals(state)) {
            return "The server refuses this login: the role may not exist or may not log in, or the server's"
                    + " pg_hba.conf has no entry for this host, user, database and TLS mode.";
        }
        if ("3D000".equals(state)) {
            return "The database does not exist on this server: check the database name (on Supabase it is"
                    + " \"postgres\").";
        }
        if ("42501".equals(state)) {
            return "The role lacks a right on pgmq: GRANT USAGE ON SCHEMA pgmq, EXECUTE on its functions and"
                    + " SELECT, INSERT, UPDATE, DELETE on its tables to the role, or connect as a role that has them"
                    + " (a role that may only send can use the pgmq_public api surface).";
        }
        if (anyMessageContains(chain, "does not support ssl")) {
            return "TLS was required (sslmode=require or stricter) but this server offers no TLS: set sslmode to"
                    + " prefer or disable for it, or turn TLS on at the server.";
        }
        if (has(chain, UnknownHostException.class)) {
            return "The host name cannot be resolved: check the host setting.";
        }
        if (has(chain, ConnectException.class) || anyMessageContains(chain, "refused")) {
            return "Nothing is listening there: check the host and port settings and that PostgreSQL is running.";
        }
        if (has(chain, SocketTimeoutException.class)) {
            return "The server did not answer in time: check the host, the port and any firewall in between.";
        }
        if (poolTimeout(failure) && firstSqlCause(chain) == null) {
            Matcher counts = POOL_TOTAL.matcher(String.valueOf(failure.getMessage()));
            if (counts.find() && counts.group(1).equals(counts.group(2)) && !"0".equals(counts.group(1))) {
                return "All " + counts.group(1) + " connections of the pool were in use for the whole connection"
                        + " timeout: raise max_conn (maxConnections) or the connection timeout, or hold connections"
                        + " for a shorter time.";
            }
            return "No connection became free or could be opened within the connection timeout: raise max_conn"
                    + " (maxConnections) or the connection timeout, or check that the server accepts connections.";
        }
        return null;
    }

    /** HikariCP's "Connection is not available, request timed out" (its cause is the last failure to connect). */
    private static boolean poolTimeout(SQLException failure) {
        return failure instanceof SQLTransientConnectionException && failure.getMessage() != null
                && failure.getMessage().contains("Connection is not available");
    }

    private static List<Throwable> chain(SQLException failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        SQLException next = failure.getNextException();
        if (next != null && !chain.contains(next)) {
            chain.add(next);
        }
        return chain;
    }

    private static SQLException firstSqlCause(List<Throwable> chain) {
        for (Throwable t : chain.subList(1, chain.size())) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String sqlState(List<Throwable> chain) {
        // The driver's state is the most specific; a pool copies it, but may have none.
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (chain.get(i) instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().anyMatch(type::isInstance);
    }

    private static boolean anyMessageContains(List<Throwable> chain, String words) {
        return chain.stream().anyMatch(t -> t.getMessage() != null
                && t.getMessage().toLowerCase(Locale.ROOT).contains(words));
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text).strip();
    }
}
