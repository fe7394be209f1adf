package dev.supaqueue.console.connection;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.supaqueue.broker.DatabaseUri;

/**
 * What a pasted connection URI puts into the form: the profile fields, the password it carried (for this
 * connect only; it is never written anywhere by this class), how it reaches PostgreSQL, and notes for the user.
 *
 * @param profile     the form's profile with host, port, database, user and SSL mode from the URI
 * @param password    the URI's password, if it had one; the caller clears it when done
 * @param poolerMode  direct, transaction pooler (6543) or session pooler
 * @param notes       plain-words remarks (pooler mode, ignored parameters, where the password goes)
 */
public record PastedUri(ConnectionProfile profile, Optional<char[]> password, PoolerMode poolerMode,
                        List<String> notes) {

    public PastedUri {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(poolerMode, "poolerMode");
        notes = List.copyOf(notes);
    }

    /**
     * Reads a {@code postgresql://} (or {@code postgres://}, {@code jdbc:postgresql://}) URI into the fields of
     * {@code form}. What the URI leaves out keeps the form's value, except that the port and the database take
     * PostgreSQL's defaults (5432, postgres). A Supabase host without {@code sslmode} gets {@code require}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text; never repeating a password
     */
    public static PastedUri parse(String text, ConnectionProfile form) {
        Objects.requireNonNull(form, "form");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Paste a connection URI such as"
                    + " postgresql://postgres:PASSWORD@db.<ref>.supabase.co:5432/postgres");
        }
        DatabaseUri uri;
        try {
            uri = DatabaseUri.parse(text);
        } catch (IllegalArgumentException e) {
            // DatabaseUri's messages never repeat the password; say where the example form is.
            throw new IllegalArgumentException(e.getMessage()
                    + ". Expected postgresql://user:password@host:port/database", null);
        }
        Map<String, String> parameters = new java.util.LinkedHashMap<>(uri.parameters());
        String host = uri.host();
        boolean supabaseHost = isSupabaseHost(host);
        SslMode sslMode = form.sslMode();
        String sslText = parameters.remove("sslmode");
        List<String> notes = new java.util.ArrayList<>();
        if (sslText != null) {
            sslMode = SslMode.fromValue(sslText);
        } else if (supabaseHost && !sslMode.requiresTls()) {
            sslMode = SslMode.REQUIRE;
            notes.add("Supabase host: SSL mode set to 'require' (traffic is encrypted).");
        }
        String user = uri.user() == null || uri.user().isBlank() ? form.user() : uri.user();
        String name = form.name().isBlank() ? suggestName(host, user) : form.name();
        ConnectionProfile profile = new ConnectionProfile(name, host, uri.port(), uri.database(), user,
                form.namespace(), sslMode, form.readOnly(), form.production(), form.colour(), form.passwordPolicy());

        PoolerMode mode = PoolerMode.of(host, uri.port());
        notes.addFirst(mode.explanation());
        if (!parameters.isEmpty()) {
            notes.add("Ignored URI parameters: " + String.join(", ", parameters.keySet()) + ".");
        }
        Optional<char[]> password = Optional.empty();
        if (uri.password() != null && !uri.password().isEmpty()) {
            password = Optional.of(uri.password().toCharArray());
            notes.add("The password from the URI is used for this connection only; it is not saved in the profile.");
        }
        return new PastedUri(profile, password, mode, notes);
    }

    /** Clears the password characters. */
    public void clearPassword() {
        password.ifPresent(chars -> Arrays.fill(chars, '\0'));
    }

    private static boolean isSupabaseHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".supabase.co") || lower.endsWith(".supabase.com");
    }

    /** "Supabase abcd" for a Supabase project ref in the user or host name, otherwise the host. */
    static String suggestName(String host, String user) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (user != null && user.startsWith("postgres.") && user.length() > "postgres.".length()) {
            return "Supabase " + user.substring("postgres.".length());
        }
        if (lower.startsWith("db.") && lower.endsWith(".supabase.co")) {
            return "Supabase " + host.substring(3, host.length() - ".supabase.co".length());
        }
        return host;
    }

    @Override
    public String toString() {
        return "PastedUri[" + profile + ", password " + (password.isPresent() ? "given" : "not given") + ", "
                + poolerMode + "]";
    }
}
