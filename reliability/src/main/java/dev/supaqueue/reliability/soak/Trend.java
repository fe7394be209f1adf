package dev.supaqueue.reliability.soak;

import java.util.List;
import java.util.Locale;

/**
 * Whether a series stayed flat over a run: the mean of its first third against the mean of its last third (after a
 * warm-up), and the least-squares slope over the whole span. It reports; it judges nothing by time.
 *
 * @param metric        what the series is
 * @param samples       values used (after the warm-up)
 * @param firstMean     mean of the first third
 * @param lastMean      mean of the last third
 * @param slopePerMinute least-squares slope, units per minute
 * @param spanMinutes   from the first to the last value used
 * @param tolerance     the change still called flat, in the series' unit
 * @param verdict       flat, grows, shrinks, or too few samples
 */
record Trend(String metric, int samples, double firstMean, double lastMean, double slopePerMinute,
             double spanMinutes, double tolerance, String verdict) {

    static final String FLAT = "flat";
    static final String GROWS = "grows";
    static final String SHRINKS = "shrinks";
    static final String TOO_FEW = "too few samples";

    /** The fewest values that make thirds at all. */
    static final int MIN_SAMPLES = 3;

    /**
     * @param minutes   the time of each value, in minutes
     * @param values    the values; negative ones (not available) are left out
     * @param tolerance the largest change, between thirds and along the fitted line, still called flat
     */
    static Trend of(String metric, List<Double> minutes, List<Double> values, double tolerance) {
        int n = 0;
        double[] x = new double[values.size()];
        double[] y = new double[values.size()];
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) >= 0) {
                x[n] = minutes.get(i);
                y[n] = values.get(i);
                n++;
            }
        }
        if (n < MIN_SAMPLES) {
            return new Trend(metric, n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, tolerance, TOO_FEW);
        }
        int third = Math.max(1, n / 3);
        double first = mean(y, 0, third);
        double last = mean(y, n - third, n);
        double meanX = mean(x, 0, n);
        double meanY = mean(y, 0, n);
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            variance += (x[i] - meanX) * (x[i] - meanX);
        }
        double slope = variance == 0 ? 0 : covariance / variance;
        double span = x[n - 1] - x[0];
        double change = last - first;
        double drift = slope * span;
        String verdict;
        if (Math.abs(change) <= tolerance && Math.abs(drift) <= tolerance) {
            verdict = FLAT;
        } else {
            // The two measures may disagree in sign on a noisy series; the larger one decides.
            double decisive = Math.abs(change) >= Math.abs(drift) ? change : drift;
            verdict = decisive > 0 ? GROWS : SHRINKS;
        }
        return new Trend(metric, n, first, last, slope, span, tolerance, verdict);
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }

    String describe() {
        if (verdict.equals(TOO_FEW)) {
            return metric + ": " + verdict + " (" + samples + ")";
        }
        return String.format(Locale.ROOT, "%s: %s (%d samples, first third %.1f, last third %.1f, slope %+.2f/min"
                + " over %.1f min, tolerance %.1f)", metric, verdict, samples, firstMean, lastMean, slopePerMinute,
                spanMinutes, tolerance);
    }
}
