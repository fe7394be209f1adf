package dev.supaqueue.pgmq;

import static dev.supaqueue.pgmq.PgmqFeature.BATCH_SET_VT;
import static dev.supaqueue.pgmq.PgmqFeature.CLOCK_TIMESTAMP_VT;
import static dev.supaqueue.pgmq.PgmqFeature.CONDITIONAL_READ;
import static dev.supaqueue.pgmq.PgmqFeature.DROP_RETURNS_FALSE;
import static dev.supaqueue.pgmq.PgmqFeature.GROUPED_READ;
import static dev.supaqueue.pgmq.PgmqFeature.HEADERS;
import static dev.supaqueue.pgmq.PgmqFeature.LAST_READ_AT;
import static dev.supaqueue.pgmq.PgmqFeature.NOTIFY_INSERT;
import static dev.supaqueue.pgmq.PgmqFeature.NOTIFY_THROTTLE;
import static dev.supaqueue.pgmq.PgmqFeature.POP_QTY;
import static dev.supaqueue.pgmq.PgmqFeature.QUEUE_VISIBLE_LENGTH;
import static dev.supaqueue.pgmq.PgmqFeature.TIMESTAMP_DELAY;
import static dev.supaqueue.pgmq.PgmqFeature.TIMESTAMP_SET_VT;
import static dev.supaqueue.pgmq.PgmqFeature.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The feature gates of PGMQ.md §3 over the versions that matter, and the client's gating without a database. */
class PgmqFeatureTest {

    @Test
    void pgmq144HasOnlyTheBaseline() {
        assertThat(supported("1.4.4")).isEmpty();
    }

    @Test
    void pgmq151AsOnSupabaseHasHeadersTimestampDelaysAndClockTimestampVt() {
        assertThat(supported("1.5.1")).containsExactlyInAnyOrder(
                HEADERS, TIMESTAMP_DELAY, CONDITIONAL_READ, QUEUE_VISIBLE_LENGTH, CLOCK_TIMESTAMP_VT);
        assertThat(supported("1.5.0")).doesNotContain(CLOCK_TIMESTAMP_VT).contains(HEADERS);
    }

    @Test
    void pgmq180AddsDropFalseNotifyPopQtyAndBatchSetVt() {
        assertThat(supported("1.8.0")).containsExactlyInAnyOrder(
                HEADERS, TIMESTAMP_DELAY, CONDITIONAL_READ, QUEUE_VISIBLE_LENGTH, CLOCK_TIMESTAMP_VT,
                DROP_RETURNS_FALSE, POP_QTY, NOTIFY_INSERT, NOTIFY_THROTTLE, BATCH_SET_VT);
        assertThat(supported("1.7.1")).contains(POP_QTY, NOTIFY_INSERT).doesNotContain(BATCH_SET_VT, NOTIFY_THROTTLE);
    }

    @Test
    void pgmq1100AddsGroupedReadsLastReadAtAndTimestampSetVt() {
        assertThat(supported("1.10.0")).containsAll(supported("1.8.0"))
                .contains(GROUPED_READ, LAST_READ_AT, TIMESTAMP_SET_VT)
                .doesNotContain(TOPICS);
        assertThat(supported("1.9.0")).contains(GROUPED_READ).doesNotContain(LAST_READ_AT);
    }

    @Test
    void pgmq1110HasEverything() {
        assertThat(supported("1.11.0")).isEqualTo(EnumSet.allOf(PgmqFeature.class));
        assertThat(supported("1.13.1")).isEqualTo(EnumSet.allOf(PgmqFeature.class));
    }

    @ParameterizedTest
    @CsvSource({
            "HEADERS, 1.5.0", "TIMESTAMP_DELAY, 1.5.0", "CLOCK_TIMESTAMP_VT, 1.5.1", "DROP_RETURNS_FALSE, 1.6.0",
            "POP_QTY, 1.7.0", "NOTIFY_INSERT, 1.7.0", "BATCH_SET_VT, 1.8.0", "GROUPED_READ, 1.9.0",
            "LAST_READ_AT, 1.10.0", "TIMESTAMP_SET_VT, 1.10.0", "TOPICS, 1.11.0"})
    void minimumVersionsAreThoseOfThePgmqReference(PgmqFeature feature, String since) {
        assertThat(feature.since()).isEqualTo(PgmqVersion.parse(since));
    }

