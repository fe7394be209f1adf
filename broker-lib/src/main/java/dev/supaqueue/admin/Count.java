package dev.supaqueue.admin;

import java.util.Objects;

/**
 * A number of messages and how far to trust it. Counting a huge queue exactly on every refresh is what makes
 * dashboards slow, so counts stop at {@link AdminOptions#countCap()} and say so.
 *
 * @param value     the count, or the lower bound or estimate
 * @param precision whether the value is exact, a lower bound (counting stopped at the cap), or an estimate
 *                  (from PostgreSQL's planner statistics)
 */
public record Count(long value, Precision precision) {

    /** How a {@link Count} was obtained. */
    public enum Precision {
        /** Counted row by row. */
        EXACT,
        /** Counting stopped at the cap: there are at least this many. */
        AT_LEAST,
        /** From table statistics ({@code pg_class.reltuples}); may be off by the changes since the last ANALYZE. */
        ESTIMATE
    }

    public Count {
        Objects.requireNonNull(precision, "precision");
        if (value < 0) {
            throw new IllegalArgumentException("A count must not be negative, got " + value);
        }
    }

    /** An exact count. */
    public static Count exact(long value) {
        return new Count(value, Precision.EXACT);
    }

    /** A lower bound: counting stopped at {@code value}. */
    public static Count atLeast(long value) {
        return new Count(value, Precision.AT_LEAST);
    }

    /** An estimate from statistics. */
    public static Count estimate(long value) {
        return new Count(value, Precision.ESTIMATE);
    }

    /** Whether the value is exact. */
    public boolean isExact() {
        return precision == Precision.EXACT;
    }

    /** The value as people read it: {@code 42}, {@code ≥ 100000}, {@code ≈ 1250000}. */
    @Override
    public String toString() {
        return switch (precision) {
            case EXACT -> Long.toString(value);
            case AT_LEAST -> "≥ " + value;
            case ESTIMATE -> "≈ " + value;
        };
    }
}
