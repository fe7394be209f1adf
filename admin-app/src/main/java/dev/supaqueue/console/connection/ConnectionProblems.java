package dev.supaqueue.console.connection;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns a failure to connect or to query into one sentence a user can act on, naming the host and port (and
 * user or database where that is the cause). Messages never contain a password: the known one is masked, and
 * so is anything that looks like {@code password=...} or {@code user:secret@} in a driver's text.
 */
public final class ConnectionProblems {

    private static final Pattern PASSWORD_SETTING = Pattern.compile("(?i)(password\\s*[=:]\\s*)[^\\s&,;]+");
    private static final Pattern URI_CREDENTIALS = Pattern.compile("(://[^:/@\\s]+):[^@\\s]*@");

    private ConnectionProblems() {
    }

    /** The problem in plain words, for a failure while using {@code profile}. */
    public static String describe(Throwable failure, ConnectionProfile profile) {
        return describe(failure, profile, null);
    }

    /**
     * The problem in plain words; {@code password} (may be null) is masked wherever a driver's text would repeat
     * it.
     */
    public static String describe(Throwable failure, ConnectionProfile profile, char[] password) {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(profile, "profile");
        String where = profile.host() + ":" + profile.port();
        List<Throwable> chain = chain(failure);

        String state = sqlState(chain);
        if ("28P01".equals(state) || "28000".equals(state)) {
            return "Authentication failed for user '" + profile.user() + "' at " + where
                    + ": the password is wrong, or this user may not log in from here.";
        }
        if ("3D000".equals(state)) {
            return "The database '" + profile.database() + "' does not exist on " + where
                    + ". Check the database name (on Supabase it is 'postgres').";
        }
        if ("42501".equals(state) && anyMessageContains(chain, "pgmq")) {
            return "User '" + profile.user() + "' has no rights on pgmq in database '" + profile.database() + "' on "
                    + where + " (" + mask(serverText(chain), password) + "): grant it USAGE on schema pgmq and"
                    + " EXECUTE on its functions, or connect as another user.";
        }
        if ("42501".equals(state)) {
            return "Permission denied at " + where + ": user '" + profile.user()
                    + "' lacks a right this needs (" + mask(serverText(chain), password) + ").";
        }
        if (mentionsMissingPgmq(state, chain)) {
            return "pgmq is missing in database '" + profile.database() + "' on " + where
                    + ": enable the pgmq extension (Supabase: Integrations > Queues) or install it.";
        }
        if ("57014".equals(state) || has(chain, SQLTimeoutException.class) || has(chain, SocketTimeoutException.class)) {
            return "Timeout: " + where + " did not answer in time. Check the host, the port and any firewall"
                    + " or VPN in between.";
        }
        if (anyMessageContains(chain, "does not support ssl")) {
            return "TLS required but unavailable: " + where + " does not offer TLS, and SSL mode '"
                    + profile.sslMode().value() + "' insists on it. Choose 'prefer' or 'disable' for a server"
                    + " without TLS.";
        }
        if (has(chain, SSLException.class)) {
            return "The TLS handshake with " + where + " failed (SSL mode '" + profile.sslMode().value()
                    + "'): " + mask(find(chain, SSLException.class).getMessage(), password)
                    + ". With verify-ca or verify-full the server's certificate must be trusted.";
        }
        if (has(chain, UnknownHostException.class)) {
            return "Unknown host '" + profile.host() + "': the name cannot be resolved. Check its spelling"
                    + " and your network.";
        }
        if (has(chain, NoRouteToHostException.class)) {
            return "Host unreachable: there is no network route to " + where + ".";
        }
        if (has(chain, ConnectException.class)) {
            return "Connection refused by " + where + ": nothing is listening on that port. Is PostgreSQL"
                    + " running, and is the port right?";
        }
        return "Could not use " + profile.database() + " at " + where + ": "
                + mask(rootMessage(chain), password);
    }

    /** {@code text} with the password and anything that looks like one replaced by {@code ***}. */
    static String mask(String text, char[] password) {
        if (text == null) {
            return "";
        }
        String masked = text;
        if (password != null && password.length > 0) {
            masked = masked.replace(new String(password), "***");
        }
        masked = URI_CREDENTIALS.matcher(masked).replaceAll(match -> Matcher.quoteReplacement(match.group(1)) + ":***@");
        return PASSWORD_SETTING.matcher(masked).replaceAll("$1***");
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /**
     * The SQLState that says what went wrong: a pool or driver may wrap the server's error (28P01, 3D000, ...) in
     * a generic connection failure (08xxx), so a specific state anywhere in the chain wins over the outer one.
     */
    private static String sqlState(List<Throwable> chain) {
        String first = null;
        for (Throwable t : chain) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                if (!sql.getSQLState().startsWith("08")) {
                    return sql.getSQLState();
                }
                if (first == null) {
                    first = sql.getSQLState();
                }
            }
        }
        return first;
    }

    private static boolean mentionsMissingPgmq(String state, List<Throwable> chain) {
        boolean undefined = "3F000".equals(state) || "42883".equals(state) || "42P01".equals(state);
        return undefined && anyMessageContains(chain, "pgmq");
    }

    private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
        return find(chain, type) != null;
    }

    private static Throwable find(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().filter(type::isInstance).findFirst().orElse(null);
    }

    private static boolean anyMessageContains(List<Throwable> chain, String words) {
        return chain.stream().anyMatch(t -> t.getMessage() != null
                && t.getMessage().toLowerCase(Locale.ROOT).contains(words));
    }

    /** The first line of the first SQL error's message: the server's own words. */
    private static String serverText(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof SQLException && t.getMessage() != null) {
                return t.getMessage().lines().findFirst().orElse("").replaceFirst("^ERROR:\\s*", "");
            }
        }
        return rootMessage(chain);
    }

    private static String rootMessage(List<Throwable> chain) {
        Throwable root = chain.getLast();
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }
}
