package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.admin.Count;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void countsShowTheirPrecision() {
        assertThat(Formats.count(Count.exact(42), Locale.ENGLISH)).isEqualTo("42");
        assertThat(Formats.count(Count.exact(0), Locale.ENGLISH)).isEqualTo("0");
        assertThat(Formats.count(Count.atLeast(100_000), Locale.ENGLISH)).isEqualTo("≥ 100,000");
        assertThat(Formats.count(Count.estimate(1_250_000), Locale.ENGLISH)).isEqualTo("≈ 1,250,000");
        assertThat(Formats.count(Count.exact(1_000_000), Locale.GERMAN)).isEqualTo("1.000.000");
        assertThat(Formats.count(null, Locale.ENGLISH)).as("a queue without dead-letter queue").isEqualTo("—");
    }

    @Test
    void agesUseTheTwoLargestUnits() {
        assertThat(Formats.age(null)).isEqualTo("—");
        assertThat(Formats.age(Duration.ZERO)).isEqualTo("0 s");
        assertThat(Formats.age(Duration.ofMillis(-300))).as("clock noise").isEqualTo("0 s");
        assertThat(Formats.age(Duration.ofMillis(42_900))).isEqualTo("42 s");
        assertThat(Formats.age(Duration.ofSeconds(60))).isEqualTo("1 min");
        assertThat(Formats.age(Duration.ofSeconds(192))).isEqualTo("3 min 12 s");
        assertThat(Formats.age(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
        assertThat(Formats.age(Duration.ofHours(2))).isEqualTo("2 h");
        assertThat(Formats.age(Duration.ofHours(76).plusMinutes(59))).isEqualTo("3 d 4 h");
    }

    @Test
    void countdownsRoundUpToTheNextSecond() {
        assertThat(Formats.countdown(Duration.ofSeconds(300))).isEqualTo("5:00");
        assertThat(Formats.countdown(Duration.ofMillis(299_001))).isEqualTo("5:00");
        assertThat(Formats.countdown(Duration.ofSeconds(299))).isEqualTo("4:59");
        assertThat(Formats.countdown(Duration.ofMillis(1))).as("not visible yet").isEqualTo("0:01");
        assertThat(Formats.countdown(Duration.ZERO)).isEqualTo("0:00");
        assertThat(Formats.countdown(Duration.ofSeconds(-5))).isEqualTo("0:00");
        assertThat(Formats.countdown(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
        assertThat(Formats.countdown(Duration.ofDays(2).plusSeconds(3 * 3600 + 4 * 60 + 5))).isEqualTo("2 d 03:04:05");
        assertThatThrownBy(() -> Formats.countdown(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void timestampsAreShownInTheGivenZone() {
        Instant instant = Instant.parse("2026-11-24T01:32:50.123Z");
        assertThat(Formats.timestamp(instant, ZoneId.of("UTC"))).isEqualTo("2026-11-24 01:32:50.123");
        assertThat(Formats.timestamp(instant, ZoneId.of("Europe/Berlin"))).isEqualTo("2026-11-24 02:32:50.123");
        assertThat(Formats.timestampWithZone(instant, ZoneId.of("UTC"))).isEqualTo("2026-11-24 01:32:50.123 UTC");
        assertThat(Formats.timestamp(null, ZoneId.of("UTC"))).isEqualTo("—");
    }

    @Test
    void previewsAreOneLineAndCut() {
        assertThat(Formats.preview("{\n  \"a\":  1\n}", 100)).isEqualTo("{ \"a\": 1 }");
        assertThat(Formats.preview("abcdefghij", 4)).isEqualTo("abcd…");
        assertThat(Formats.preview(null, 4)).isEmpty();
    }

    @Test
    void ratesKeepOneDecimalWhenSmall() {
        assertThat(Formats.rate(null)).isEqualTo("—");
        assertThat(Formats.rate(0.5)).isEqualTo("0.5/s");
        assertThat(Formats.rate(12.4)).isEqualTo("12/s");
    }
}
