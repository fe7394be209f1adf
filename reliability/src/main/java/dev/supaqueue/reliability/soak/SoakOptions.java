package dev.supaqueue.reliability.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a soak run does: how long, how fast, how the traffic is mixed, how the worker runs and where the report goes.
 *
 * @param duration        how long the producers send (the drain comes on top)
 * @param ratePerSecond   messages sent per second, all producers together
 * @param producers       producer threads sharing the rate
 * @param workerThreads   the worker's threads
 * @param prefetch        the worker's prefetch per queue
 * @param sampleInterval  how often a line is sampled and logged
 * @param flakyPercent    share of messages that fail once or twice, then succeed on retry
 * @param doomedPercent   share of messages that always fail and end as dead letters
 * @param delayedPercent  share of messages sent with a pgmq delay (they then succeed)
 * @param maxDelayMillis  the longest delay a delayed message gets
 * @param workMillis      how long a message's actor works (sleeps), at most
 * @param maxRetries      the Retries middleware's max_retries
 * @param minBackoffMillis the Retries middleware's min_backoff
 * @param maxBackoffMillis the Retries middleware's max_backoff
 * @param drainTimeout    how long the end of the run waits for every message to be settled
 * @param namespace       the broker namespace of the soak's queues
 * @param jdbcUrl         the database, or null to take {@code $SUPAQUEUE_SOAK_JDBC_URL} or the local default
 * @param reportDir       where soak.md and soak.csv are written
 */
