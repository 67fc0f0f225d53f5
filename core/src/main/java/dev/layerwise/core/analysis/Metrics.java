package dev.layerwise.core.analysis;

import dev.layerwise.core.tensor.FloatTensor;
import java.util.List;

/**
 * How far a quantized tensor {@code b} is from the float one {@code a}, both flattened. Never NaN:
 * two zero tensors have cosine 1, one zero tensor against a non-zero one has cosine 0, and pairs
 * holding a NaN or an infinity are left out of the sums.
 *
 * @param cosine {@code a·b / (|a| |b|)}
 * @param euclidean {@code |a - b|}
 * @param eculidean_norm {@code |a/|a| - b/|b||} (RKNN's spelling, kept for its report format)
 * @param cosine_norm cosine of the normalised vectors, equal to {@code cosine}
 */
public record Metrics(double cosine, double euclidean, double eculidean_norm, double cosine_norm) {

    /** Identical tensors. */
    public static final Metrics PERFECT = new Metrics(1, 0, 0, 1);

    public static Metrics compare(float[] a, float[] b) {
        Accumulator acc = new Accumulator();
        acc.add(a, b);
        return acc.result();
    }

    /** The largest |a[i] - b[i]|, 0 for empty arrays; NaN or infinite elements are skipped, as in {@link #compare}. */
    public static double maxAbsError(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isFinite(d) && d > max) {
                max = d;
            }
        }
        return max;
    }

    /** Component-wise mean; {@link #PERFECT} for an empty list. */
    public static Metrics mean(List<Metrics> all) {
        if (all.isEmpty()) {
            return PERFECT;
        }
        double c = 0;
        double e = 0;
        double en = 0;
        double cn = 0;
        for (Metrics m : all) {
            c += m.cosine;
            e += m.euclidean;
            en += m.eculidean_norm;
            cn += m.cosine_norm;
        }
        int n = all.size();
        return new Metrics(c / n, e / n, en / n, cn / n);
    }

    /** Sums over one or more tensor pairs (a layer with several outputs is compared as one vector). */
    public static final class Accumulator {
        private double dot;
        private double aa;
        private double bb;
        private double diff;

        public void add(float[] a, float[] b) {
            add(java.nio.FloatBuffer.wrap(a), java.nio.FloatBuffer.wrap(b));
        }

        /** Values are read from the buffers this many at a time and summed by a small method ({@link FloatTensor#CHUNK}). */
        static final int CHUNK = FloatTensor.CHUNK;

        /** Adds a pair of tensors held in buffers (e.g. ORT's pinned outputs), read with absolute gets. */
        public void add(java.nio.FloatBuffer a, java.nio.FloatBuffer b) {
            int n = a.capacity();
            if (n != b.capacity()) {
                throw new IllegalArgumentException("tensors differ in size: " + n + " vs " + b.capacity());
            }
            double[] sums = new double[4];
            scan(a, b, null, sums);
            plus(sums, 0);
        }

        /**
         * Adds {@code a} against {@code b} to {@code toB} and {@code a} against {@code c} to
         * {@code toC} in one pass over {@code a}: each accumulator ends exactly as after
         * {@code toB.add(a, b)} and {@code toC.add(a, c)} (same operations, same order).
         */
        public static void addBoth(java.nio.FloatBuffer a, java.nio.FloatBuffer b, Accumulator toB, java.nio.FloatBuffer c,
                Accumulator toC) {
            int n = a.capacity();
            if (n != b.capacity() || n != c.capacity()) {
                throw new IllegalArgumentException("tensors differ in size: " + n + " vs " + b.capacity() + " / " + c.capacity());
            }
            double[] sums = new double[8];
            scan(a, b, c, sums);
            toB.plus(sums, 0);
            toC.plus(sums, 4);
        }

        /**
         * This tensor's sums from zero into {@code sums} (a against b at 0, a against c at 4 when
         * {@code c} is given), then added to an accumulator as a layer's several outputs always were.
         */
        private static void scan(java.nio.FloatBuffer a, java.nio.FloatBuffer b, java.nio.FloatBuffer c, double[] sums) {
            float[] ac = new float[CHUNK];
            float[] bc = new float[CHUNK];
            float[] cc = c == null ? null : new float[CHUNK];
            for (int from = 0, n = a.capacity(); from < n; from += CHUNK) {
                int len = Math.min(CHUNK, n - from);
                a.get(from, ac, 0, len);
                b.get(from, bc, 0, len);
                if (c == null) {
                    sum(ac, bc, len, sums, 0);
                } else {
                    c.get(from, cc, 0, len);
                    sumBoth(ac, bc, cc, len, sums);
                }
            }
        }

        private void plus(double[] sums, int at) {
            dot += sums[at];
            aa += sums[at + 1];
            bb += sums[at + 2];
            diff += sums[at + 3];
        }

        /**
         * {@code sums[at..at+3] += a·b, a·a, b·b, |a - b|²} over the first {@code len} values, pairs
         * with a NaN or an infinity left out.
         */
        private static void sum(float[] a, float[] b, int len, double[] sums, int at) {
            double d = sums[at];
            double x = sums[at + 1];
            double y = sums[at + 2];
            double s = sums[at + 3];
            for (int i = 0; i < len; i++) {
                double ai = a[i];
                double bi = b[i];
                if (!Double.isFinite(ai) || !Double.isFinite(bi)) {
                    continue;
                }
                d += ai * bi;
                x += ai * ai;
                y += bi * bi;
                double df = ai - bi;
                s += df * df;
            }
            sums[at] = d;
            sums[at + 1] = x;
            sums[at + 2] = y;
            sums[at + 3] = s;
        }

        /**
         * {@link #sum} of a against b into {@code sums[0..3]} and of a against c into {@code sums[4..7]}
         * in one loop: each value of a is converted and tested once (a third faster than two passes
         * once compiled, as fast as the single loop over the buffers was).
         */
        private static void sumBoth(float[] a, float[] b, float[] c, int len, double[] sums) {
            double d1 = sums[0];
            double x1 = sums[1];
            double y1 = sums[2];
            double s1 = sums[3];
            double d2 = sums[4];
            double x2 = sums[5];
            double y2 = sums[6];
            double s2 = sums[7];
            for (int i = 0; i < len; i++) {
                double ai = a[i];
                double bi = b[i];
                double ci = c[i];
                boolean af = Double.isFinite(ai);
                if (af && Double.isFinite(bi)) {
                    d1 += ai * bi;
                    x1 += ai * ai;
                    y1 += bi * bi;
                    double df = ai - bi;
                    s1 += df * df;
                }
                if (af && Double.isFinite(ci)) {
                    d2 += ai * ci;
                    x2 += ai * ai;
                    y2 += ci * ci;
                    double df = ai - ci;
                    s2 += df * df;
                }
            }
            sums[0] = d1;
            sums[1] = x1;
            sums[2] = y1;
            sums[3] = s1;
            sums[4] = d2;
            sums[5] = x2;
            sums[6] = y2;
            sums[7] = s2;
        }

        public Metrics result() {
            double na = Math.sqrt(aa);
            double nb = Math.sqrt(bb);
            double cosine;
            double normDist;
            if (na == 0 && nb == 0) {
                cosine = 1;
                normDist = 0;
            } else if (na == 0 || nb == 0) {
                cosine = 0;
                normDist = 1;
            } else {
                cosine = Math.max(-1, Math.min(1, dot / (na * nb)));
                // |a/|a| - b/|b||^2 = 2 - 2 cos
                normDist = Math.sqrt(Math.max(0, 2 - 2 * cosine));
            }
            return new Metrics(cosine, Math.sqrt(diff), normDist, cosine);
        }
    }
}
