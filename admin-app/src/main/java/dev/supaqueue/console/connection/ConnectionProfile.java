package dev.supaqueue.console.connection;

import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One database the console can connect to. It never holds a password: that is asked for, or kept by a
 * {@link PasswordVault}, and handed to {@link #toBrokerSettings(char[])} only for the moment of connecting.
 *
 * <p>The record accepts incomplete values so that a form can hold a draft; {@link #problems()} says what is wrong
 * and {@link #requireValid()} refuses a profile with problems.
 *
 * @param name            unique name shown in the list ("Local", "Staging", ...)
 * @param host            database host name or address
 * @param port            TCP port, 1..65535 (6543 on Supabase is the transaction-mode pooler)
 * @param database        database name
 * @param user            role to log in as
 * @param namespace       queue namespace to show; empty for all queues
 * @param sslMode         pgjdbc {@code sslmode}
 * @param readOnly        always open read-only
 * @param production      marks a production database: it opens read-only until the user unlocks it
 * @param colour          colour tag in the list
 * @param passwordPolicy  where the password is kept
 */
public record ConnectionProfile(String name, String host, int port, String database, String user, String namespace,
                                SslMode sslMode, boolean readOnly, boolean production, ColourTag colour,
                                PasswordPolicy passwordPolicy) {

    /** The hosts that count as "this machine" (for the development schema offer). */
    private static final java.util.Set<String> LOCAL_HOSTS = java.util.Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    /** Longest profile name the list shows sensibly. */
    public static final int MAX_NAME_LENGTH = 80;
    /** DNS names have at most 253 characters. */
    public static final int MAX_HOST_LENGTH = 253;
    /** PostgreSQL's NAMEDATALEN - 1. */
    public static final int MAX_IDENTIFIER_LENGTH = 63;
    private static final java.util.regex.Pattern HOST_CHARACTER = java.util.regex.Pattern.compile("[A-Za-z0-9._:%\\[\\]-]");
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    private static final java.util.regex.Pattern IDENTIFIER_CHARACTER = java.util.regex.Pattern.compile("[\\p{L}\\p{N}_.$-]");
    private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("[\\p{L}\\p{N}_.$-]+");

    public ConnectionProfile {
        name = name == null ? "" : name.strip();
        host = host == null ? "" : host.strip();
        database = database == null ? "" : database.strip();
        user = user == null ? "" : user.strip();
        namespace = namespace == null ? "" : namespace.strip();
        sslMode = sslMode == null ? SslMode.PREFER : sslMode;
        colour = colour == null ? ColourTag.GREY : colour;
        passwordPolicy = passwordPolicy == null ? PasswordPolicy.ASK_EACH_TIME : passwordPolicy;
    }

    /** "Local": the PostgreSQL on this machine with the stock postgres/postgres role. */
    public static ConnectionProfile local() {
        return new ConnectionProfile("Local", "127.0.0.1", 5432, "postgres", "postgres", "", SslMode.PREFER,
                false, false, ColourTag.GREEN, PasswordPolicy.ASK_EACH_TIME);
    }

    /** "Supabase CLI": the database {@code supabase start} runs on port 54322. */
    public static ConnectionProfile supabaseCli() {
        return new ConnectionProfile("Supabase CLI", "127.0.0.1", 54322, "postgres", "postgres", "",
                SslMode.PREFER, false, false, ColourTag.BLUE, PasswordPolicy.ASK_EACH_TIME);
    }

    /** What is wrong, per field, in words a user can act on; empty when the profile is usable. */
    public Map<ProfileField, String> problems() {
        Map<ProfileField, String> problems = new EnumMap<>(ProfileField.class);
        if (name.isEmpty()) {
            problems.put(ProfileField.NAME, "Give the profile a name.");
        } else if (name.length() > MAX_NAME_LENGTH) {
            problems.put(ProfileField.NAME, "The profile name is too long: " + name.length() + " characters, at most "
                    + MAX_NAME_LENGTH + ".");
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            problems.put(ProfileField.NAME, "The profile name cannot contain control characters (tabs, line breaks).");
        }
        if (host.isEmpty()) {
            problems.put(ProfileField.HOST, "Enter the database host, e.g. 127.0.0.1 or db.<ref>.supabase.co.");
        } else if (host.chars().anyMatch(Character::isWhitespace)) {
            problems.put(ProfileField.HOST, "A host name cannot contain spaces.");
        } else if (host.length() > MAX_HOST_LENGTH) {
            problems.put(ProfileField.HOST, "The host name is too long: " + host.length() + " characters, at most "
                    + MAX_HOST_LENGTH + ".");
        } else if (!HOST.matcher(host).matches()) {
            // '/', '?', '@' or '#' in a host would change the JDBC URL it ends up in: refuse them here.
            problems.put(ProfileField.HOST, "The host " + quoteCharacter(host, HOST_CHARACTER)
                    + "; a host is a name such as db.<ref>.supabase.co or an address such as 127.0.0.1 or ::1.");
        }
        String portProblem = portProblem(port);
        if (portProblem != null) {
            problems.put(ProfileField.PORT, portProblem);
        }
        if (database.isEmpty()) {
            problems.put(ProfileField.DATABASE, "Enter the database name (on Supabase: postgres).");
        } else {
            String problem = identifierProblem("database name", database);
            if (problem != null) {
                problems.put(ProfileField.DATABASE, problem);
            }
        }
        if (user.isEmpty()) {
            problems.put(ProfileField.USER, "Enter the user (role) to log in as.");
        } else {
            String problem = identifierProblem("user name", user);
            if (problem != null) {
                problems.put(ProfileField.USER, problem);
            }
        }
        try {
            QueueNames.validateNamespace(namespace);
        } catch (IllegalArgumentException e) {
            problems.put(ProfileField.NAMESPACE, e.getMessage());
        }
        return problems;
    }

    /**
     * PostgreSQL allows nearly anything in a quoted name, but names with quotes, semicolons or markup are typos or
     * pasted text far more often than real names: the console takes letters, digits and {@code _ . - $}.
     */
    private static String identifierProblem(String what, String value) {
        if (value.length() > MAX_IDENTIFIER_LENGTH) {
            return "The " + what + " is too long: " + value.length() + " characters; PostgreSQL keeps at most "
                    + MAX_IDENTIFIER_LENGTH + ".";
        }
        if (!IDENTIFIER.matcher(value).matches()) {
            return "The " + what + " " + quoteCharacter(value, IDENTIFIER_CHARACTER)
                    + "; use letters, digits and _ . - $ (Supabase: postgres, or postgres.<ref> for the pooler).";
        }
        return null;
    }

    /** "contains ';' (at position 3)", naming the first character the pattern refuses. */
    private static String quoteCharacter(String value, java.util.regex.Pattern allowed) {
        int index = 0;
        while (index < value.length()) {
            int codePoint = value.codePointAt(index);
            if (!allowed.matcher(new String(Character.toChars(codePoint))).matches()) {
                String shown = Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                        ? String.format("U+%04X", codePoint) : "'" + new String(Character.toChars(codePoint)) + "'";
                return "contains " + shown + " (at position " + (index + 1) + "), which it cannot contain";
            }
            index += Character.charCount(codePoint);
        }
        return "is not valid";
    }

    /** The problem with a port number, or null when it is between 1 and 65535. */
    public static String portProblem(int port) {
        return port < 1 || port > 65535 ? "The port must be between 1 and 65535 (PostgreSQL: 5432)." : null;
    }

    /**
     * The problems of this profile, plus a name clash with {@code otherNames} (the other profiles' names;
     * names are compared ignoring case).
     */
    public Map<ProfileField, String> problems(Collection<String> otherNames) {
        Map<ProfileField, String> problems = problems();
        if (!name.isEmpty() && otherNames.stream().anyMatch(other -> sameName(other, name))) {
            problems.put(ProfileField.NAME, "Another profile is already named '" + name + "'.");
        }
        return problems;
    }

    /**
     * This profile, if it has no problems.
     *
     * @throws IllegalArgumentException listing every problem
     */
    public ConnectionProfile requireValid() {
        Map<ProfileField, String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Profile '" + name + "' is not usable: "
                    + problems.values().stream().collect(Collectors.joining(" ")));
        }
        return this;
    }

    /** Whether two profile names count as the same (case-insensitive). */
    public static boolean sameName(String a, String b) {
        return a.strip().toLowerCase(Locale.ROOT).equals(b.strip().toLowerCase(Locale.ROOT));
    }

    /** Whether the host is this machine (127.0.0.1, localhost or ::1). */
    public boolean isLocalHost() {
        return LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Whether the console opens this profile read-only unless the user unlocks it or it is marked read-only. */
    public boolean opensReadOnly() {
        return readOnly || production;
    }

    /** Where this profile points, for messages: {@code user@host:port/database}. Never a password. */
    public String target() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    public ConnectionProfile withName(String newName) {
        return new ConnectionProfile(newName, host, port, database, user, namespace, sslMode, readOnly, production,
                colour, passwordPolicy);
    }

    /**
     * Broker settings for this profile with the password for this connect ({@code null} or empty: none sent).
     * The SSL mode becomes the {@code sslmode} driver option; the namespace becomes the broker's namespace.
     *
     * @throws IllegalArgumentException if the profile has problems
     */
    public SupabaseBrokerSettings toBrokerSettings(char[] password) {
        requireValid();
        return SupabaseBrokerSettings.builder()
                .host(host)
                .port(port)
                .database(database)
                .user(user)
                .password(password == null || password.length == 0 ? null : new String(password))
                .namespace(namespace)
                .driverOption("sslmode", sslMode.value())
                .build();
    }

    /** Without the enum noise; there is nothing secret in a profile. */
    @Override
    public String toString() {
        return "ConnectionProfile[" + name + ": " + target() + ", sslmode=" + sslMode
                + (namespace.isEmpty() ? "" : ", namespace=" + namespace)
                + (readOnly ? ", read-only" : "") + (production ? ", production" : "") + "]";
    }
}