    @Test
    void anAbsentPgmqSupportsNothing() {
        PgmqInstallation absent = new PgmqInstallation(PgmqFlavour.ABSENT, null, false, false);
        assertThat(Arrays.stream(PgmqFeature.values()).filter(f -> f.supportedBy(absent))).isEmpty();
        assertThat(HEADERS.supportedBy((PgmqVersion) null)).isFalse();
    }

    @Test
    void theCompatSchemaFromRevision2AddsInsertNotificationsAndNothingElseOfNewerVersions() {
        PgmqInstallation revision1 = new PgmqInstallation(PgmqFlavour.SUPAQUEUE_COMPAT, PgmqVersion.parse("1.5.1"),
                false, false);
        PgmqInstallation revision2 = new PgmqInstallation(PgmqFlavour.SUPAQUEUE_COMPAT, PgmqVersion.parse("1.5.1"),
                false, false, Set.of(NOTIFY_INSERT));

        assertThat(supported(revision1)).isEqualTo(supported("1.5.1"));
        EnumSet<PgmqFeature> expected = EnumSet.copyOf(supported("1.5.1"));
        expected.add(NOTIFY_INSERT);
        assertThat(supported(revision2)).isEqualTo(expected)
                .doesNotContain(NOTIFY_THROTTLE, POP_QTY, DROP_RETURNS_FALSE, BATCH_SET_VT, LAST_READ_AT);
        assertThat(new PgmqClient(TestDataSources.failing(), revision2).supports(NOTIFY_INSERT)).isTrue();
        assertThat(new PgmqClient(TestDataSources.failing(), revision1).supports(NOTIFY_INSERT)).isFalse();

        assertThat(revision1.describe()).isEqualTo("Supaqueue pgmq-compatible schema (pgmq 1.5.1 API)");
        assertThat(revision2.describe())
                .isEqualTo("Supaqueue pgmq-compatible schema (pgmq 1.5.1 API, with insert notifications)");
        assertThat(revision2.withPublicWrappers(true))
                .isEqualTo(new PgmqInstallation(PgmqFlavour.SUPAQUEUE_COMPAT, PgmqVersion.parse("1.5.1"), false,
                        true, EnumSet.of(NOTIFY_INSERT)));
    }

