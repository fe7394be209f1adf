package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 2: SIGTERM to a worker that is running tasks with a full prefetch behind them. The visibility timeout is
 * long, so a message left hidden by the stopping worker would only come back after it; a second worker must finish
 * everything well before.
 */
@PgmqIntegrationTest
class GracefulStopIT {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void sigtermFinishesRunningTasksAndGivesPrefetchedMessagesBackAtOnce(TestDatabaseServer db) throws Exception {
        GracefulStopScenario.Options options = GracefulStopScenario.Options.defaults(ItSupport.RESULTS.resolve("logs"))
                .withMessages(40);

        ScenarioReport report = new GracefulStopScenario(ItSupport.database(db), options).run();
        ItSupport.writeAndPrint(report);

        ItSupport.assertPassed(report);
        assertThat(report.figure("A exit code")).isEqualTo("0");
        assertThat(report.longFigure("A's tasks finished during its shutdown")).isPositive();
        assertThat(report.longFigure("A's prefetched messages given back (run by B)")).isPositive();
        assertThat(report.longFigure("everything done after SIGTERM (ms)"))
                .isLessThan(options.visibilityTimeout().toMillis() / 2);
        assertThat(report.longFigure("lost")).isZero();
        assertThat(report.longFigure("duplicates")).isZero();
    }

    /**
     * A task that outlives the shutdown timeout is interrupted and not acknowledged: the worker still exits 0 in
     * time, and once the interrupted task has ended its message is given back at once, so it runs again well
     * before its visibility timeout (20 s here) would have lapsed.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aTaskOutlivingTheShutdownTimeoutIsRunAgainNotLost(TestDatabaseServer db) throws Exception {
        GracefulStopScenario.Options options = GracefulStopScenario.Options.defaults(ItSupport.RESULTS.resolve("logs"))
                .withMessages(40).withOverrun(10_000, Duration.ofSeconds(20), Duration.ofSeconds(3));

        ScenarioReport report = new GracefulStopScenario(ItSupport.database(db), options).run();
        report.writeTo(ItSupport.RESULTS.resolve("overrun"));
        System.out.println(report.toMarkdown());

        ItSupport.assertPassed(report);
        assertThat(report.figure("A exit code")).isEqualTo("0");
        assertThat(report.figure("overrunning task: run again after SIGTERM (ms)")).isNotEqualTo("never");
        assertThat(Long.parseLong(report.figure("overrunning task: run again after SIGTERM (ms)").toString()))
                .isLessThan(options.visibilityTimeout().toMillis() / 2);
        assertThat(report.longFigure("lost")).isZero();
    }
}
