package dev.supaqueue.reliability.soak;

import java.nio.file.Path;
import java.util.List;

/**
 * What a soak run found.
 *
 * @param options          how it ran
 * @param database         where (in words, without credentials)
 * @param samples          the time series, run and drain
 * @param warmupSeconds    samples before this are left out of the trends
 * @param tally            the final state of every message
 * @param counters         the event counts
 * @param checks           conservation checks: any failed one fails the run
 * @param notes            what is reported without failing the run
 * @param trends           whether heap, threads and connections stayed flat
 * @param summary          throughput and latency over the run
 * @param markdownReport   soak.md, or null if it could not be written
 * @param csvReport        soak.csv, or null if it could not be written
 */
public record SoakResult(SoakOptions options, String database, List<SoakSample> samples, double warmupSeconds,
                         SoakLedger.Tally tally, Counters counters, List<Check> checks, List<String> notes,
                         List<Trend> trends, Summary summary, Path markdownReport, Path csvReport) {

    /** One check of the run; {@code detail} says what was measured. */
    public record Check(String name, boolean passed, String detail) {
    }

    /** Event counts over the whole run. */
    public record Counters(long sent, long sendErrors, long attempts, long attemptsSucceeded, long attemptsFailed,
                           long retried, long plannedRetries, long deadLetterEvents, long duplicates,
                           long contradictions, long redeliveries, long startedEarly, long foreign,
                           long queueDepthAtEnd, long deadLetterQueueAtEnd) {
    }

    /**
     * Throughput and latency, and the resources at the start (first sample after the warm-up) and the end (last
     * sample of the run), plus what was left once the broker closed.
     */
    public record Summary(double seconds, double drainSeconds, double sentPerSecond, double succeededPerSecond,
                          double latencyP50Millis, double latencyP99Millis, double latencyMaxMillis,
                          long latencyCount, double delayedLateP50Millis, double delayedLateP99Millis,
                          SoakSample start, SoakSample end, int threadsBeforeBroker, int threadsAfterClose,
                          int serverConnectionsAfterClose, String gc, long maxHeapMb) {
    }

    /** Whether no message was lost and every conservation check held. */
    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /** The messages neither succeeded nor dead-lettered after the drain. */
    public long lost() {
        return tally.pending();
    }
}
