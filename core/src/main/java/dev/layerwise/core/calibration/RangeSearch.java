package dev.layerwise.core.calibration;

import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.TensorRange;

/**
 * Range choices other than min/max, computed from a {@link Histogram}. Every range returned lies
 * within the tensor's [min, max]. Stateless.
 *
 * <p>The shape of the search follows the shape of the type's grid (decision 0007): u8 spreads 255
 * steps over an arbitrary [lo, hi] that contains 0, so each side of zero gets its own threshold
 * and the steps are shared in proportion to the two thresholds; dynamic fixed point is symmetric
 * around 0 by construction, so one threshold on |x| is searched.
 */
public final class RangeSearch {

    private static final int SIDE_BINS = Histogram.BINS / 2;
    /** Steps of the u8 grid, shared between the two sides of zero. */
    private static final int U8_STEPS = 255;
    /** Steps of an 8-bit symmetric grid on one side of zero. */
    private static final int SYMMETRIC_STEPS = 128;
    /**
     * Fewest bins a threshold keeps on its side (TensorRT starts its search there too): with
     * fewer, P has too little shape to tell anything, and folding the whole tail into a handful of
     * bins scores a divergence near 0.
     */
    private static final int MIN_BINS = 128;
    /** How far (as a factor of min or max) mmse moves one end of a u8 range on its own. */
    private static final double END_WINDOW = 0.25;
    /** Thresholds tried in the first, coarse pass of a search. */
    private static final int COARSE_CANDIDATES = 256;
    /** Coordinate rounds of the two-sided search; it settles in two or three on real tensors. */
    private static final int MAX_ROUNDS = 8;

    private RangeSearch() {
    }

    /** {@link #klDivergence(Histogram, TensorRange, QuantType)} for {@code asymmetric_affine-u8}. */
    public static TensorRange klDivergence(Histogram h, TensorRange minMax) {
        return klDivergence(h, minMax, QuantType.ASYMMETRIC_AFFINE_U8);
    }

    /**
     * Entropy calibration (TensorRT style): the clipping range whose quantized distribution has
     * the least KL divergence from the observed one.
     *
     * <ul>
     *   <li>u8: thresholds {@code tn} below and {@code tp} above zero, searched in turns; the
     *       divergence is that of the signed distribution, i.e. each side's divergence weighted by
     *       its share of the values, with the side's steps {@code 255 * t / (tn + tp)}. A tensor with
     *       no negative values gives all 255 steps to the positive side.</li>
     *   <li>dynamic fixed point i8: one threshold T on |x| with 128 steps; range
     *       [max(min, -T), min(max, T)].</li>
     *   <li>16-bit types have resolution enough that clipping only loses: [min, max].</li>
     * </ul>
     * Exact zeros (what a ReLU cut off) are left out: every range represents 0 exactly, and their
     * spike would hide the tail from the divergence.
     */
    public static TensorRange klDivergence(Histogram h, TensorRange minMax, QuantType type) {
        if (h == null || h.total() == 0 || type.bits() > 8 || !type.isInteger()) {
            return minMax;
        }
        double w = h.binWidth();
        if (type == QuantType.ASYMMETRIC_AFFINE_U8) {
            int[] t = twoSidedKl(Side.positive(h), Side.negative(h));
            return clampTo(minMax, -t[0] * w, t[1] * w);
        }
        Side abs = Side.magnitude(h);
        if (abs.last <= MIN_BINS) {
            return minMax;
        }
        int t = argMin(abs, MIN_BINS, abs.last, i -> abs.divergence(i, SYMMETRIC_STEPS));
        return clampTo(minMax, -t * w, t * w);
    }

