package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 1 at its documented size: 3 worker JVMs, 10,000 messages (-Dreliability.killed.messages=N to change), a
 * 3 s visibility timeout, and a SIGKILL of a random worker every 1-3 s (seeded: -Dreliability.seed=N replays the
 * schedule), each followed by a restart. Nothing may be lost, left in the queue or dead-lettered, and every duplicate
 * must have its earlier run on a process that was killed before the later run began.
 */
@PgmqIntegrationTest
class KilledWorkersIT {

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killedAndRestartedWorkersLoseNothingAndDuplicateOnlyKilledRuns(TestDatabaseServer db) throws Exception {
        KilledWorkersScenario.Options options = KilledWorkersScenario.Options
                .defaults(ItSupport.RESULTS.resolve("logs"))
                .withMessages(Integer.getInteger("reliability.killed.messages", 10_000))
                .withSeed(ItSupport.seed())
                .withTimeout(Duration.ofSeconds(180));

        ScenarioReport report = new KilledWorkersScenario(ItSupport.database(db), options).run();
        ItSupport.writeAndPrint(report);

        ItSupport.assertPassed(report);
        assertThat(report.longFigure("kills (SIGKILL)")).as("workers killed (seed %d)", options.seed())
                .isPositive();
        assertThat(report.longFigure("lost")).isZero();
        assertThat(report.longFigure("duplicates not allowed")).isZero();
        assertThat(report.longFigure("messages executed")).isEqualTo(options.messages());
        assertThat(report.longFigure("queue length at end")).isZero();
        assertThat(report.longFigure("dead letters")).isZero();
    }
}
