package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUriTest {

    @Test
    void parsesTheSupabaseTransactionPoolerUri() {
        DatabaseUri uri = DatabaseUri.parse(
                "postgresql://postgres.abcdefghij:p%40ss%3Aw0rd%2F@aws-0-eu-west-1.pooler.supabase.com:6543/postgres");

        assertThat(uri.host()).isEqualTo("aws-0-eu-west-1.pooler.supabase.com");
        assertThat(uri.port()).isEqualTo(6543);
        assertThat(uri.database()).isEqualTo("postgres");
        assertThat(uri.user()).isEqualTo("postgres.abcdefghij");
        assertThat(uri.password()).isEqualTo("p@ss:w0rd/");
        assertThat(uri.isTransactionPooler()).isTrue();
    }

    @Test
    void parsesADirectUriWithParametersAndDefaults() {
        DatabaseUri uri = DatabaseUri.parse("postgres://db.ref.supabase.co?sslmode=require&connectTimeout=5");

        assertThat(uri.port()).isEqualTo(5432);
        assertThat(uri.database()).isEqualTo("postgres");
        assertThat(uri.user()).isNull();
        assertThat(uri.parameters()).containsExactly(Map.entry("sslmode", "require"), Map.entry("connectTimeout", "5"));
        assertThat(uri.isTransactionPooler()).isFalse();
        assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://db.ref.supabase.co:5432/postgres?sslmode=require&connectTimeout=5");
    }

    @Test
    void acceptsJdbcUrlsWithCredentialsAsParameters() {
        DatabaseUri uri = DatabaseUri.parse("jdbc:postgresql://127.0.0.1:5433/app?user=me&password=secret&ssl=false");

        assertThat(uri.user()).isEqualTo("me");
        assertThat(uri.password()).isEqualTo("secret");
        assertThat(uri.parameters()).containsOnlyKeys("ssl");
        assertThat(uri.jdbcUrl()).doesNotContain("secret");
    }

    @Test
    void neverShowsThePassword() {
        DatabaseUri uri = DatabaseUri.parse("postgresql://postgres:hunter2@localhost/postgres");

        assertThat(uri.toString()).doesNotContain("hunter2").contains("postgres:***@localhost");
    }

    @Test
    void rejectsWhatIsNotAPostgresUriAndSaysWhy() {
        assertThatThrownBy(() -> DatabaseUri.parse("mysql://root:hunter2@localhost/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresql://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUri.parse("postgresql://user:pa ss word@host/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("percent-encode")
                .hasMessageNotContaining("pa ss word");
        assertThatThrownBy(() -> DatabaseUri.parse("postgresql:///db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host");
    }
}
