package dev.supaqueue.console.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActorStatsRowTest {

    private static ProcessedMessage done(long millis, Outcome outcome) {
        return new ProcessedMessage(Instant.EPOCH, "m", "echo", "q", Duration.ofMillis(millis), outcome, "");
    }

    @Test
    void countsOutcomesAndComputesMedianAndAverage() {
        ActorStatsRow row = new ActorStatsRow("echo");
        row.add(done(10, Outcome.DONE));
        row.add(done(20, Outcome.RETRIED));
        row.add(done(30, Outcome.DONE));
        row.add(done(1_000, Outcome.DEAD_LETTERED));
        row.add(done(40, Outcome.FAILED));
        row.refreshLatency();
        assertThat(row.processedProperty().get()).isEqualTo(5);
        assertThat(row.doneProperty().get()).isEqualTo(2);
        assertThat(row.retriedProperty().get()).isEqualTo(1);
        assertThat(row.failedProperty().get()).isEqualTo(1);
        assertThat(row.deadLetteredProperty().get()).isEqualTo(1);
        assertThat(row.medianMillisProperty().get()).isCloseTo(30, within(1e-9));
        assertThat(row.averageMillisProperty().get()).isCloseTo(220, within(1e-9));
    }

    @Test
    void medianCoversOnlyTheRecentWindowButAverageCoversAll() {
        ActorStatsRow row = new ActorStatsRow("sleep");
        for (int i = 0; i < ActorStatsRow.LATENCY_WINDOW; i++) {
            row.add(done(1_000, Outcome.DONE));
        }
        for (int i = 0; i < ActorStatsRow.LATENCY_WINDOW; i++) {
            row.add(done(2, Outcome.DONE));
        }
        row.refreshLatency();
        assertThat(row.medianMillisProperty().get()).isCloseTo(2, within(1e-9));
        assertThat(row.averageMillisProperty().get()).isCloseTo(501, within(1e-9));
    }
}