    @Test
    void extraFeaturesAreCopiedAndAnAbsentPgmqHasNone() {
        EnumSet<PgmqFeature> extras = EnumSet.of(NOTIFY_INSERT);
        PgmqInstallation installation = new PgmqInstallation(PgmqFlavour.SUPAQUEUE_COMPAT,
                PgmqVersion.parse("1.5.1"), false, false, extras);
        extras.add(TOPICS);
        assertThat(installation.extraFeatures()).containsExactly(NOTIFY_INSERT);
        assertThatThrownBy(() -> installation.extraFeatures().add(POP_QTY))
                .isInstanceOf(UnsupportedOperationException.class);

        assertThatThrownBy(() -> new PgmqInstallation(PgmqFlavour.ABSENT, null, false, false, Set.of(NOTIFY_INSERT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no features");
        assertThatThrownBy(() -> new PgmqInstallation(PgmqFlavour.EXTENSION, PgmqVersion.parse("1.5.1"), false,
                false, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("extraFeatures");
    }

    @Test
    void theClientAnswersFromAForcedInstallationWithoutTouchingTheDatabase() {
        PgmqClient client = new PgmqClient(TestDataSources.failing(), installation("1.8.0"));
        assertThat(client.supports(BATCH_SET_VT)).isTrue();
        assertThat(client.supports(GROUPED_READ)).isFalse();
        assertThat(client.installation().version()).isEqualTo(PgmqVersion.parse("1.8.0"));
    }

    @Test
    void invalidArgumentsFailBeforeAConnectionIsBorrowed() {
        PgmqClient client = new PgmqClient(TestDataSources.failing(), installation("1.5.1"));
        assertThatThrownBy(() -> client.send("bad;name", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain ;");
        assertThatThrownBy(() -> client.createQueue("x".repeat(48)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("47");
        // A valid call reaches the DataSource, whose failure is wrapped with the operation and queue.
        assertThatThrownBy(() -> client.send("jobs", "{}"))
                .isInstanceOf(PgmqException.class)
                .hasMessageContaining("send")
                .hasMessageContaining("\"jobs\"")
                .hasMessageContaining("08001")
                .satisfies(e -> assertThat(((PgmqException) e).isConnectionFailure()).isTrue());
    }

    @Test
    void delaysRoundUpToWholeMillisecondsAndSeconds() {
        assertThat(PgmqSession.ceilMillis(Duration.ZERO, "d")).isZero();
        assertThat(PgmqSession.ceilMillis(Duration.ofMillis(300), "d")).isEqualTo(300);
        assertThat(PgmqSession.ceilMillis(Duration.ofNanos(300_000_001), "d")).isEqualTo(301);
        assertThat(PgmqSession.ceilSeconds(Duration.ZERO, "d")).isZero();
        assertThat(PgmqSession.ceilSeconds(Duration.ofMillis(1), "d")).isEqualTo(1);
        assertThat(PgmqSession.ceilSeconds(Duration.ofMillis(300), "d")).isEqualTo(1);
        assertThat(PgmqSession.ceilSeconds(Duration.ofSeconds(2), "d")).isEqualTo(2);
        assertThat(PgmqSession.ceilSeconds(Duration.ofMillis(2001), "d")).isEqualTo(3);
    }

    @Test
    void negativeAndHugeDelaysAreRejected() {
        assertThatThrownBy(() -> PgmqSession.ceilMillis(Duration.ofMillis(-1), "delay"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay must not be negative");
        assertThatThrownBy(() -> PgmqSession.ceilSeconds(Duration.ofSeconds(Integer.MAX_VALUE + 1L), "delay"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> PgmqSession.ceilMillis(Duration.ofSeconds(Long.MAX_VALUE), "delay"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");

        PgmqClient client = new PgmqClient(TestDataSources.failing(), installation("1.5.1"));
        assertThatThrownBy(() -> client.send("jobs", "{}", Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void exceptionMessagesNameOperationQueueAndSqlStateButNoPassword() {
        PgmqException e = new PgmqException("send", "jobs", new java.sql.SQLException(
                "could not connect to jdbc:postgresql://u:hunter2@db/x?password=hunter2&ssl=true", "08006"));
        assertThat(e.getMessage()).contains("pgmq send on queue \"jobs\" failed [SQLState 08006]")
                .doesNotContain("hunter2");
        assertThat(e.operation()).isEqualTo("send");
        assertThat(e.queue()).isEqualTo("jobs");
        assertThat(e.sqlState()).isEqualTo("08006");
        assertThat(e.isConnectionFailure()).isTrue();
        assertThat(new PgmqException("read", "q", new java.sql.SQLException("no table", "42P01"))
                .isConnectionFailure()).isFalse();
    }

    private static Set<PgmqFeature> supported(String version) {
        PgmqVersion parsed = PgmqVersion.parse(version);
        return Arrays.stream(PgmqFeature.values()).filter(f -> f.supportedBy(parsed))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(PgmqFeature.class)));
    }

    private static Set<PgmqFeature> supported(PgmqInstallation installation) {
        return Arrays.stream(PgmqFeature.values()).filter(f -> f.supportedBy(installation))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(PgmqFeature.class)));
    }

    static PgmqInstallation installation(String version) {
        return new PgmqInstallation(PgmqFlavour.EXTENSION, PgmqVersion.parse(version), false, false);
    }
}
