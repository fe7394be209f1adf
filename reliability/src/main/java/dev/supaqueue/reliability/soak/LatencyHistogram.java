package dev.supaqueue.reliability.soak;

/**
 * Latencies in microseconds, in a fixed array of log-linear buckets (64 per power of two, so a percentile is off by
 * at most about 1.6 %). Its size never changes, so a long soak does not grow the heap through its own bookkeeping.
 * Thread-safe.
 */
final class LatencyHistogram {

    private static final int LINEAR = 128;
    private static final int PER_OCTAVE = 64;
    /** Up to 2^40 µs (about 12 days), far beyond any latency a run can see. */
    private static final int BUCKETS = LINEAR + 40 * PER_OCTAVE;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    synchronized void recordMicros(long micros) {
        long value = Math.max(0, micros);
        counts[index(value)]++;
        total++;
        max = Math.max(max, value);
    }

    synchronized long count() {
        return total;
    }

    synchronized long maxMicros() {
        return max;
    }

    /** The value below which {@code percent} of the records lie, in microseconds; -1 when there are none. */
    synchronized long percentileMicros(double percent) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(total * percent / 100.0));
        if (rank >= total) {
            return max;
        }
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, representative(i));
            }
        }
        return max;
    }

    /** Adds another histogram's records to this one. */
    void addAll(LatencyHistogram other) {
        long[] copy;
        long otherTotal;
        long otherMax;
        synchronized (other) {
            copy = other.counts.clone();
            otherTotal = other.total;
            otherMax = other.max;
        }
        synchronized (this) {
            for (int i = 0; i < BUCKETS; i++) {
                counts[i] += copy[i];
            }
            total += otherTotal;
            max = Math.max(max, otherMax);
        }
    }

    /** A copy of the records so far, and a fresh start for this one. */
    synchronized LatencyHistogram takeAndReset() {
        LatencyHistogram copy = new LatencyHistogram();
        System.arraycopy(counts, 0, copy.counts, 0, BUCKETS);
        copy.total = total;
        copy.max = max;
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
        return copy;
    }

    static int index(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int shift = 63 - Long.numberOfLeadingZeros(micros) - 6; // micros >> shift lies in [64, 128)
        int index = LINEAR + (shift - 1) * PER_OCTAVE + (int) ((micros >> shift) - PER_OCTAVE);
        return Math.min(index, BUCKETS - 1);
    }

    /** The middle of a bucket. */
    static long representative(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / PER_OCTAVE + 1;
        long mantissa = (index - LINEAR) % PER_OCTAVE + PER_OCTAVE;
        return (mantissa << shift) + ((1L << shift) >> 1);
    }
}
