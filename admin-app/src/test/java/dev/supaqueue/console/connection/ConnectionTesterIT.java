package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The tester against the real test database, and against places where there is no database. */
@PgmqIntegrationTest
class ConnectionTesterIT {

    private final ConnectionTester tester = new ConnectionTester(Duration.ofSeconds(5));

    /** A profile for the test database; its SSL mode follows the harness URL (prefer otherwise). */
    static ConnectionProfile profileFor(SupabaseBrokerSettings settings, String database) {
        SslMode ssl = settings.driverOptions().containsKey("sslmode")
                ? SslMode.fromValue(settings.driverOptions().get("sslmode")) : SslMode.PREFER;
        return new ConnectionProfile("Test DB", settings.host(), settings.port(), database, settings.user(), "", ssl,
                false, false, ColourTag.GREEN, PasswordPolicy.ASK_EACH_TIME);
    }

    private static char[] password(SupabaseBrokerSettings settings) {
        return settings.password() == null ? null : settings.password().toCharArray();
    }

    @Test
    void reportsReachableLoggedInAndThePgmqVersion(TestDatabaseServer db) {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        ConnectionReport report = tester.test(profileFor(settings, settings.database()), password(settings));

        assertThat(report.problem()).isNull();
        assertThat(report.reachable()).isTrue();
        assertThat(report.authenticated()).isTrue();
        assertThat(report.tls()).isNotEqualTo(TlsState.UNKNOWN);
        assertThat(report.pgmq()).isEqualTo(db.pgmq());
        assertThat(report.rights()).isEqualTo(RoleRights.FULL_PGMQ);
        assertThat(report.devSchemaOffered()).isFalse();
        assertThat(report.ok()).isTrue();
        assertThat(String.join("\n", report.lines()))
                .contains("Reachable")
                .contains("pgmq found: " + db.pgmq().describe())
                .contains(db.pgmq().version().toString())
                .contains("TLS");
    }

    @Test
    void portOneIsNotReachable(TestDatabaseServer db) {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        ConnectionProfile profile = new ConnectionProfile("Nowhere", "127.0.0.1", 1, settings.database(),
                settings.user(), "", SslMode.DISABLE, false, false, ColourTag.GREY, PasswordPolicy.ASK_EACH_TIME);
        ConnectionReport report = tester.test(profile, "not-sent-anywhere".toCharArray());

        assertThat(report.reachable()).isFalse();
        assertThat(report.authenticated()).isFalse();
        assertThat(report.pgmq()).isNull();
        assertThat(report.problem()).startsWith("Connection refused by 127.0.0.1:1");
        assertThat(String.join("\n", report.lines())).contains("Not reachable: 127.0.0.1:1")
                .doesNotContain("not-sent-anywhere");
    }

    @Test
    void aMissingDatabaseIsNamed(TestDatabaseServer db) {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        ConnectionProfile profile = profileFor(settings, "supaqueue_no_such_db_4711");
        ConnectionReport report = tester.test(profile, password(settings));

        assertThat(report.reachable()).isTrue();
        assertThat(report.authenticated()).isFalse();
        assertThat(report.problem()).startsWith("The database 'supaqueue_no_such_db_4711' does not exist on "
                + settings.host() + ":" + settings.port());
        assertThat(report.ok()).isFalse();
    }
}
