package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.pgmq.PgmqException;
import dev.supaqueue.pgmq.PgmqQueueName;
import dev.supaqueue.pgmq.SqlFailureHints;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * The words of connection failures and name refusals, without a database: a pool's timeout brings up the driver's
 * reason with a hint, and hostile queue names are refused with their problem shown on one line.
 */
class FailureMessagesTest {

    private static final String POOL_TIMEOUT = "supaqueue-app - Connection is not available, request timed out after"
            + " 1000ms (total=0, active=0, idle=0, waiting=0)";

    @Test
    void aPoolTimeoutBringsUpTheDriversReasonAndAHint() {
        SQLException driver = new SQLException("FATAL: password authentication failed for user \"app\"", "28P01");
        SQLException pool = new SQLTransientConnectionException(POOL_TIMEOUT, "28P01", driver);

        String message = new PgmqException("send", "app_jobs", pool).getMessage();

        assertThat(message).contains(POOL_TIMEOUT)
                .contains("the last attempt to connect failed: FATAL: password authentication failed for user \"app\"")
                .contains("The password is wrong for this user");
        assertThat(new PgmqException("send", "app_jobs", pool).isConnectionFailure())
                .as("a wrong password is not retried as if the network were down").isFalse();
    }

    @Test
    void eachKnownCauseGetsItsOwnHint() {
        assertThat(hintFor(new SQLException("FATAL: database \"x\" does not exist", "3D000")))
                .contains("check the database name");
        assertThat(hintFor(new SQLException("FATAL: role \"x\" is not permitted to log in", "28000")))
                .contains("refuses this login");
        assertThat(hintFor(new SQLException("ERROR: permission denied for schema pgmq", "42501")))
                .contains("GRANT USAGE ON SCHEMA pgmq");
        assertThat(hintFor(new SQLException("The server does not support SSL.", "08004")))
                .contains("TLS was required", "sslmode");
        assertThat(hintFor(new SQLException("The connection attempt failed.", "08001", new UnknownHostException("nohost"))))
                .contains("host name cannot be resolved");
        assertThat(hintFor(new SQLException("Connection to 127.0.0.1:1 refused.", "08001", new ConnectException())))
                .contains("Nothing is listening there");
        assertThat(SqlFailureHints.explain(new SQLException("ERROR: division by zero", "22012"))).isEmpty();
    }

    @Test
    void anExhaustedPoolSaysWhichLimitToRaise() {
        SQLException exhausted = new SQLTransientConnectionException("supaqueue-app - Connection is not available,"
                + " request timed out after 500ms (total=4, active=4, idle=0, waiting=9)");
        assertThat(SqlFailureHints.describe(exhausted))
                .contains("All 4 connections of the pool were in use for the whole connection timeout")
                .contains("max_conn");
    }

    @Test
    void aPasswordInADriversTextIsMasked() {
        SQLException driver = new SQLException("bad url jdbc:postgresql://h/db?user=u&password=sqCanary123", "08001");
        assertThat(new PgmqException("connect", null, driver).getMessage()).doesNotContain("sqCanary123");
    }

    @Test
    void queueNamesThatPostgresCannotHoldAreRefusedWithTheProblemOnOneLine() {
        assertThatThrownBy(() -> PgmqQueueName.validate("a\u0000b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL character").hasMessageContaining("\"a\\u0000b\"");
        assertThatThrownBy(() -> PgmqQueueName.validate("a\ud800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate U+D800 at index 1");
        assertThatThrownBy(() -> PgmqQueueName.validate("a;\nFAKE LOG LINE"))
                .hasMessageNotContaining("\n").hasMessageContaining("\\n");
        assertThat(PgmqQueueName.validate("job\ud83d\ude80")).isEqualTo("job\ud83d\ude80");
    }

    @Test
    void newQueuesAreLimitedToFortySevenBytesSoTheirTablesAreNeverCutOrShared() {
        String fortySevenChars = "\u961f".repeat(47);
        assertThat(PgmqQueueName.validate(fortySevenChars)).as("existing queues stay reachable")
                .isEqualTo(fortySevenChars);
        assertThatThrownBy(() -> PgmqQueueName.validateNew(fortySevenChars))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 47 bytes in UTF-8")
                .hasMessageContaining("has 141");
        assertThat(PgmqQueueName.validateNew("q".repeat(47))).hasSize(47);
        assertThat(PgmqQueueName.validateNew("\u00e9".repeat(23))).hasSize(23);
    }

    private static String hintFor(SQLException driver) {
        String direct = SqlFailureHints.explain(driver);
        String pooled = SqlFailureHints.explain(new SQLTransientConnectionException(POOL_TIMEOUT, driver.getSQLState(),
                driver));
        assertThat(pooled).as("through a pool").contains(driver.getMessage()).endsWith(
                direct.substring(direct.indexOf(' ') + 1));
        return direct;
    }
}
