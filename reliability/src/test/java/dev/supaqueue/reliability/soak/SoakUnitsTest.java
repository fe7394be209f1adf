package dev.supaqueue.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The soak's parts that need no database: options, the traffic plan, the ledger, percentiles and trends. */
class SoakUnitsTest {

    @Test
    void optionsParseOverTheDefaultsAndRefuseNonsense() {
        SoakOptions options = SoakOptions.parse("--minutes", "1", "--seconds", "30", "--rate", "80", "--threads",
                "4", "--prefetch", "12", "--interval", "5", "--report-dir", "out", "");
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.ratePerSecond()).isEqualTo(80);
        assertThat(options.workerThreads()).isEqualTo(4);
        assertThat(options.prefetch()).isEqualTo(12);
        assertThat(options.sampleInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.reportDir()).isEqualTo(Path.of("out"));
        assertThat(options.flakyPercent()).isEqualTo(SoakOptions.defaults().flakyPercent());
        assertThat(SoakOptions.parse().duration()).isEqualTo(Duration.ofMinutes(10));

        assertThatThrownBy(() -> SoakOptions.parse("--rate", "fast")).hasMessageContaining("--rate needs a whole");
        assertThatThrownBy(() -> SoakOptions.parse("--rate")).hasMessageContaining("--rate needs a value");
        assertThatThrownBy(() -> SoakOptions.parse("--speed", "3")).hasMessageContaining("unknown option '--speed'");
        assertThatThrownBy(() -> SoakOptions.parse("--seconds", "0")).hasMessageContaining("duration");
        assertThatThrownBy(() -> SoakOptions.parse("--flaky-percent", "60", "--delayed-percent", "50"))
                .hasMessageContaining("more than 100");
        assertThatThrownBy(() -> SoakOptions.parse("--max-retries", "1")).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> SoakOptions.parse("--help")).isInstanceOf(SoakOptions.HelpRequested.class);
    }

    @Test
    void everyHundredMessagesHoldTheSharesExactly() {
        SoakTraffic traffic = new SoakTraffic(10, 3, 7, 3000);
        for (int block = 0; block < 3; block++) {
            Map<SoakTraffic.Kind, Integer> counts = new EnumMap<>(SoakTraffic.Kind.class);
            for (long seq = block * 100L; seq < block * 100L + 100; seq++) {
                counts.merge(traffic.kind(seq), 1, Integer::sum);
                long delay = traffic.delayMillis(seq);
                assertThat(delay).isBetween((long) SoakTraffic.LEAST_DELAY_MILLIS, 3000L);
                assertThat(SoakTraffic.flakyFailures(seq)).isBetween(1, SoakTraffic.MOST_FLAKY_FAILURES);
            }
            assertThat(counts).containsEntry(SoakTraffic.Kind.FLAKY, 10).containsEntry(SoakTraffic.Kind.DOOMED, 3)
                    .containsEntry(SoakTraffic.Kind.DELAYED, 7).containsEntry(SoakTraffic.Kind.OK, 80);
        }
        // Not in runs: the doomed ones of a block are spread out.
        List<Long> doomed = IntStream.range(0, 100).mapToObj(i -> (long) i)
                .filter(seq -> traffic.kind(seq) == SoakTraffic.Kind.DOOMED).toList();
        assertThat(doomed.getLast() - doomed.getFirst()).isGreaterThan(10);
    }

    @Test
    void theLedgerTellsLostDuplicatedAndOffPlanMessagesApart() {
        SoakTraffic traffic = new SoakTraffic(0, 50, 0, 1000); // even numbers doomed or not: check by kind
        SoakLedger ledger = new SoakLedger(10);
        for (long seq = 0; seq < 6; seq++) {
            ledger.sending(seq);
            ledger.sent(seq);
        }
        long doomed = IntStream.range(0, 6).filter(s -> traffic.kind(s) == SoakTraffic.Kind.DOOMED).findFirst()
                .orElseThrow();
        long fine = IntStream.range(0, 6).filter(s -> traffic.kind(s) == SoakTraffic.Kind.OK).findFirst()
                .orElseThrow();
        ledger.deadLetteredOnce(doomed);
        ledger.succeededOnce(fine);
        ledger.succeededOnce(fine); // delivered twice
        long misfit = IntStream.range(0, 6).filter(s -> s != fine && traffic.kind(s) == SoakTraffic.Kind.OK)
                .findFirst().orElseThrow();
        ledger.deadLetteredOnce(misfit); // an OK message must not die
        ledger.succeededOnce(misfit); // ... nor die and succeed

        SoakLedger.Tally tally = ledger.tally(6, traffic, 2);
        assertThat(tally.succeeded()).isEqualTo(1);
        assertThat(tally.dead()).isEqualTo(2);
        assertThat(tally.pending()).as("never settled: lost").isEqualTo(3);
        assertThat(tally.offPlan()).isEqualTo(1);
        assertThat(ledger.duplicates.get()).isEqualTo(1);
        assertThat(ledger.contradictions.get()).isEqualTo(1);
        assertThat(ledger.known(7)).isFalse();
        assertThat(ledger.known(-1)).isFalse();
    }

    @Test
    void percentilesAreWithinTheBucketPrecision() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 100_000; micros++) {
            histogram.recordMicros(micros);
        }
        assertThat(histogram.percentileMicros(50)).isCloseTo(50_000, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(histogram.percentileMicros(99)).isCloseTo(99_000, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(histogram.percentileMicros(100)).isEqualTo(100_000);
        LatencyHistogram taken = histogram.takeAndReset();
        assertThat(taken.count()).isEqualTo(100_000);
        assertThat(histogram.count()).isZero();
        assertThat(histogram.percentileMicros(50)).isEqualTo(-1);
        for (long value : new long[] {0, 127, 128, 1000, 123_456_789L}) {
            long back = LatencyHistogram.representative(LatencyHistogram.index(value));
            assertThat((double) back).isCloseTo(value, org.assertj.core.data.Offset.offset(value / 60.0 + 1));
        }
    }

    @Test
    void trendsCallNoiseFlatAndALeakGrowth() {
        List<Double> minutes = IntStream.range(0, 30).mapToObj(i -> i / 3.0).toList();
        List<Double> noisy = IntStream.range(0, 30).mapToObj(i -> 40.0 + (i % 3) - 1).toList();
        List<Double> leaking = IntStream.range(0, 30).mapToObj(i -> 40.0 + i * 2.0).toList();
        List<Double> missing = IntStream.range(0, 30).mapToObj(i -> i < 28 ? -1.0 : 40.0).toList();

        assertThat(Trend.of("heap", minutes, noisy, 8).verdict()).isEqualTo(Trend.FLAT);
        Trend leak = Trend.of("heap", minutes, leaking, 8);
        assertThat(leak.verdict()).isEqualTo(Trend.GROWS);
        assertThat(leak.slopePerMinute()).isCloseTo(6.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Trend.of("heap", minutes, leaking.reversed(), 8).verdict()).isEqualTo(Trend.SHRINKS);
        assertThat(Trend.of("heap", minutes, missing, 8).verdict()).isEqualTo(Trend.TOO_FEW);
    }
}
