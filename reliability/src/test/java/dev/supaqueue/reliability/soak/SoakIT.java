package dev.supaqueue.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak's own code, short and slow, on a real PostgreSQL: a clean run conserves every message and writes its
 * report; a run whose messages are deleted behind the worker's back fails and says how many were lost.
 */
@PgmqIntegrationTest
class SoakIT {

    private static final int RATE = 20;
    private static final Duration RUN = Duration.ofSeconds(20);
    private static final Duration INTERVAL = Duration.ofSeconds(5);

    private static SoakOptions options(String namespace, Path reportDir, Duration duration, int delayedPercent,
                                       int maxDelayMillis, Duration drainTimeout) {
        return new SoakOptions(duration, RATE, 2, 4, 8, INTERVAL, 10, 5, delayedPercent, maxDelayMillis, 2, 2, 50,
                300, drainTimeout, namespace, null, reportDir);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aShortSoakConservesEveryMessageAndWritesItsReport(TestDatabaseServer db, @TempDir Path reports)
            throws Exception {
        SoakOptions options = options("soakit", reports, RUN, 10, 1500, Duration.ofSeconds(45));

        SoakResult result = Soak.run(options, db.brokerSettings().build(), db.source(), System.out);

        long sent = result.counters().sent();
        assertThat(sent).as("messages sent at %d/s for %d s", RATE, RUN.toSeconds())
                .isBetween((long) (RATE * RUN.toSeconds() * 0.8), (long) (RATE * RUN.toSeconds() * 1.05));
        assertThat(result.lost()).as("lost").isZero();
        assertThat(result.tally().succeeded() + result.tally().dead()).as("succeeded + dead-lettered")
                .isEqualTo(sent);
        assertThat(result.tally().dead()).as("dead letters: exactly the doomed messages")
                .isEqualTo(result.tally().plannedDead()).isPositive();
        assertThat(result.counters().retried()).as("retries: 1-2 per flaky message, 2 per doomed one")
                .isEqualTo(result.counters().plannedRetries()).isPositive();
        assertThat(result.counters().queueDepthAtEnd()).as("left in the queues").isZero();
        assertThat(result.counters().deadLetterQueueAtEnd()).as("in the dead-letter queues")
                .isEqualTo(result.tally().dead());
        assertThat(result.counters().contradictions()).isZero();
        assertThat(result.counters().startedEarly()).as("delayed messages started before their delay").isZero();
        assertThat(result.checks()).allSatisfy(check -> assertThat(check.passed()).as(check.name()).isTrue());
        assertThat(result.passed()).isTrue();
        assertThat(result.summary().latencyCount()).as("latencies measured").isPositive();
        assertThat(result.summary().serverConnectionsAfterClose()).as("server connections left after close")
                .isZero();

        // The CSV: a header, one row per interval of the run, then the drain; its per-interval counts add up to
        // the totals.
        List<String> lines = Files.readAllLines(result.csvReport(), StandardCharsets.UTF_8);
        assertThat(lines.getFirst().split(",")).containsExactlyElementsOf(SoakSample.COLUMNS);
        List<Map<String, String>> rows = lines.stream().skip(1).map(SoakIT::row).toList();
        long runRows = rows.stream().filter(r -> r.get("phase").equals("run")).count();
        assertThat(runRows).as("run rows").isBetween(RUN.toSeconds() / INTERVAL.toSeconds(),
                RUN.toSeconds() / INTERVAL.toSeconds() + 1);
        assertThat(rows.getLast().get("phase")).isEqualTo("drain");
        assertThat(sum(rows, "sent")).isEqualTo(sent);
        assertThat(sum(rows, "succeeded")).isEqualTo(result.tally().succeeded());
        assertThat(sum(rows, "dead_lettered")).isEqualTo(result.tally().dead());
        assertThat(sum(rows, "retried")).isEqualTo(result.counters().retried());
        assertThat(rows.getLast().get("sent_total")).isEqualTo(Long.toString(sent));
        assertThat(rows.getLast().get("queue_depth")).isEqualTo("0");
        assertThat(rows.getLast().get("dead_letters")).isEqualTo(Long.toString(result.tally().dead()));
        assertThat(rows).allSatisfy(r -> {
            assertThat(Integer.parseInt(r.get("pool_total"))).as("pool connections").isPositive();
            assertThat(Integer.parseInt(r.get("server_conns_soak"))).as("server connections").isPositive();
            assertThat(Integer.parseInt(r.get("threads"))).as("threads").isPositive();
        });

        String markdown = Files.readString(result.markdownReport(), StandardCharsets.UTF_8);
        assertThat(markdown).contains("Verdict: **PASSED** — 0 message(s) lost", "| conservation | pass | sent "
                + sent + " = succeeded " + result.tally().succeeded() + " + dead-lettered " + result.tally().dead());
        assertThat(markdown.lines().filter(l -> l.matches("\\| \\d+ \\| (run|drain) \\|.*")).count())
                .as("time-series rows in the Markdown").isEqualTo(rows.size());
        assertThat(markdown).contains("| live threads |", "| pool connections (total) |",
                "| server connections (soak) |");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void messagesDeletedBehindTheWorkersBackAreReportedLost(TestDatabaseServer db, @TempDir Path reports)
            throws Exception {
        // Half the messages wait up to 3 s in the delayed queue, where the test deletes them.
        SoakOptions options = options("soakloss", reports, Duration.ofSeconds(8), 50, 3000, Duration.ofSeconds(5));
        String delayedQueue = QueueNames.pgmqName("soakloss", Soak.DELAYED_QUEUE);

        CompletableFuture<Long> purged = CompletableFuture.supplyAsync(() -> {
            try (Connection connection = db.connect()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(7);
                while (System.nanoTime() < deadline) {
                    if (PgmqSql.single(connection, "SELECT count(*) FROM pgmq.list_queues() WHERE queue_name = ?",
                            delayedQueue) == 1 && PgmqSql.single(connection,
                            "SELECT queue_length FROM pgmq.metrics(?::text)", delayedQueue) >= 3) {
                        return PgmqSql.single(connection, "SELECT pgmq.purge_queue(?::text)", delayedQueue);
                    }
                    Thread.sleep(100);
                }
                return 0L;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SoakResult result = Soak.run(options, db.brokerSettings().build(), db.source(), System.out);

        long deleted = purged.get(10, TimeUnit.SECONDS);
        assertThat(deleted).as("delayed messages deleted by the test").isPositive();
        // A message read just before the purge still runs; the others are gone.
        assertThat(result.lost()).as("lost").isPositive().isLessThanOrEqualTo(deleted);
        assertThat(result.passed()).isFalse();
        Map<String, SoakResult.Check> checks = result.checks().stream()
                .collect(Collectors.toMap(SoakResult.Check::name, Function.identity()));
        assertThat(checks.get("none lost").passed()).isFalse();
        assertThat(checks.get("conservation").passed()).isFalse();
        assertThat(checks.get("none lost").detail()).startsWith(result.lost() + " of " + result.counters().sent());
        assertThat(Files.readString(result.markdownReport(), StandardCharsets.UTF_8))
                .contains("Verdict: **FAILED** — " + result.lost() + " message(s) lost", "| none lost | **FAIL** |");
    }

    private static Map<String, String> row(String line) {
        String[] values = line.split(",", -1);
        assertThat(values).hasSameSizeAs(SoakSample.COLUMNS);
        return IntStream.range(0, values.length).boxed()
                .collect(Collectors.toMap(SoakSample.COLUMNS::get, i -> values[i]));
    }

    private static long sum(List<Map<String, String>> rows, String column) {
        return rows.stream().mapToLong(r -> Long.parseLong(r.get(column))).sum();
    }
}
