package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionProfileTest {

    private static ConnectionProfile profile(String name, String host, int port, String database, String user,
                                             String namespace) {
        return new ConnectionProfile(name, host, port, database, user, namespace, SslMode.REQUIRE, false, false,
                ColourTag.BLUE, PasswordPolicy.ASK_EACH_TIME);
    }

    @Test
    void aCompleteProfileHasNoProblems() {
        assertThat(ConnectionProfile.local().problems()).isEmpty();
        assertThat(ConnectionProfile.supabaseCli().problems()).isEmpty();
        assertThat(ConnectionProfile.supabaseCli().port()).isEqualTo(54322);
    }

    @Test
    void portOutsideOneTo65535IsRefused() {
        assertThat(profile("a", "h", 0, "d", "u", "").problems())
                .containsEntry(ProfileField.PORT, "The port must be between 1 and 65535 (PostgreSQL: 5432).");
        assertThat(profile("a", "h", 65536, "d", "u", "").problems()).containsKey(ProfileField.PORT);
        assertThat(profile("a", "h", 1, "d", "u", "").problems()).isEmpty();
        assertThat(profile("a", "h", 65535, "d", "u", "").problems()).isEmpty();
    }

    @Test
    void blankFieldsAreNamedEachBesideItsField() {
        var problems = profile(" ", " ", 5432, "", "  ", "").problems();
        assertThat(problems).containsOnlyKeys(ProfileField.NAME, ProfileField.HOST, ProfileField.DATABASE,
                ProfileField.USER);
        assertThat(problems.get(ProfileField.HOST)).contains("host");
        assertThat(problems.get(ProfileField.USER)).contains("user");
        assertThat(profile("a", "my host", 5432, "d", "u", "").problems().get(ProfileField.HOST)).contains("spaces");
    }

    @Test
    void namespaceFollowsTheBrokerRules() {
        assertThat(profile("a", "h", 5432, "d", "u", "billing").problems()).isEmpty();
        assertThat(profile("a", "h", 5432, "d", "u", "Billing-EU").problems().get(ProfileField.NAMESPACE))
                .contains("Billing-EU");
    }

    @Test
    void namesMustBeUniqueIgnoringCase() {
        ConnectionProfile staging = profile("Staging", "h", 5432, "d", "u", "");
        assertThat(staging.problems(List.of("local", "STAGING")).get(ProfileField.NAME))
                .isEqualTo("Another profile is already named 'Staging'.");
        assertThat(staging.problems(List.of("local"))).isEmpty();
    }

    @Test
    void requireValidListsEveryProblem() {
        assertThatThrownBy(() -> profile("x", "", 70000, "d", "u", "").requireValid())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host").hasMessageContaining("65535");
    }

    @Test
    void brokerSettingsCarrySslModeAsDriverOptionAndThePassword() {
        ConnectionProfile profile = profile("prod", "db.abc.supabase.co", 5432, "postgres", "postgres", "billing");
        SupabaseBrokerSettings settings = profile.toBrokerSettings("s3cret".toCharArray());
        assertThat(settings.host()).isEqualTo("db.abc.supabase.co");
        assertThat(settings.driverOptions()).containsEntry("sslmode", "require");
        assertThat(settings.namespace()).isEqualTo("billing");
        assertThat(settings.password()).isEqualTo("s3cret");
        assertThat(settings.toString()).doesNotContain("s3cret");
        assertThat(profile.toBrokerSettings(new char[0]).password()).isNull();
        assertThat(profile.toBrokerSettings(null).password()).isNull();
    }

    @Test
    void localHostsAreOnlyTheLoopbackNames() {
        assertThat(profile("a", "127.0.0.1", 1, "d", "u", "").isLocalHost()).isTrue();
        assertThat(profile("a", "LOCALHOST", 1, "d", "u", "").isLocalHost()).isTrue();
        assertThat(profile("a", "::1", 1, "d", "u", "").isLocalHost()).isTrue();
        assertThat(profile("a", "db.abc.supabase.co", 1, "d", "u", "").isLocalHost()).isFalse();
        assertThat(profile("a", "192.168.1.20", 1, "d", "u", "").isLocalHost()).isFalse();
    }

    @Test
    void sslModesUseTheDriverValues() {
        assertThat(SslMode.fromValue("verify-full")).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(SslMode.fromValue("REQUIRE")).isEqualTo(SslMode.REQUIRE);
        assertThatThrownBy(() -> SslMode.fromValue("sometimes")).hasMessageContaining("verify-ca");
    }
}
