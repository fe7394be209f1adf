package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.TestDatabaseServer;
import java.io.IOException;
import java.nio.file.Path;

/** What the scenario ITs share: the database, where reports and logs go, the seed, and the final assertion. */
final class ItSupport {

    static final Path RESULTS = Path.of("target", "reliability-results", "it");

    private ItSupport() {
    }

    static ScenarioDatabase database(TestDatabaseServer db) {
        return ScenarioDatabase.existing(db.jdbcUrl(), db.credentials());
    }

    /** -Dreliability.seed=N replays a run; otherwise a new seed, printed with the report. */
    static long seed() {
        return Long.getLong("reliability.seed", System.currentTimeMillis());
    }

    static void writeAndPrint(ScenarioReport report) throws IOException {
        report.writeTo(RESULTS);
        System.out.println(report.toMarkdown());
    }

    static void assertPassed(ScenarioReport report) {
        assertThat(report.violations()).as("broken invariants of %s (report in %s)", report.name(), RESULTS)
                .isEmpty();
    }
}
