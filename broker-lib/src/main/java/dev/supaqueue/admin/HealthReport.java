package dev.supaqueue.admin;

import dev.supaqueue.pgmq.PgmqInstallation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer of a health check, for a service's health endpoint or a console's status bar. Everything that
 * could be measured is filled in; what could not is null and explained in {@link #problems()}. No text in it
 * ever contains a password.
 *
 * @param status          UP, DEGRADED (reachable, but some queue lags behind) or DOWN (database unreachable or
 *                        pgmq missing)
 * @param installation    the pgmq flavour and version, null when it could not be detected
 * @param serverVersion   PostgreSQL's version string, null when unreachable
 * @param latency         the best round trip of a trivial query, null when unreachable
 * @param listenAvailable whether a test notification sent with NOTIFY came back on a LISTENing connection; false
 *                        through a transaction-mode pooler, where workers fall back to polling (not a problem)
 * @param listenDetail    what the LISTEN check found, in words
 * @param serverTime      the database server's clock, null when unreachable
 * @param lags            each queue's lag, the longest first (dead-letter queues are left out: nobody consumes
 *                        them)
 * @param problems        what made the status worse than UP, in plain words; empty when UP
 */
public record HealthReport(Status status, PgmqInstallation installation, String serverVersion, Duration latency,
                           boolean listenAvailable, String listenDetail, Instant serverTime, List<QueueLag> lags,
                           List<String> problems) {

    /** Overall health. */
    public enum Status {
        /** Reachable, pgmq present, no queue lags beyond the limit. */
        UP,
        /** Reachable and pgmq present, but a queue lags beyond the limit or the lag could not be measured. */
        DEGRADED,
        /** The database cannot be reached, or pgmq is not installed in it. */
        DOWN
    }

    public HealthReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(listenDetail, "listenDetail");
        lags = List.copyOf(lags);
        problems = List.copyOf(problems);
    }

    /** Whether the status is {@link Status#UP}. */
    public boolean healthy() {
        return status == Status.UP;
    }
}
