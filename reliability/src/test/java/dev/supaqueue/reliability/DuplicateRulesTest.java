package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.reliability.ExecutionsTable.Execution;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The killed-workers scenario's rule for which duplicates at-least-once delivery explains. */
class DuplicateRulesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Execution run(String key, long pid, long startMillis, long endMillis) {
        return new Execution(key, pid, T0.plusMillis(startMillis), T0.plusMillis(endMillis));
    }

    @Test
    void aRerunAfterTheFirstRunnerWasKilledIsAllowed() {
        var verdict = KilledWorkersScenario.Duplicates.judge(
                Map.of("k1", List.of(run("k1", 100, 0, 10), run("k1", 200, 3_500, 3_510))),
                Map.of(100L, T0.plusMillis(50)));

        assertThat(verdict.allowed()).isEqualTo(1);
        assertThat(verdict.unexplained()).isEmpty();
    }

    @Test
    void aRerunWhoseFirstRunnerWasNeverKilledIsNot() {
        var verdict = KilledWorkersScenario.Duplicates.judge(
                Map.of("k1", List.of(run("k1", 100, 0, 10), run("k1", 200, 3_500, 3_510))),
                Map.of(300L, T0.plusMillis(50)));

        assertThat(verdict.allowed()).isZero();
        assertThat(verdict.unexplained()).singleElement().asString().contains("k1", "never killed");
    }

    @Test
    void aRerunThatStartedBeforeTheKillIsNot() {
        // Two live holders at once: the message was redelivered while its first runner still lived.
        var verdict = KilledWorkersScenario.Duplicates.judge(
                Map.of("k1", List.of(run("k1", 100, 0, 10), run("k1", 200, 20, 30))),
                Map.of(100L, T0.plusMillis(500)));

        assertThat(verdict.unexplained()).hasSize(1);
    }

    @Test
    void runsAreJudgedInFinishingOrderWhateverTheirListOrder() {
        var verdict = KilledWorkersScenario.Duplicates.judge(
                Map.of("k1", List.of(run("k1", 300, 7_000, 7_010), run("k1", 100, 0, 10),
                        run("k1", 200, 3_500, 3_510))),
                Map.of(100L, T0.plusMillis(50), 200L, T0.plusMillis(3_600)));

        assertThat(verdict.allowed()).isEqualTo(2);
        assertThat(verdict.unexplained()).isEmpty();
    }
}
