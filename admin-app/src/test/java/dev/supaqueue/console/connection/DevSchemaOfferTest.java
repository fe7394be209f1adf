package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.pgmq.PgmqFlavour;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DevSchemaOfferTest {

    private static final PgmqInstallation ABSENT = new PgmqInstallation(PgmqFlavour.ABSENT, null, false, false);

    private static ConnectionProfile at(String host) {
        return new ConnectionProfile("p", host, 5432, "postgres", "postgres", "", SslMode.PREFER, false, false,
                ColourTag.GREY, PasswordPolicy.ASK_EACH_TIME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "LocalHost", "::1"})
    void offeredForALocalDatabaseWithoutPgmq(String host) {
        assertThat(DevSchemaOffer.applies(at(host), ABSENT)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"db.abc.supabase.co", "aws-0-eu-central-1.pooler.supabase.com", "192.168.1.10",
            "10.0.0.5", "localhost.example.com", "127.0.0.2", "my-laptop"})
    void neverOfferedForRemoteHosts(String host) {
        assertThat(DevSchemaOffer.applies(at(host), ABSENT)).isFalse();
    }

    @Test
    void neverOfferedWhenPgmqIsPresentOrUnknown() {
        PgmqVersion version = new PgmqVersion(1, 5, 1);
        for (PgmqFlavour flavour : new PgmqFlavour[] {PgmqFlavour.EXTENSION, PgmqFlavour.SQL_ONLY,
                PgmqFlavour.SUPAQUEUE_COMPAT}) {
            assertThat(DevSchemaOffer.applies(at("127.0.0.1"), new PgmqInstallation(flavour, version, false, false)))
                    .isFalse();
        }
        assertThat(DevSchemaOffer.applies(at("127.0.0.1"), null)).isFalse();
    }

    @Test
    void theInstallerRefusesARemoteHostBeforeConnecting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ConnectionTester().installDevSchema(at("db.abc.supabase.co"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only installed");
    }
}
