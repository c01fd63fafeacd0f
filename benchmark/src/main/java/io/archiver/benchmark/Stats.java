package io.archiver.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Collection;

/**
 * The arithmetic of the report, kept pure so that it can be tested on its own: nearest-rank
 * percentiles, ratios, rates and the targets' comparisons.
 */
public final class Stats {

    private Stats() {
    }

    /**
     * The nearest-rank percentile: the smallest value such that at least {@code p} percent of the
     * values are at or below it (the value at rank {@code ceil(p/100 * n)}, 1-based, of the sorted
     * values). {@code NaN} for no values. With 60 values, p99 is the largest; with 1,000, the 10th largest.
     */
    public static double percentile(double[] values, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("p must be within (0, 100]: " + p);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /**
     * The most intervals open at one moment; each is {@code {start, end}} with {@code start <= end}.
     * Intervals that only touch (one ends where the next starts) do not overlap. 0 for none.
     */
    public static int maxOverlap(Collection<long[]> intervals) {
        List<long[]> edges = new ArrayList<>();
        for (long[] interval : intervals) {
            if (interval[1] < interval[0]) {
                throw new IllegalArgumentException("an interval ends before it starts: " + interval[0] + ".." + interval[1]);
            }
            edges.add(new long[] { interval[0], 1 });
            edges.add(new long[] { interval[1], -1 });
        }
        // at one instant ends come before starts
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0;
        int most = 0;
        for (long[] edge : edges) {
            open += (int) edge[1];
            most = Math.max(most, open);
        }
        return most;
    }

    public static double percentile(Collection<? extends Number> values, double p) {
        return percentile(toArray(values), p);
    }

    public static double max(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }

    public static double min(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
    }

    public static double mean(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).average().orElse(Double.NaN);
    }

    public static double sum(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).sum();
    }

    /** {@code numerator / denominator}; {@code NaN} where either is not a positive finite number (nothing to compare). */
    public static double ratio(double numerator, double denominator) {
        if (!Double.isFinite(numerator) || !Double.isFinite(denominator) || denominator <= 0 || numerator < 0) {
            return Double.NaN;
        }
        return numerator / denominator;
    }

    /** {@code units / seconds}; {@code NaN} for no time. */
    public static double rate(double units, double seconds) {
        return ratio(units, seconds);
    }

    /** The relative change from {@code base} to {@code value}, in percent ({@code +12.5} is 12.5% more). */
    public static double changePercent(double base, double value) {
        double r = ratio(value, base);
        return Double.isNaN(r) ? Double.NaN : (r - 1) * 100;
    }

    /** Whether {@code a} and {@code b} differ by at most {@code percent} percent of the smaller one. */
    public static boolean withinPercent(double a, double b, double percent) {
        if (!(a > 0) || !(b > 0)) {
            return false;
        }
        return Math.max(a, b) / Math.min(a, b) <= 1 + percent / 100.0 + 1e-12;
    }

    /** A target {@code value >= floor}; false for NaN (not measured is not a pass). */
    public static boolean atLeast(double value, double floor) {
        return !Double.isNaN(value) && value >= floor;
    }

    /** A target {@code value <= ceiling}; false for NaN. */
    public static boolean atMost(double value, double ceiling) {
        return !Double.isNaN(value) && value <= ceiling;
    }

    static double[] toArray(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).toArray();
    }
}
