package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PastedUriTest {

    private static final ConnectionProfile EMPTY_FORM = new ConnectionProfile("", "", 5432, "", "", "", SslMode.PREFER,
            false, false, ColourTag.GREY, PasswordPolicy.ASK_EACH_TIME);

    @Test
    void directUriFillsEveryField() {
        PastedUri pasted = PastedUri.parse("postgresql://app:pa%40ss@db.example.com:5433/orders?sslmode=verify-full",
                EMPTY_FORM);
        ConnectionProfile profile = pasted.profile();
        assertThat(profile.host()).isEqualTo("db.example.com");
        assertThat(profile.port()).isEqualTo(5433);
        assertThat(profile.database()).isEqualTo("orders");
        assertThat(profile.user()).isEqualTo("app");
        assertThat(profile.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(profile.name()).isEqualTo("db.example.com");
        assertThat(pasted.poolerMode()).isEqualTo(PoolerMode.DIRECT);
        assertThat(pasted.password()).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("pa@ss"));
        assertThat(pasted.notes()).anySatisfy(note -> assertThat(note).contains("not saved"));
        assertThat(pasted.toString()).doesNotContain("pa@ss");
        assertThat(String.join(" ", pasted.notes())).doesNotContain("pa@ss");
    }

    @Test
    void supabasePoolerPort6543IsTransactionModeAndExplained() {
        PastedUri pasted = PastedUri.parse(
                "postgresql://postgres.abcd:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres", EMPTY_FORM);
        assertThat(pasted.poolerMode()).isEqualTo(PoolerMode.TRANSACTION_POOLER);
        assertThat(pasted.profile().user()).isEqualTo("postgres.abcd");
        assertThat(pasted.profile().name()).isEqualTo("Supabase abcd");
        assertThat(pasted.profile().sslMode()).as("Supabase host without sslmode").isEqualTo(SslMode.REQUIRE);
        assertThat(pasted.notes().getFirst()).contains("transaction").contains("LISTEN").contains("poll")
                .contains("prepared statements");
    }

    @Test
    void port5432OnThePoolerHostIsSessionMode() {
        PastedUri pasted = PastedUri.parse(
                "postgres://postgres.abcd:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres?sslmode=require",
                EMPTY_FORM);
        assertThat(pasted.poolerMode()).isEqualTo(PoolerMode.SESSION_POOLER);
        assertThat(pasted.notes().getFirst()).contains("session mode");
    }

    @Test
    void missingPartsTakeDefaultsOrKeepTheForm() {
        ConnectionProfile form = new ConnectionProfile("Mine", "old", 1, "olddb", "keeper", "billing",
                SslMode.DISABLE, true, true, ColourTag.RED, PasswordPolicy.ENCRYPTED_FILE);
        PastedUri pasted = PastedUri.parse("postgresql://newhost", form);
        ConnectionProfile profile = pasted.profile();
        assertThat(profile.host()).isEqualTo("newhost");
        assertThat(profile.port()).isEqualTo(5432);
        assertThat(profile.database()).isEqualTo("postgres");
        assertThat(profile.user()).isEqualTo("keeper");
        assertThat(profile.name()).isEqualTo("Mine");
        assertThat(profile.namespace()).isEqualTo("billing");
        assertThat(profile.sslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(profile.production()).isTrue();
        assertThat(pasted.password()).isEmpty();
    }

    @Test
    void unknownParametersAreReportedNotLost() {
        PastedUri pasted = PastedUri.parse("postgresql://u@h/db?application_name=x", EMPTY_FORM);
        assertThat(pasted.notes()).anySatisfy(note -> assertThat(note).contains("application_name"));
    }

    @Test
    void garbageIsRefusedWithoutRepeatingThePassword() {
        assertThatThrownBy(() -> PastedUri.parse("mysql://root:hunter2@h/db", EMPTY_FORM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresql://")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> PastedUri.parse("hello world", EMPTY_FORM)).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> PastedUri.parse("  ", EMPTY_FORM)).hasMessageContaining("Paste");
        assertThatThrownBy(() -> PastedUri.parse("postgresql://u:hunter2@h:99999/db", EMPTY_FORM))
                .hasMessageContaining("65535").message().doesNotContain("hunter2");
        assertThatThrownBy(() -> PastedUri.parse("postgresql://u:hunter2@h/db?sslmode=maybe", EMPTY_FORM))
                .hasMessageContaining("sslmode").message().doesNotContain("hunter2");
    }
}
