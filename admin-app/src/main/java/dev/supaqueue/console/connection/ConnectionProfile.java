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
        }
        if (host.isEmpty()) {
            problems.put(ProfileField.HOST, "Enter the database host, e.g. 127.0.0.1 or db.<ref>.supabase.co.");
        } else if (host.chars().anyMatch(Character::isWhitespace)) {
            problems.put(ProfileField.HOST, "A host name cannot contain spaces.");
        }
        String portProblem = portProblem(port);
        if (portProblem != null) {
            problems.put(ProfileField.PORT, portProblem);
        }
        if (database.isEmpty()) {
            problems.put(ProfileField.DATABASE, "Enter the database name (on Supabase: postgres).");
        }
        if (user.isEmpty()) {
            problems.put(ProfileField.USER, "Enter the user (role) to log in as.");
        }
        try {
            QueueNames.validateNamespace(namespace);
        } catch (IllegalArgumentException e) {
            problems.put(ProfileField.NAMESPACE, e.getMessage());
        }
        return problems;
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