    /** {@code {tn, tp}} in bins; a side without values gets 0. */
    static int[] twoSidedKl(Side pos, Side neg) {
        int tp = pos.last;
        int tn = neg.last;
        double mass = pos.total + neg.total;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int newTp = bestThreshold(pos, neg, tn, mass);
            int newTn = bestThreshold(neg, pos, newTp, mass);
            boolean settled = newTp == tp && newTn == tn;
            tp = newTp;
            tn = newTn;
            if (settled) {
                break;
            }
        }
        return new int[] {tn, tp};
    }

    /** The threshold on {@code side} that minimises the signed divergence, the other side held at {@code otherT}. */
    private static int bestThreshold(Side side, Side other, int otherT, double mass) {
        if (side.last == 0) {
            return 0;
        }
        // the other side's divergence depends only on the steps it is left with
        double[] otherKl = new double[U8_STEPS + 1];
        java.util.Arrays.fill(otherKl, Double.NaN);
        return argMin(side, Math.min(MIN_BINS, side.last), side.last, i -> {
            int steps = otherT == 0 ? U8_STEPS : (int) Math.round(U8_STEPS * (double) i / (i + otherT));
            steps = Math.max(1, Math.min(U8_STEPS - (otherT == 0 ? 0 : 1), steps));
            double kl = side.total / mass * side.divergence(i, steps);
            if (otherT > 0) {
                int left = U8_STEPS - steps;
                if (Double.isNaN(otherKl[left])) {
                    otherKl[left] = other.total / mass * other.divergence(otherT, left);
                }
                kl += otherKl[left];
            }
            return kl;
        });
    }

    /**
     * The threshold in [from, to] with the least divergence. Only thresholds whose edge bin holds
     * values are candidates (any other has values beyond an empty edge: infinite divergence), and
     * every (n / 256)-th of the n candidates is tried first, then every candidate around the best
     * of those: a 2048-bin side costs ~270 evaluations, not 2048. Ties go to the wider range:
     * clipping is only worth it when it buys something.
     */
    static int argMin(Side side, int from, int to, java.util.function.IntToDoubleFunction divergence) {
        int[] candidates = new int[to - from + 1];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (side.shape[i - 1] > 0) {
                candidates[n++] = i;
            }
        }
        candidates[n++] = to;
        int stride = Math.max(1, n / COARSE_CANDIDATES);
        int best = n - 1;
        double bestKl = divergence.applyAsDouble(to);
        for (int c = 0; c < n - 1; c += stride) {
            double kl = divergence.applyAsDouble(candidates[c]);
            if (kl < bestKl) {
                bestKl = kl;
                best = c;
            }
        }
        int coarse = best;
        for (int c = Math.max(0, coarse - stride + 1); c <= Math.min(n - 1, coarse + stride - 1); c++) {
            double kl = divergence.applyAsDouble(candidates[c]);
            if (kl < bestKl || (kl == bestKl && c > best)) {
                bestKl = kl;
                best = c;
            }
        }
        return candidates[best];
    }

    /**
     * Clipping range that minimises the histogram's quantization MSE for {@code type}. The
     * range is scaled by factors in a grid, the grid is refined around the best factor
     * {@code epochs} times. For u8 each end is then moved on its own, within a quarter of the
     * range (a lopsided tensor need not give up its short side to buy resolution on its long one).
     */
    public static TensorRange mmse(Histogram h, TensorRange minMax, QuantType type, int epochs) {
        if (h == null || h.total() == 0 || !type.isInteger()) {
            return minMax;
        }
        long[] counts = h.counts();
        double[] f = {1.0, 1.0};
        double err = mse(counts, h, minMax, f, type);
        err = refine(counts, h, minMax, type, epochs, f, err, true, true, 0.05, 1.0);
        if (type == QuantType.ASYMMETRIC_AFFINE_U8) {
            // each end within a quarter of the range of where the joint search left it
            err = refine(counts, h, minMax, type, 1, f, err, false, true, f[1] - END_WINDOW, f[1] + END_WINDOW);
            refine(counts, h, minMax, type, 1, f, err, true, false, f[0] - END_WINDOW, f[0] + END_WINDOW);
        }
        return new TensorRange((float) (minMax.min() * f[0]), (float) (minMax.max() * f[1]));
    }

    /**
     * Grid search of the factors {@code f[0]} (low end) and/or {@code f[1]} (high end) in
     * [from, to] within [0.01, 1]: 41 points, refined around the best {@code epochs} times.
     * Updates {@code f}; returns the error reached.
     */
    private static double refine(long[] counts, Histogram h, TensorRange minMax, QuantType type, int epochs, double[] f,
            double bestErr, boolean low, boolean high, double from, double to) {
        double lo = Math.max(0.01, from);
        double hi = Math.min(1.0, to);
        double bestF = low ? f[0] : f[1];
        for (int e = 0; e < Math.max(1, epochs); e++) {
            int steps = 40;
            double step = (hi - lo) / steps;
            for (int k = 0; k <= steps; k++) {
                double x = lo + k * step;
                double[] trial = {low ? x : f[0], high ? x : f[1]};
                double err = mse(counts, h, minMax, trial, type);
                if (err < bestErr) {
                    bestErr = err;
                    bestF = x;
                }
            }
            lo = Math.max(0.01, bestF - step);
            hi = Math.min(1.0, bestF + step);
        }
        if (low) {
            f[0] = bestF;
        }
        if (high) {
            f[1] = bestF;
        }
        return bestErr;
    }

    /** Squared quantization error of the histogram's values under [min * f[0], max * f[1]], bin centres as values. */
    static double mse(long[] counts, Histogram h, TensorRange r, double[] f, QuantType type) {
        QuantParams p = QuantParams.forRange(type, (float) (r.min() * f[0]), (float) (r.max() * f[1]));
        double w = h.binWidth();
        double err = 0;
        for (int i = 0; i < counts.length; i++) {
            // exact zeros are represented exactly by every range
            long c = i == Histogram.BINS / 2 ? counts[i] - h.zeros() : counts[i];
            if (c == 0) {
                continue;
            }
            double x = h.binStart(i) + w / 2;
            // values never leave the observed range
            x = Math.max(r.min(), Math.min(r.max(), x));
            double d = x - p.fakeQuantize((float) x);
            err += c * d * d;
        }
        return err;
    }

    private static TensorRange clampTo(TensorRange r, double lo, double hi) {
        return new TensorRange((float) Math.max(r.min(), lo), (float) Math.min(r.max(), hi));
    }

    /**
     * Magnitudes on one side of zero: bin {@code k} covers [k, k + 1) bin widths from 0, with
     * prefix sums so that the divergence of a threshold costs O(steps), not O(bins).
     *
     * <p>Repeated values are taken out of the shape the divergence compares: a bin holding far
     * more than its neighbourhood (a flat image region gives one conv output thousands of times)
     * counts as its neighbourhood's median inside the range. Q smears each group evenly, which
     * charges such a spike for a spreading that rounding never does (one value stays one value,
     * within half a step), and the charge grows with the group width, so spikes alone would drag
     * the threshold down. Beyond the threshold the whole count is clipped as usual.
     */
    static final class Side {
        /** Half-width of the neighbourhood a bin is compared with, in non-empty bins either side. */
        static final int SPIKE_WINDOW = 32;
        /** A bin above this multiple of its neighbourhood's median is a spike ... */
        static final double SPIKE_FACTOR = 3;
        /** ... when also this many Poisson standard deviations above it (sparse tails are noise). */
        static final double SPIKE_SIGMAS = 4;

        /** Counts as observed. */
        final double[] counts;
        /** Counts with spikes flattened: the shape compared inside the range. */
        final double[] shape;
        final int last;
        final double total;
        private final double[] sum;
        private final double[] observedSum;
        private final double[] xLogX;
        private final int[] nonZero;

        Side(double[] counts) {
            this.counts = counts;
            this.shape = flattenSpikes(counts);
            int n = counts.length;
            int l = n;
            while (l > 0 && counts[l - 1] == 0) {
                l--;
            }
            last = l;
            sum = new double[n + 1];
            observedSum = new double[n + 1];
            xLogX = new double[n + 1];
            nonZero = new int[n + 1];
            for (int k = 0; k < n; k++) {
                double c = shape[k];
                sum[k + 1] = sum[k] + c;
                observedSum[k + 1] = observedSum[k] + counts[k];
                xLogX[k + 1] = xLogX[k] + (c > 0 ? c * Math.log(c) : 0);
                nonZero[k + 1] = nonZero[k] + (c > 0 ? 1 : 0);
            }
            total = observedSum[n];
        }

        static double[] flattenSpikes(double[] c) {
            double[] out = c.clone();
            int[] nonEmpty = new int[c.length];
            int m = 0;
            for (int k = 0; k < c.length; k++) {
                if (c[k] > 0) {
                    nonEmpty[m++] = k;
                }
            }
            // a sorted sliding window over the non-empty bins [a - W, a + W], the bin itself included
            double[] window = new double[2 * SPIKE_WINDOW + 1];
            int n = 0;
            for (int b = 0; b < Math.min(m, SPIKE_WINDOW); b++) {
                n = insert(window, n, c[nonEmpty[b]]);
            }
            for (int a = 0; a < m; a++) {
                if (a - SPIKE_WINDOW - 1 >= 0) {
                    n = remove(window, n, c[nonEmpty[a - SPIKE_WINDOW - 1]]);
                }
                if (a + SPIKE_WINDOW < m) {
                    n = insert(window, n, c[nonEmpty[a + SPIKE_WINDOW]]);
                }
                if (n < 5) {
                    continue;
                }
                double median = window[n / 2];
                double v = c[nonEmpty[a]];
                if (v > SPIKE_FACTOR * median && v - median > SPIKE_SIGMAS * Math.sqrt(median)) {
                    out[nonEmpty[a]] = median;
                }
            }
            return out;
        }

        private static int insert(double[] sorted, int n, double v) {
            int at = java.util.Arrays.binarySearch(sorted, 0, n, v);
            at = at < 0 ? -at - 1 : at;
            System.arraycopy(sorted, at, sorted, at + 1, n - at);
            sorted[at] = v;
            return n + 1;
        }

        private static int remove(double[] sorted, int n, double v) {
            int at = java.util.Arrays.binarySearch(sorted, 0, n, v);
            System.arraycopy(sorted, at + 1, sorted, at, n - at - 1);
            return n - 1;
        }

        static Side positive(Histogram h) {
            long[] c = h.counts();
            double[] s = new double[SIDE_BINS];
            for (int k = 0; k < SIDE_BINS; k++) {
                s[k] = c[SIDE_BINS + k];
            }
            s[0] -= h.zeros();
            return new Side(s);
        }

        static Side negative(Histogram h) {
            long[] c = h.counts();
            double[] s = new double[SIDE_BINS];
            for (int k = 0; k < SIDE_BINS; k++) {
                s[k] = c[SIDE_BINS - 1 - k];
            }
            return new Side(s);
        }

        static Side magnitude(Histogram h) {
            long[] c = h.counts();
            double[] s = new double[SIDE_BINS];
            for (int k = 0; k < SIDE_BINS; k++) {
                s[k] = c[SIDE_BINS + k] + c[SIDE_BINS - 1 - k];
            }
            s[0] -= h.zeros();
            return new Side(s);
        }

        /**
         * KL(P || Q) for a threshold of {@code i} bins: P is the shape's bins [0, i) with every
         * observed value beyond folded into bin i - 1; Q is the same bins without the tail merged
         * into {@code steps} groups (group j is bins [floor(j i / steps), floor((j + 1) i / steps))),
         * each group's count spread evenly over its non-empty bins. Both normalised. With S the
         * count inside and N = S + tail, KL = (1/N) sum p_k ln(p_k / q_k) + ln(S / N), and a
         * group's share of the sum is sum c ln c - G ln(G / nz). Infinite when the tail lands in
         * an empty bin (Q has no mass where P has some).
         */
        double divergence(int i, int steps) {
            if (total == 0) {
                return 0;
            }
            int levels = Math.min(steps, i);
            double inside = sum[i];
            double tail = total - observedSum[i];
            double edge = shape[i - 1];
            if (inside == 0 || (tail > 0 && edge == 0)) {
                return Double.POSITIVE_INFINITY;
            }
            double acc = 0;
            double per = (double) i / levels;
            double lastAvg = 0;
            for (int j = 0; j < levels; j++) {
                int s = (int) Math.floor(j * per);
                int e = j == levels - 1 ? i : (int) Math.floor((j + 1) * per);
                int nz = nonZero[e] - nonZero[s];
                if (nz == 0) {
                    continue;
                }
                double g = sum[e] - sum[s];
                double avg = g / nz;
                acc += xLogX[e] - xLogX[s] - g * Math.log(avg);
                lastAvg = avg;
            }
            if (tail > 0) {
                // bin i - 1 holds edge + tail in P; its Q value is its group's average
                acc += (edge + tail) * Math.log((edge + tail) / lastAvg) - edge * Math.log(edge / lastAvg);
            }
            double n = inside + tail;
            return acc / n + Math.log(inside / n);
        }
    }
}
