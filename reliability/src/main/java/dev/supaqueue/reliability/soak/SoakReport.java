package dev.supaqueue.reliability.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Writes a soak's report: {@code soak.md} (verdicts, summary, time series) and {@code soak.csv} (time series). */
final class SoakReport {

    static final String MARKDOWN = "soak.md";
    static final String CSV = "soak.csv";

    private SoakReport() {
    }

    /** Writes both files into the directory (created if needed); returns the result with their paths. */
    static SoakResult write(SoakResult result, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path csv = directory.resolve(CSV);
        Path markdown = directory.resolve(MARKDOWN);
        Files.writeString(csv, csv(result.samples()), StandardCharsets.UTF_8);
        Files.writeString(markdown, markdown(result), StandardCharsets.UTF_8);
        return new SoakResult(result.options(), result.database(), result.samples(), result.warmupSeconds(),
                result.tally(), result.counters(), result.checks(), result.notes(), result.trends(), result.summary(),
                markdown, csv);
    }

    static String csv(List<SoakSample> samples) {
        StringBuilder text = new StringBuilder(String.join(",", SoakSample.COLUMNS)).append('\n');
        for (SoakSample sample : samples) {
            text.append(String.join(",", sample.values())).append('\n');
        }
        return text.toString();
    }

    static String markdown(SoakResult result) {
        SoakResult.Summary s = result.summary();
        SoakResult.Counters c = result.counters();
        SoakLedger.Tally t = result.tally();
        StringBuilder md = new StringBuilder();
        md.append("# Supaqueue soak\n\n");
        md.append("Written ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(". Verdict: **")
                .append(result.passed() ? "PASSED" : "FAILED").append("** — ").append(result.lost())
                .append(" message(s) lost.\n\n");
        md.append("- Options: ").append(result.options().describe()).append('\n');
        md.append("- Database: ").append(result.database()).append(", namespace `")
                .append(result.options().namespace()).append("`\n");
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPU(s), max heap ")
                .append(s.maxHeapMb()).append(" MB, GC: ").append(s.gc()).append('\n');
        java.util.DoubleSummaryStatistics load = result.samples().stream().mapToDouble(SoakSample::loadAverage)
                .filter(v -> v >= 0).summaryStatistics();
        java.util.DoubleSummaryStatistics cpu = result.samples().stream().filter(x -> x.phase().equals("run"))
                .mapToDouble(SoakSample::processCpuPercent).filter(v -> v >= 0).summaryStatistics();
        if (load.getCount() > 0) {
            md.append(String.format(Locale.ROOT, "- Machine load (1-minute average) during the soak: mean %.1f,"
                    + " %.1f to %.1f, on %d CPU(s); this JVM used %.0f %% of them on average while producing%n",
                    load.getAverage(), load.getMin(), load.getMax(), Runtime.getRuntime().availableProcessors(),
                    cpu.getCount() == 0 ? -1 : cpu.getAverage()));
        }
        md.append(String.format(Locale.ROOT, "- Run %.1f s, drain %.1f s; warm-up left out of the trends: first"
                + " %.0f s%n%n", s.seconds(), s.drainSeconds(), result.warmupSeconds()));

        md.append("## Conservation\n\n| check | result | detail |\n|---|---|---|\n");
        for (SoakResult.Check check : result.checks()) {
            md.append("| ").append(check.name()).append(" | ").append(check.passed() ? "pass" : "**FAIL**")
                    .append(" | ").append(check.detail()).append(" |\n");
        }
        md.append('\n');
        md.append("| sent | succeeded | dead-lettered | lost | retries enqueued (planned) | attempts (ok / failed)"
                + " | duplicates | redeliveries | enqueue errors |\n|---|---|---|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d (%d) | %d (%d / %d) | %d | %d | %d |%n%n",
                c.sent(), t.succeeded(), t.dead(), t.pending(), c.retried(), c.plannedRetries(), c.attempts(),
                c.attemptsSucceeded(), c.attemptsFailed(), c.duplicates(), c.redeliveries(), c.sendErrors()));
        for (String note : result.notes()) {
            md.append("- ").append(note).append('\n');
        }
        md.append('\n');

        md.append("## Throughput and latency\n\n");
        md.append(String.format(Locale.ROOT, "- Sent %.1f msg/s (target %d), succeeded %.1f msg/s over the run%n",
                s.sentPerSecond(), result.options().ratePerSecond(), s.succeededPerSecond()));
        md.append(String.format(Locale.ROOT, "- Enqueue to start (first attempt, undelayed, %d messages): p50 %s ms,"
                        + " p99 %s ms, max %s ms%n", s.latencyCount(), SoakSample.num(s.latencyP50Millis()),
                SoakSample.num(s.latencyP99Millis()), SoakSample.num(s.latencyMaxMillis())));
        md.append(String.format(Locale.ROOT, "- Delayed messages started after their due time: p50 %s ms, p99 %s ms"
                        + "%n%n", SoakSample.num(s.delayedLateP50Millis()),
                SoakSample.num(s.delayedLateP99Millis())));

        md.append("## Resources: flat or not\n\n");
        md.append("Mean of the first third against the last third of the samples after the warm-up, and the"
                + " least-squares slope; reported, not judged by time.\n\n");
        md.append("| metric | verdict | samples | first third | last third | slope / min | tolerance |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Trend trend : result.trends()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %.1f |%n", trend.metric(),
                    trend.verdict(), trend.samples(), fixed(trend.firstMean()), fixed(trend.lastMean()),
                    signed(trend.slopePerMinute()), trend.tolerance()));
        }
        md.append('\n');
        long collections = result.samples().stream().filter(x -> x.elapsedSeconds() > result.warmupSeconds())
                .mapToLong(SoakSample::collections).sum();
        md.append("Heap after GC is taken from the collections themselves (").append(collections)
                .append(" after the warm-up), never forced with System.gc(); a large young generation collects"
                        + " rarely, so few intervals carry a fresh figure. A smaller young generation gives more,"
                        + " e.g. -Dreliability.heap=\"-Xmx512m -Xmn32m\".\n\n");
        if (s.start() != null && s.end() != null) {
            md.append("| | start (after warm-up) | end of run |\n|---|---|---|\n");
            row(md, "elapsed (s)", s.start().elapsedSeconds(), s.end().elapsedSeconds());
            row(md, "heap used (MB)", s.start().heapUsedMb(), s.end().heapUsedMb());
            row(md, "heap after GC (MB)", s.start().heapAfterGcMb(), s.end().heapAfterGcMb());
            row(md, "old gen after GC (MB)", s.start().oldAfterGcMaxMb(), s.end().oldAfterGcMaxMb());
            row(md, "live threads", s.start().threads(), s.end().threads());
            row(md, "pool active / idle / total", s.start().poolActive() + " / " + s.start().poolIdle() + " / "
                    + s.start().poolTotal(), s.end().poolActive() + " / " + s.end().poolIdle() + " / "
                    + s.end().poolTotal());
            row(md, "server connections (soak / database)", s.start().serverConnections() + " / "
                    + s.start().serverConnectionsDatabase(), s.end().serverConnections() + " / "
                    + s.end().serverConnectionsDatabase());
            md.append('\n');
        }
        md.append("After the broker closed: ").append(s.serverConnectionsAfterClose())
                .append(" soak connection(s) left on the server; ").append(s.threadsAfterClose())
                .append(" live threads (").append(s.threadsBeforeBroker()).append(" before the broker started).\n\n");

        md.append("## Time series\n\n");
        md.append("Per interval: sent, attempts processed, succeeded, retries enqueued, dead-lettered (totals in"
                + " brackets); latency = enqueue to start of the first attempt of undelayed messages.\n\n");
        md.append("| t (s) | phase | sent | processed | ok | retried | dead | ok/s | p50 ms | p99 ms | heap MB"
                + " | after GC MB | old after GC MB | threads | pool a/i/t | server conns | depth | dead letters"
                + " | load 1m | cpu % |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SoakSample x : result.samples()) {
            md.append(String.format(Locale.ROOT,
                    "| %.0f | %s | %d (%d) | %d | %d (%d) | %d (%d) | %d (%d) | %.1f | %s | %s | %.1f | %s | %s | %d"
                            + " | %d/%d/%d | %d | %d | %d | %s | %s |%n",
                    x.elapsedSeconds(), x.phase(), x.sent(), x.sentTotal(), x.processed(), x.succeeded(),
                    x.succeededTotal(), x.retried(), x.retriedTotal(), x.deadLettered(), x.deadLetteredTotal(),
                    x.succeededPerSecond(), SoakSample.num(x.latencyP50Millis()),
                    SoakSample.num(x.latencyP99Millis()), x.heapUsedMb(), SoakSample.num(x.heapAfterGcMb()),
                    SoakSample.num(x.oldAfterGcMaxMb()), x.threads(), x.poolActive(), x.poolIdle(), x.poolTotal(),
                    x.serverConnections(), x.queueDepth(), x.deadLetters(), SoakSample.num(x.loadAverage()),
                    SoakSample.num(x.processCpuPercent())));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, Object start, Object end) {
        md.append("| ").append(name).append(" | ").append(cell(start)).append(" | ").append(cell(end)).append(" |\n");
    }

    private static String cell(Object value) {
        return value instanceof Double d ? SoakSample.num(d) : String.valueOf(value);
    }

    private static String fixed(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String signed(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%+.2f", value);
    }
}
