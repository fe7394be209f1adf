package dev.supaqueue.reliability.soak;

/**
 * The planned fate of every message, decided by its sequence number alone, so that the end of the run can check
 * that each message met exactly the fate it was given.
 */
final class SoakTraffic {

    /** What a message is meant to do. */
    enum Kind {
        /** Succeeds on its first attempt. */
        OK,
        /** Fails once or twice, then succeeds on a retry. */
        FLAKY,
        /** Always fails: ends as a dead letter once its retries run out. */
        DOOMED,
        /** Sent with a pgmq delay, then succeeds. */
        DELAYED
    }

    /** The most times a flaky message fails before it succeeds. */
    static final int MOST_FLAKY_FAILURES = 2;
    /** The shortest delay of a delayed message. */
    static final int LEAST_DELAY_MILLIS = 200;

    private final int flakyPercent;
    private final int doomedPercent;
    private final int delayedPercent;
    private final int maxDelayMillis;

    SoakTraffic(int flakyPercent, int doomedPercent, int delayedPercent, int maxDelayMillis) {
        this.flakyPercent = flakyPercent;
        this.doomedPercent = doomedPercent;
        this.delayedPercent = delayedPercent;
        this.maxDelayMillis = maxDelayMillis;
    }

    SoakTraffic(SoakOptions options) {
        this(options.flakyPercent(), options.doomedPercent(), options.delayedPercent(), options.maxDelayMillis());
    }

    /** The kind of message number {@code seq}: the shares are spread evenly rather than in runs. */
    Kind kind(long seq) {
        // 37 is coprime with 100, so every block of 100 numbers holds each share exactly.
        int slot = (int) Math.floorMod(seq * 37, 100L);
        if (slot < doomedPercent) {
            return Kind.DOOMED;
        }
        if (slot < doomedPercent + flakyPercent) {
            return Kind.FLAKY;
        }
        if (slot < doomedPercent + flakyPercent + delayedPercent) {
            return Kind.DELAYED;
        }
        return Kind.OK;
    }

    /** How often a flaky message fails before it succeeds: 1 or 2. */
    static int flakyFailures(long seq) {
        return 1 + (int) Math.floorMod(seq, (long) MOST_FLAKY_FAILURES);
    }

    /** The delay of a delayed message, between {@link #LEAST_DELAY_MILLIS} and the maximum. */
    long delayMillis(long seq) {
        int span = Math.max(1, maxDelayMillis - LEAST_DELAY_MILLIS);
        return Math.min(maxDelayMillis, LEAST_DELAY_MILLIS + Math.floorMod(seq * 7919, (long) span));
    }

    /** How many retries a message of this number should cause, with this max_retries. */
    int plannedRetries(long seq, int maxRetries) {
        return switch (kind(seq)) {
            case FLAKY -> flakyFailures(seq);
            case DOOMED -> maxRetries;
            case OK, DELAYED -> 0;
        };
    }
}
