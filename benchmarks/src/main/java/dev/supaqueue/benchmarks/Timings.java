package dev.supaqueue.benchmarks;

import java.util.Arrays;

/** Wall-clock samples of one operation, in nanoseconds, summarised as percentiles in milliseconds. */
final class Timings {

    private final long[] samples;
    private int size;

    Timings(int capacity) {
        this.samples = new long[capacity];
    }

    void add(long nanos) {
        samples[size++] = nanos;
    }

    int count() {
        return size;
    }

    /** The p-th percentile (nearest rank) in milliseconds. */
    double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1_000_000.0;
    }

    double maxMillis() {
        return percentileMillis(100);
    }
}
