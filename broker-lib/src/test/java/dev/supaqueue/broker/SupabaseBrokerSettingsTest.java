package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SupabaseBrokerSettingsTest {

    @Test
    void defaultsAreTheSeeds() {
        SupabaseBrokerSettings settings = SupabaseBrokerSettings.builder().build();

        assertThat(settings.host()).isEqualTo("localhost");
        assertThat(settings.port()).isEqualTo(5432);
        assertThat(settings.database()).isEqualTo("postgres");
        assertThat(settings.user()).isEqualTo("postgres");
        assertThat(settings.password()).isEqualTo("postgres");
        assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.namespace()).isEqualTo("dramatiq");
        assertThat(settings.minConnections()).isEqualTo(1);
        assertThat(settings.maxConnections()).isEqualTo(10);
        assertThat(settings.ackMode()).isEqualTo(SupabaseBrokerSettings.AckMode.DELETE);
        assertThat(settings.deadLetterRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.listenAllowed()).isTrue();
    }

    @Test
    void aPoolerUriTurnsOffPreparedStatementsAndListen() {
        SupabaseBrokerSettings settings = SupabaseBrokerSettings.builder()
                .uri("postgresql://postgres.ref:pw@aws-0-us-east-1.pooler.supabase.com:6543/postgres?sslmode=require")
                .build();

        assertThat(settings.transactionPooler()).isTrue();
        assertThat(settings.listenAllowed()).isFalse();
        assertThat(settings.user()).isEqualTo("postgres.ref");
        assertThat(settings.driverOptions()).containsEntry("sslmode", "require");
    }

    @Test
    void aHostThatWouldChangeTheJdbcUrlIsRefused() {
        for (String host : new String[] {"db/x?sslmode=disable", "user@db", "db host", "db\nhost", "db#frag"}) {
            assertThatThrownBy(() -> SupabaseBrokerSettings.builder().host(host).build())
                    .as(host).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a host name");
        }
        for (String host : new String[] {"db.abcdefgh.supabase.co", "127.0.0.1", "::1", "[::1]", "fe80::1%eth0",
                "my_host-1"}) {
            assertThat(SupabaseBrokerSettings.builder().host(host).build().host()).isEqualTo(host);
        }
    }

    @Test
    void toStringHidesThePassword() {
        SupabaseBrokerSettings settings = SupabaseBrokerSettings.builder().password("hunter2").build();

        assertThat(settings.toString()).doesNotContain("hunter2").contains("password=***");
    }

    @Test
    void badValuesAreRejectedWithTheRuleBroken() {
        assertThatThrownBy(() -> SupabaseBrokerSettings.builder().visibilityTimeout(Duration.ofMillis(1500)).build())
                .hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> SupabaseBrokerSettings.builder().visibilityTimeout(Duration.ZERO).build())
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> SupabaseBrokerSettings.builder().minConnections(5).maxConnections(2).build())
                .hasMessageContaining("max_conn");
        assertThatThrownBy(() -> SupabaseBrokerSettings.builder().port(70000).build())
                .hasMessageContaining("port");
        assertThatThrownBy(() -> SupabaseBrokerSettings.builder().namespace("My-App").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("My-App");
        assertThatThrownBy(() -> SupabaseBrokerSettings.builder().driverOption("password", "x").build())
                .hasMessageContaining("own setting");
    }
}
