package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.pgmq.PgmqException;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthInspectorWordsTest {

    @Test
    void durationsReadAsPeopleSayThem() {
        assertThat(HealthInspector.words(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(HealthInspector.words(Duration.ofMillis(12_500))).isEqualTo("12.5 s");
        assertThat(HealthInspector.words(Duration.ofSeconds(250))).isEqualTo("4 min 10 s");
        assertThat(HealthInspector.words(Duration.ofMinutes(185))).isEqualTo("3 h 5 min");
    }

    @Test
    void failuresAreDescribedWithoutPasswords() {
        String fromDriver = HealthInspector.describe(new SQLException(
                "cannot open jdbc:postgresql://h:5/db?user=u&password=s3cr3t-Pa55 or postgresql://u:s3cr3t-Pa55@h/db",
                "08001"));
        String fromElsewhere = HealthInspector.describe(new IllegalStateException("bad url password=s3cr3t-Pa55"));
        String alreadyWrapped = HealthInspector.describe(new PgmqException("detect", null,
                new SQLException("postgresql://u:s3cr3t-Pa55@h/db refused", "08001")));

        assertThat(fromDriver).doesNotContain("s3cr3t-Pa55").contains("08001").contains("h:5/db");
        assertThat(fromElsewhere).doesNotContain("s3cr3t-Pa55").contains("bad url");
        assertThat(alreadyWrapped).doesNotContain("s3cr3t-Pa55").contains("refused");
    }
}