public record SoakOptions(Duration duration, int ratePerSecond, int producers, int workerThreads, int prefetch,
                          Duration sampleInterval, int flakyPercent, int doomedPercent, int delayedPercent,
                          int maxDelayMillis, int workMillis, int maxRetries, long minBackoffMillis,
                          long maxBackoffMillis, Duration drainTimeout, String namespace, String jdbcUrl,
                          Path reportDir) {

    static final String USAGE = """
            Usage: Soak [options]
              --minutes N            run the producers for N minutes (default 10)
              --seconds N            ... or N seconds (added to --minutes when both are given)
              --rate N               messages per second, all producers together (default 50)
              --producers N          producer threads (default 2)
              --threads N            worker threads (default 8)
              --prefetch N           worker prefetch per queue (default 16)
              --interval N           seconds between two samples (default 10)
              --flaky-percent N      messages failing 1-2 times before succeeding (default 10)
              --doomed-percent N     messages always failing, ending as dead letters (default 3)
              --delayed-percent N    messages sent with a pgmq delay (default 7)
              --max-delay-ms N       longest delay of a delayed message (default 3000)
              --work-ms N            longest time an actor works (default 2)
              --max-retries N        Retries max_retries (default 2; flaky messages need at least 2)
              --min-backoff-ms N     Retries min_backoff (default 100)
              --max-backoff-ms N     Retries max_backoff (default 1000)
              --drain-timeout N      seconds the end waits for all messages to settle (default 120)
              --namespace NAME       broker namespace of the soak queues (default soak)
              --jdbc-url URL         database (default $SUPAQUEUE_SOAK_JDBC_URL, else the local database
                                     supaqueue_soak on 127.0.0.1:5432 as postgres, created when missing)
              --report-dir DIR       where soak.md and soak.csv go (default target/reliability-results)
            Exit codes: 0 no message lost and conservation holds, 1 a check failed, 2 bad arguments or setup.
            """;

    public SoakOptions {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the duration must be positive, got " + duration);
        }
        positive("--rate", ratePerSecond);
        positive("--producers", producers);
        positive("--threads", workerThreads);
        positive("--prefetch", prefetch);
        if (sampleInterval.toMillis() < 1000) {
            throw new IllegalArgumentException("--interval must be at least 1 second, got " + sampleInterval);
        }
        percent("--flaky-percent", flakyPercent);
        percent("--doomed-percent", doomedPercent);
        percent("--delayed-percent", delayedPercent);
        if (flakyPercent + doomedPercent + delayedPercent > 100) {
            throw new IllegalArgumentException("--flaky-percent, --doomed-percent and --delayed-percent add up to more"
                    + " than 100: " + (flakyPercent + doomedPercent + delayedPercent));
        }
        if (maxDelayMillis < 1) {
            throw new IllegalArgumentException("--max-delay-ms must be at least 1, got " + maxDelayMillis);
        }
        if (workMillis < 0) {
            throw new IllegalArgumentException("--work-ms must not be negative, got " + workMillis);
        }
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("--max-retries must be between 0 and 10, got " + maxRetries);
        }
        if (flakyPercent > 0 && maxRetries < SoakTraffic.MOST_FLAKY_FAILURES) {
            throw new IllegalArgumentException("flaky messages fail up to " + SoakTraffic.MOST_FLAKY_FAILURES
                    + " times, so --max-retries must be at least " + SoakTraffic.MOST_FLAKY_FAILURES + " (or"
                    + " --flaky-percent 0), got " + maxRetries);
        }
        positive("--min-backoff-ms", minBackoffMillis);
        if (maxBackoffMillis < minBackoffMillis) {
            throw new IllegalArgumentException("--max-backoff-ms (" + maxBackoffMillis
                    + ") must be at least --min-backoff-ms (" + minBackoffMillis + ")");
        }
        if (drainTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("--drain-timeout must be at least 1 second, got " + drainTimeout);
        }
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("--namespace must not be blank");
        }
        if (reportDir == null) {
            throw new IllegalArgumentException("a report directory is needed");
        }
    }

    /** Ten minutes at 50 messages per second, 8 worker threads, the default mix. */
    public static SoakOptions defaults() {
        return new SoakOptions(Duration.ofMinutes(10), 50, 2, 8, 16, Duration.ofSeconds(10), 10, 3, 7, 3000, 2, 2,
                100, 1000, Duration.ofSeconds(120), "soak", null, Path.of("target", "reliability-results"));
    }

    /** Parses command-line options over {@link #defaults()}. Throws {@link HelpRequested} for --help. */
    public static SoakOptions parse(String... args) {
        SoakOptions d = defaults();
        Long minutes = null;
        Long seconds = null;
        int rate = d.ratePerSecond;
        int producers = d.producers;
        int threads = d.workerThreads;
        int prefetch = d.prefetch;
        long interval = d.sampleInterval.toSeconds();
        int flaky = d.flakyPercent;
        int doomed = d.doomedPercent;
        int delayed = d.delayedPercent;
        int maxDelay = d.maxDelayMillis;
        int work = d.workMillis;
        int maxRetries = d.maxRetries;
        long minBackoff = d.minBackoffMillis;
        long maxBackoff = d.maxBackoffMillis;
        long drain = d.drainTimeout.toSeconds();
        String namespace = d.namespace;
        String jdbcUrl = null;
        Path reportDir = d.reportDir;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            if (option.isBlank()) {
                continue; // an empty -Dreliability.args leaves a blank argument behind
            }
            if (option.equals("--help") || option.equals("-h")) {
                throw new HelpRequested();
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option.startsWith("--")
                        ? option + " needs a value" : "unknown argument '" + option + "'");
            }
            String value = rest.removeFirst();
            switch (option.toLowerCase(Locale.ROOT)) {
                case "--minutes" -> minutes = number(option, value);
                case "--seconds" -> seconds = number(option, value);
                case "--rate" -> rate = (int) number(option, value);
                case "--producers" -> producers = (int) number(option, value);
                case "--threads" -> threads = (int) number(option, value);
                case "--prefetch" -> prefetch = (int) number(option, value);
                case "--interval" -> interval = number(option, value);
                case "--flaky-percent" -> flaky = (int) number(option, value);
                case "--doomed-percent" -> doomed = (int) number(option, value);
                case "--delayed-percent" -> delayed = (int) number(option, value);
                case "--max-delay-ms" -> maxDelay = (int) number(option, value);
                case "--work-ms" -> work = (int) number(option, value);
                case "--max-retries" -> maxRetries = (int) number(option, value);
                case "--min-backoff-ms" -> minBackoff = number(option, value);
                case "--max-backoff-ms" -> maxBackoff = number(option, value);
                case "--drain-timeout" -> drain = number(option, value);
                case "--namespace" -> namespace = value;
                case "--jdbc-url" -> jdbcUrl = value;
                case "--report-dir" -> reportDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        Duration duration = minutes == null && seconds == null ? d.duration
                : Duration.ofMinutes(minutes == null ? 0 : minutes).plusSeconds(seconds == null ? 0 : seconds);
        return new SoakOptions(duration, rate, producers, threads, prefetch, Duration.ofSeconds(interval), flaky,
                doomed, delayed, maxDelay, work, maxRetries, minBackoff, maxBackoff, Duration.ofSeconds(drain),
                namespace, jdbcUrl, reportDir);
    }

    /** The same options with another duration (tests and short runs). */
    public SoakOptions withDuration(Duration newDuration) {
        return new SoakOptions(newDuration, ratePerSecond, producers, workerThreads, prefetch, sampleInterval,
                flakyPercent, doomedPercent, delayedPercent, maxDelayMillis, workMillis, maxRetries, minBackoffMillis,
                maxBackoffMillis, drainTimeout, namespace, jdbcUrl, reportDir);
    }

    /** The options as one line, for the log and the report. */
    public String describe() {
        return "duration " + duration.toSeconds() + " s, rate " + ratePerSecond + "/s by " + producers
                + " producer(s), worker " + workerThreads + " threads prefetch " + prefetch + ", mix " + flakyPercent
                + "% flaky / " + doomedPercent + "% doomed / " + delayedPercent + "% delayed (≤ " + maxDelayMillis
                + " ms), work ≤ " + workMillis + " ms, retries max " + maxRetries + " backoff " + minBackoffMillis
                + ".." + maxBackoffMillis + " ms, sample every " + sampleInterval.toSeconds() + " s";
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'");
        }
    }

    private static void positive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value);
        }
    }

    private static void percent(String option, int value) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(option + " must be between 0 and 100, got " + value);
        }
    }

    /** Thrown by {@link #parse} for {@code --help}. */
    public static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help requested", null, false, false);
        }
    }
}
