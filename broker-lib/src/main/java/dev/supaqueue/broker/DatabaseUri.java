package dev.supaqueue.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A PostgreSQL connection URI as the Supabase dashboard shows it
 * ({@code postgresql://postgres.ref:PASSWORD@aws-0-eu-west-1.pooler.supabase.com:6543/postgres?sslmode=require}),
 * or with a {@code jdbc:} prefix, split into its parts.
 *
 * <p>{@link #toString()} never shows the password.
 */
public record DatabaseUri(String host, int port, String database, String user, String password,
                          Map<String, String> parameters) {

    /** The port of Supabase's transaction-mode pooler (Supavisor or PgBouncer). */
    public static final int TRANSACTION_POOLER_PORT = 6543;

    public DatabaseUri {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, not " + port);
        }
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters == null ? Map.of() : parameters));
    }

    /**
     * Parses {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://} URIs. User and password
     * may be percent-encoded; defaults are port 5432 and database {@code postgres}.
     *
     * @throws IllegalArgumentException naming what is wrong with the URI (the password is never repeated)
     */
    public static DatabaseUri parse(String text) {
        Objects.requireNonNull(text, "uri");
        String trimmed = text.strip();
        String withoutJdbc = trimmed.startsWith("jdbc:") ? trimmed.substring(5) : trimmed;
        String lower = withoutJdbc.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
            throw new IllegalArgumentException("A database URI must start with postgresql:// (or postgres://,"
                    + " jdbc:postgresql://); got one starting with '" + safePrefix(withoutJdbc) + "'");
        }
        URI uri;
        try {
            uri = new URI(withoutJdbc);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a valid database URI (" + e.getReason()
                    + "); percent-encode special characters in the user name and password", null);
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("The database URI has no host name");
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.length() > 1 ? decode(path.substring(1)) : "postgres";
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                parameters.put(key, value);
            }
        }
        // pgjdbc style: user and password as parameters.
        if (user == null && parameters.containsKey("user")) {
            user = parameters.remove("user");
        }
        if (password == null && parameters.containsKey("password")) {
            password = parameters.remove("password");
        }
        return new DatabaseUri(host, port, database, user, password, parameters);
    }

    /**
     * Whether this points at a transaction-mode pooler (port 6543): no server-side prepared statements, no
     * LISTEN/NOTIFY, no session state between transactions.
     */
    public boolean isTransactionPooler() {
        return port == TRANSACTION_POOLER_PORT;
    }

    /** The JDBC URL without user and password (pass those separately), with the other parameters. */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://");
        url.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/')
                .append(encode(database));
        String separator = "?";
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = "&";
        }
        return url.toString();
    }

    @Override
    public String toString() {
        return "DatabaseUri[" + (user == null ? "" : user + (password == null ? "" : ":***") + "@") + host + ":"
                + port + "/" + database + (parameters.isEmpty() ? "" : " " + parameters) + "]";
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String safePrefix(String text) {
        int end = text.indexOf("://");
        String scheme = end < 0 ? text : text.substring(0, end);
        return scheme.length() > 20 ? scheme.substring(0, 20) + "..." : scheme;
    }
}
