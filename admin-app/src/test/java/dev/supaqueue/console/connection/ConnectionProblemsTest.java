package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ConnectionProblemsTest {

    private static final String PASSWORD = "Tr0ub4dor&3";
    private static final ConnectionProfile PROFILE = new ConnectionProfile("Staging", "db.abc.supabase.co", 5432,
            "orders", "app", "", SslMode.REQUIRE, false, false, ColourTag.GREY, PasswordPolicy.ASK_EACH_TIME);

    private static String describe(Throwable failure) {
        return ConnectionProblems.describe(failure, PROFILE, PASSWORD.toCharArray());
    }

    private static SQLException sql(String message, String state, Throwable cause) {
        return new SQLException(message, state, cause);
    }

    @Test
    void authenticationFailures() {
        assertThat(describe(sql("FATAL: password authentication failed for user \"app\"", "28P01", null)))
                .startsWith("Authentication failed for user 'app' at db.abc.supabase.co:5432");
        assertThat(describe(sql("no pg_hba.conf entry", "28000", null))).startsWith("Authentication failed");
    }

    /**
     * The shared test server trusts every login, so a wrong password cannot be produced there: this is its check.
     * pgjdbc reports it as SQLState 28P01 with the server's text, which here also echoes the password.
     */
    @Test
    void aWrongPasswordSaysSoAndNeverRepeatsIt() {
        SQLException wrong = sql("FATAL: password authentication failed for user \"app\" (password=" + PASSWORD + ")",
                "28P01", null);
        String message = describe(new java.sql.SQLException("Connection failed", "08001", wrong));

        assertThat(message).isEqualTo("Authentication failed for user 'app' at db.abc.supabase.co:5432: the password"
                + " is wrong, or this user may not log in from here.");
        assertThat(message).doesNotContain(PASSWORD);
        assertThat(ConnectionProblems.describe(wrong, PROFILE)).doesNotContain(PASSWORD);
    }

    @Test
    void networkFailuresNameHostAndPort() {
        assertThat(describe(sql("Connection refused", "08001", new ConnectException("Connection refused"))))
                .startsWith("Connection refused by db.abc.supabase.co:5432");
        assertThat(describe(sql("The connection attempt failed.", "08001", new UnknownHostException("db.abc"))))
                .startsWith("Unknown host 'db.abc.supabase.co'");
        assertThat(describe(new NoRouteToHostException("No route to host")))
                .startsWith("Host unreachable").contains("db.abc.supabase.co:5432");
        assertThat(describe(sql("attempt failed", "08001", new SocketTimeoutException("connect timed out"))))
                .startsWith("Timeout: db.abc.supabase.co:5432");
        assertThat(describe(sql("canceling statement due to statement timeout", "57014", null))).startsWith("Timeout");
    }

    @Test
    void databaseAndPermissionAndPgmqProblems() {
        assertThat(describe(sql("FATAL: database \"orders\" does not exist", "3D000", null)))
                .startsWith("The database 'orders' does not exist on db.abc.supabase.co:5432");
        assertThat(describe(sql("ERROR: permission denied for schema pgmq", "42501", null)))
                .startsWith("User 'app' has no rights on pgmq in database 'orders' on db.abc.supabase.co:5432")
                .contains("permission denied for schema pgmq").contains("grant it USAGE on schema pgmq");
        assertThat(describe(sql("ERROR: permission denied for table orders", "42501", null)))
                .startsWith("Permission denied at db.abc.supabase.co:5432: user 'app'")
                .contains("permission denied for table orders");
        assertThat(describe(sql("ERROR: schema \"pgmq\" does not exist", "3F000", null)))
                .startsWith("pgmq is missing in database 'orders'");
        assertThat(describe(sql("ERROR: function pgmq.send(text, jsonb) does not exist", "42883", null)))
                .startsWith("pgmq is missing");
    }

    @Test
    void tlsProblems() {
        assertThat(describe(sql("The server does not support SSL.", "08004", null)))
                .startsWith("TLS required but unavailable: db.abc.supabase.co:5432").contains("'require'");
        assertThat(describe(sql("SSL error", "08006", new SSLHandshakeException("PKIX path building failed"))))
                .startsWith("The TLS handshake with db.abc.supabase.co:5432 failed");
    }

    @Test
    void noMessageEverContainsThePassword() {
        List<Throwable> failures = List.of(
                sql("FATAL: password authentication failed; password=" + PASSWORD, "28P01", null),
                sql("ERROR: permission denied while using " + PASSWORD, "42501", null),
                new IllegalStateException("bad URI postgresql://app:" + PASSWORD + "@h/db"),
                new RuntimeException("odd driver text password=" + PASSWORD),
                new RuntimeException("echo " + PASSWORD, new RuntimeException("cause " + PASSWORD)),
                sql("SSL", "08006", new SSLHandshakeException("handshake with " + PASSWORD)));
        for (Throwable failure : failures) {
            assertThat(describe(failure)).doesNotContain(PASSWORD);
            // Even when the caller does not pass the password, URI and key=value forms are masked.
            if (!failure.getMessage().startsWith("echo") && !failure.getMessage().contains("using")
                    && !(failure.getCause() instanceof SSLHandshakeException)) {
                assertThat(ConnectionProblems.describe(failure, PROFILE)).doesNotContain(PASSWORD);
            }
        }
    }

    @Test
    void unknownFailuresKeepTheirFirstLine() {
        assertThat(describe(new RuntimeException("something odd\nstack detail")))
                .isEqualTo("Could not use orders at db.abc.supabase.co:5432: something odd");
    }
}
