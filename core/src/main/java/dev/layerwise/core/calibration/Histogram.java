package dev.layerwise.core.calibration;

import java.util.Arrays;

/**
 * A streaming histogram of a tensor's values over the symmetric range {@code [-limit, limit)},
 * {@link #BINS} bins. When a value falls outside, the range doubles and neighbouring bins merge,
 * so any number of samples fits in fixed memory without a first pass for the range. Not
 * thread-safe; one per tensor, fed by the calibration thread.
 */
public final class Histogram {

    /** Number of bins over [-limit, limit); 2048 on each side of zero. */
    public static final int BINS = 4096;

    private long[] counts = new long[BINS];
    private double limit;
    private long total;
    private long zeros;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;

    public void add(float[] values) {
        float lo = min;
        float hi = max;
        for (float v : values) {
            // NaN fails both tests; infinities are left out of the range and of the bins
            if (v < lo && v != Float.NEGATIVE_INFINITY) {
                lo = v;
            }
            if (v > hi && v != Float.POSITIVE_INFINITY) {
                hi = v;
            }
        }
        if (lo > hi) {
            return;
        }
        min = lo;
        max = hi;
        double need = Math.max(Math.abs((double) lo), Math.abs((double) hi));
        if (limit == 0) {
            limit = need > 0 ? need * 1.0001 : 1e-6;
        }
        while (need >= limit) {
            grow();
        }
        double inv = BINS / (2 * limit);
        long[] c = counts;
        long counted = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                continue;
            }
            if (v == 0f) {
                zeros++;
            }
            int b = (int) ((v + limit) * inv);
            c[b < 0 ? 0 : (b >= BINS ? BINS - 1 : b)]++;
            counted++;
        }
        total += counted;
    }

    private void grow() {
        long[] merged = new long[BINS];
        // the old range maps onto the middle half of the doubled one
        for (int i = 0; i < BINS; i++) {
            merged[BINS / 4 + i / 2] += counts[i];
        }
        counts = merged;
        limit *= 2;
    }

    public long[] counts() {
        return counts.clone();
    }

    /** Half-width of the binned range. */
    public double limit() {
        return limit;
    }

    public double binWidth() {
        return 2 * limit / BINS;
    }

    /** Left edge of bin {@code i}. */
    public double binStart(int i) {
        return -limit + i * binWidth();
    }

    /** How many values were exactly 0 (e.g. everything a ReLU cut off); they sit in bin {@code BINS / 2}. */
    public long zeros() {
        return zeros;
    }

    public long total() {
        return total;
    }

    /**
     * Share of the values, in [0, 1], that lie outside [lo, hi]: what a range clips. Counted at
     * bin resolution, the values of a bin spread evenly over the part of it inside [min, max], so
     * that [min, max] itself clips nothing. 0 for an empty histogram.
     */
    public double shareOutside(double lo, double hi) {
        if (total == 0) {
            return 0;
        }
        double w = binWidth();
        double outside = 0;
        for (int i = 0; i < BINS; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double a = Math.max(binStart(i), min);
            double b = Math.min(binStart(i) + w, max);
            if (b <= a) {
                outside += a < lo || a > hi ? counts[i] : 0;
                continue;
            }
            double below = Math.max(0, Math.min(b, lo) - a);
            double above = Math.max(0, b - Math.max(a, hi));
            outside += counts[i] * Math.min(1, (below + above) / (b - a));
        }
        return Math.min(1, outside / total);
    }

    public float min() {
        return min;
    }

    public float max() {
        return max;
    }

    @Override
    public String toString() {
        return "Histogram[limit=" + limit + ", total=" + total + ", nonzero=" + Arrays.stream(counts).filter(c -> c > 0).count() + "]";
    }
}
