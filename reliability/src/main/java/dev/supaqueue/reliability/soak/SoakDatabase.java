package dev.supaqueue.reliability.soak;

import dev.supaqueue.broker.ConnectionPools;
import dev.supaqueue.broker.DatabaseUri;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqFlavour;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqInstaller;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Finds the soak's database: the given URL, else {@code $SUPAQUEUE_SOAK_JDBC_URL}, else a local one it creates. */
final class SoakDatabase {

    static final String ENVIRONMENT_VARIABLE = "SUPAQUEUE_SOAK_JDBC_URL";
    static final String LOCAL_DATABASE = "supaqueue_soak";
    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/" + LOCAL_DATABASE + "?user=postgres";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private SoakDatabase() {
    }

    /** Where the URL came from, for the log; never the URL itself, which may carry a password. */
    record Choice(SupabaseBrokerSettings settings, String source, String pgmq) {
    }

    /** The database to soak, with pgmq made usable (and the local database created if it is the one chosen). */
    static Choice prepare(String jdbcUrl, Map<String, String> environment) throws SQLException {
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        SupabaseBrokerSettings settings;
        String source;
        if (jdbcUrl != null && !jdbcUrl.isBlank()) {
            settings = settings(jdbcUrl);
            source = "--jdbc-url";
        } else if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            settings = settings(fromEnvironment);
            source = "$" + ENVIRONMENT_VARIABLE;
        } else {
            settings = settings(LOCAL_URL);
            source = "local default (" + LOCAL_DATABASE + " on 127.0.0.1:5432)";
            createIfMissing(settings);
        }
        return new Choice(settings, source, installPgmq(settings));
    }

    /**
     * Broker settings for a JDBC or libpq-style URL; {@code user} and {@code password} may be URL parameters (as in
     * {@code ?user=postgres}), the other parameters become driver options.
     */
    static SupabaseBrokerSettings settings(String url) {
        DatabaseUri uri = DatabaseUri.parse(url);
        Map<String, String> options = new LinkedHashMap<>();
        String user = uri.user();
        String password = uri.password();
        for (Map.Entry<String, String> parameter : uri.parameters().entrySet()) {
            switch (parameter.getKey().toLowerCase(Locale.ROOT)) {
                case "user" -> user = user == null ? parameter.getValue() : user;
                case "password" -> password = password == null ? parameter.getValue() : password;
                default -> options.put(parameter.getKey(), parameter.getValue());
            }
        }
        return SupabaseBrokerSettings.builder().host(uri.host()).port(uri.port()).database(uri.database())
                .user(user == null ? "postgres" : user).password(password).driverOptions(options).build();
    }

    private static void createIfMissing(SupabaseBrokerSettings target) throws SQLException {
        SupabaseBrokerSettings maintenance = SupabaseBrokerSettings.builder().host(target.host()).port(target.port())
                .database("postgres").user(target.user()).password(target.password())
                .driverOptions(target.driverOptions()).build();
        try (Connection connection = ConnectionPools.connectOnce(maintenance, CONNECT_TIMEOUT, "supaqueue-soak-setup")) {
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, target.database());
                try (ResultSet row = exists.executeQuery()) {
                    if (row.next()) {
                        return;
                    }
                }
            }
            String create;
            try (PreparedStatement format = connection.prepareStatement("SELECT format('CREATE DATABASE %I', ?)")) {
                format.setString(1, target.database());
                try (ResultSet row = format.executeQuery()) {
                    row.next();
                    create = row.getString(1);
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(create);
            } catch (SQLException e) {
                // Another run created it in the meantime.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** Uses the pgmq that is there, else installs one (the extension, or Supaqueue's dev schema). */
    private static String installPgmq(SupabaseBrokerSettings settings) throws SQLException {
        try (Connection connection = ConnectionPools.connectOnce(settings, CONNECT_TIMEOUT, "supaqueue-soak-setup")) {
            PgmqInstallation installation = PgmqInstaller.ensureInstalled(connection);
            if (installation.flavour() == PgmqFlavour.ABSENT) {
                throw new SQLException("pgmq is still missing after the installation attempt");
            }
            return installation.describe();
        }
    }
}
