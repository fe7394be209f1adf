package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 3: 20 s (-Dreliability.chaos.seconds=N) of producers and two worker processes while every other
 * connection to the test's own throw-away database is terminated every 1-3 s. The producers' broker makes one enqueue
 * attempt, so a cut send surfaces as an exception instead of being retried away; every send that returned is executed.
 */
@PgmqIntegrationTest
class TerminatedConnectionsIT {

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void acknowledgedSendsSurviveTerminatedConnections(TestDatabaseServer db) throws Exception {
        TerminatedConnectionsScenario.Options options = TerminatedConnectionsScenario.Options
                .defaults(ItSupport.RESULTS.resolve("logs"))
                .withDuration(Duration.ofSeconds(Integer.getInteger("reliability.chaos.seconds", 20)))
                .withSeed(ItSupport.seed())
                .withEnqueueAttempts(1);

        ScenarioReport report = new TerminatedConnectionsScenario(ItSupport.database(db), options).run();
        ItSupport.writeAndPrint(report);

        ItSupport.assertPassed(report);
        assertThat(report.longFigure("terminations")).isPositive();
        assertThat(report.longFigure("cuts survived (send and processing resumed)"))
                .isEqualTo(report.longFigure("terminations"));
        assertThat(report.longFigure("lost (acknowledged, never executed)")).isZero();
        assertThat(report.longFigure("sends acknowledged")).isPositive();
        assertThat(report.longFigure("queue length at end")).isZero();
    }
}
