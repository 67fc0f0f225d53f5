package dev.layerwise.core.calibration;

import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.TensorRange;

/**
 * Range choices other than min/max, computed from a {@link Histogram}. Every range returned lies
 * within the tensor's [min, max]. Stateless.
 */
public final class RangeSearch {

    private static final int ABS_BINS = Histogram.BINS / 2;

    private RangeSearch() {
    }

    /**
     * Entropy calibration (TensorRT style): the clipping threshold T on |x| whose quantized
     * distribution has the least KL divergence from the observed one; range [max(min, -T), min(max, T)].
     */
    public static TensorRange klDivergence(Histogram h, TensorRange minMax) {
        return klDivergence(h, minMax, QuantType.ASYMMETRIC_AFFINE_U8);
    }

    /**
     * As {@link #klDivergence(Histogram, TensorRange)} for a given type: the number of levels on
     * |x| follows the type (u8 on non-negative data: 256; otherwise 128); 16-bit types have
     * resolution enough that clipping only loses, so they keep [min, max].
     */
    public static TensorRange klDivergence(Histogram h, TensorRange minMax, QuantType type) {
        if (h == null || h.total() == 0 || type.bits() > 8 || !type.isInteger()) {
            return minMax;
        }
        double[] abs = absHistogram(h);
        int levels = minMax.min() >= 0 && type == QuantType.ASYMMETRIC_AFFINE_U8 ? 256 : 128;
        int last = ABS_BINS;
        while (last > 0 && abs[last - 1] == 0) {
            last--;
        }
        if (last <= levels) {
            return minMax;
        }
        double best = Double.POSITIVE_INFINITY;
        int bestI = last;
        for (int i = levels; i <= last; i++) {
            double kl = divergence(abs, i, levels);
            if (kl < best) {
                best = kl;
                bestI = i;
            }
        }
        double t = bestI * h.binWidth();
        return clampTo(minMax, -t, t);
    }

    /**
     * Clipping range that minimises the histogram's quantization MSE for {@code type}: the range
     * is scaled by factors in a grid, the grid is refined around the best factor {@code epochs}
     * times.
     */
    public static TensorRange mmse(Histogram h, TensorRange minMax, QuantType type, int epochs) {
        if (h == null || h.total() == 0 || !type.isInteger()) {
            return minMax;
        }
        long[] counts = h.counts();
        double lo = 0.05;
        double hi = 1.0;
        double bestF = 1.0;
        double bestErr = mse(counts, h, minMax, 1.0, type);
        for (int e = 0; e < Math.max(1, epochs); e++) {
            int steps = 40;
            double step = (hi - lo) / steps;
            for (int k = 0; k <= steps; k++) {
                double f = lo + k * step;
                double err = mse(counts, h, minMax, f, type);
                if (err < bestErr) {
                    bestErr = err;
                    bestF = f;
                }
            }
            lo = Math.max(0.01, bestF - step);
            hi = Math.min(1.0, bestF + step);
        }
        return new TensorRange((float) (minMax.min() * bestF), (float) (minMax.max() * bestF));
    }

    static double mse(long[] counts, Histogram h, TensorRange r, double factor, QuantType type) {
        QuantParams p = QuantParams.forRange(type, (float) (r.min() * factor), (float) (r.max() * factor));
        double w = h.binWidth();
        double err = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double c = h.binStart(i) + w / 2;
            // values never leave the observed range
            c = Math.max(r.min(), Math.min(r.max(), c));
            double d = c - p.fakeQuantize((float) c);
            err += counts[i] * d * d;
        }
        return err;
    }

    private static double[] absHistogram(Histogram h) {
        long[] c = h.counts();
        double[] abs = new double[ABS_BINS];
        for (int i = 0; i < ABS_BINS; i++) {
            abs[i] = c[ABS_BINS + i] + c[ABS_BINS - 1 - i];
        }
        // exact zeros (what a ReLU cut off) are represented exactly by any range; left in, their
        // spike dominates both distributions and the divergence stops seeing the tail
        abs[0] -= h.zeros();
        return abs;
    }

    /** KL(P || Q) where P is the first {@code i} bins with the tail folded in and Q is P squeezed into {@code levels}. */
    static double divergence(double[] abs, int i, int levels) {
        double[] p = new double[i];
        System.arraycopy(abs, 0, p, 0, i);
        double tail = 0;
        for (int k = i; k < abs.length; k++) {
            tail += abs[k];
        }
        p[i - 1] += tail;
        double[] q = new double[i];
        double per = (double) i / levels;
        for (int j = 0; j < levels; j++) {
            int start = (int) Math.floor(j * per);
            int end = j == levels - 1 ? i : (int) Math.floor((j + 1) * per);
            double sum = 0;
            int nonZero = 0;
            for (int k = start; k < end; k++) {
                sum += abs[k];
                if (abs[k] != 0) {
                    nonZero++;
                }
            }
            if (nonZero == 0) {
                continue;
            }
            double v = sum / nonZero;
            for (int k = start; k < end; k++) {
                if (abs[k] != 0) {
                    q[k] = v;
                }
            }
        }
        double ps = 0;
        double qs = 0;
        for (int k = 0; k < i; k++) {
            ps += p[k];
            qs += q[k];
        }
        if (ps == 0 || qs == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double kl = 0;
        for (int k = 0; k < i; k++) {
            if (p[k] == 0) {
                continue;
            }
            double pk = p[k] / ps;
            double qk = q[k] / qs;
            kl += qk == 0 ? pk * 20 : pk * Math.log(pk / qk);
        }
        return kl;
    }

    private static TensorRange clampTo(TensorRange r, double lo, double hi) {
        return new TensorRange((float) Math.max(r.min(), lo), (float) Math.min(r.max(), hi));
    }
}
