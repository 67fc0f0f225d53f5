package dev.layerwise.core.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.TensorRange;
import dev.layerwise.core.runtime.ShapeProbe;
import dev.layerwise.core.task.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RangeSearchTest {

    /**
     * An activation-like tensor: a unit Gaussian (post-ReLU when {@code relu}) with 1% outliers
     * spread over 4..9 on the positive side.
     */
    static float[] withOutliers(boolean relu, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[20000];
        for (int i = 0; i < v.length; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            v[i] = (float) (relu ? Math.max(0, g) : g);
        }
        for (int i = 0; i < v.length / 100; i++) {
            v[r.nextInt(v.length)] = (float) (4 + 5 * r.nextDouble());
        }
        return v;
    }

    /** A few huge outliers: what KL divergence trades away (it clips them), MMSE keeps. */
    static float[] withHugeOutliers(long seed) {
        float[] v = withOutliers(true, seed);
        SplittableRandom r = new SplittableRandom(seed + 7);
        for (int i = 0; i < 6; i++) {
            v[r.nextInt(v.length)] = (float) (40 + 20 * r.nextDouble());
        }
        return v;
    }

    static double mse(float[] v, QuantParams p) {
        double s = 0;
        for (float x : v) {
            double d = x - p.fakeQuantize(x);
            s += d * d;
        }
        return s / v.length;
    }

    static TensorRange minMax(float[] v) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new TensorRange(lo, hi);
    }

    @ParameterizedTest
    @EnumSource(value = QuantType.class, names = {"ASYMMETRIC_AFFINE_U8", "DYNAMIC_FIXED_POINT_I8"})
    void rangesStayInsideMinMaxAndQuantizeOutliersNoWorseThanNormal(QuantType type) {
        for (boolean relu : new boolean[] {true, false}) {
            float[] v = withOutliers(relu, relu ? 1 : 2);
            Histogram h = new Histogram();
            // fed in pieces, as calibration does image by image
            for (int i = 0; i < v.length; i += 5000) {
                h.add(java.util.Arrays.copyOfRange(v, i, Math.min(v.length, i + 5000)));
            }
            TensorRange normal = minMax(v);
            double normalMse = mse(v, QuantParams.forRange(type, normal.min(), normal.max()));
            for (TensorRange r : List.of(RangeSearch.klDivergence(h, normal), RangeSearch.mmse(h, normal, type, 3))) {
                assertTrue(r.min() >= normal.min() && r.max() <= normal.max(), r + " outside " + normal);
                assertTrue(r.min() <= 0 && r.max() > 0, r.toString());
                double m = mse(v, QuantParams.forRange(type, r.min(), r.max()));
                assertTrue(m <= normalMse, type + " relu=" + relu + " " + r + ": mse " + m + " > normal " + normalMse);
            }
        }
    }

    @Test
    void hugeRareOutliersAreClippedByKlAndKeptByMmse() {
        float[] v = withHugeOutliers(3);
        Histogram h = new Histogram();
        h.add(v);
        TensorRange normal = minMax(v);
        QuantType u8 = QuantType.ASYMMETRIC_AFFINE_U8;
        TensorRange kl = RangeSearch.klDivergence(h, normal);
        TensorRange mmse = RangeSearch.mmse(h, normal, u8, 3);
        // KL keeps resolution for the bulk and gives up the outliers' magnitude
        assertTrue(kl.max() < normal.max() / 2, kl + " vs " + normal);
        // squared error is dominated by the outliers, so the MSE-optimal range keeps them
        assertTrue(mmse.max() > 0.9 * normal.max(), mmse + " vs " + normal);
        assertTrue(mse(v, QuantParams.forRange(u8, mmse.min(), mmse.max())) <= 1.01 * mse(v,
                QuantParams.forRange(u8, normal.min(), normal.max())));
    }

    @Test
    void histogramKeepsEveryValueWhenItsRangeGrows() {
        Histogram h = new Histogram();
        h.add(new float[] {0.1f, -0.2f, 0.3f});
        h.add(new float[] {100f, -250f});
        long sum = 0;
        for (long c : h.counts()) {
            sum += c;
        }
        assertEquals(5, sum);
        assertEquals(5, h.total());
        assertTrue(h.limit() >= 250);
        assertEquals(-250f, h.min());
        assertEquals(100f, h.max());
    }

    @Test
    void histogramSkipsNanAndInfinity() {
        Histogram h = new Histogram();
        h.add(new float[] {1f, Float.NaN, Float.POSITIVE_INFINITY, -2f, Float.NEGATIVE_INFINITY});
        assertEquals(2, h.total());
        assertEquals(-2f, h.min());
        assertEquals(1f, h.max());
        assertTrue(Double.isFinite(h.limit()));
    }

    @ParameterizedTest
    @EnumSource(value = CalibrationAlgorithm.class, names = {"KL_DIVERGENCE", "MMSE"})
    void calibrationWithHistogramsStaysWithinMinMax(CalibrationAlgorithm algorithm) throws Exception {
        LayerGraph g = ShapeProbe.layerGraph(TestModels.smallCnn());
        List<Map<String, dev.layerwise.core.tensor.FloatTensor>> feeds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            feeds.add(Map.of("input", TestModels.smallInput(i)));
        }
        SampleSource s = SampleSource.of(feeds);
        Calibration normal = Calibrator.calibrate(g, s, CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
        Calibration other = Calibrator.calibrate(g, s, algorithm, QuantType.ASYMMETRIC_AFFINE_U8, 2, ProgressListener.NONE);
        assertEquals(normal.ranges().keySet(), other.ranges().keySet());
        assertEquals(normal.ranges().keySet(), other.histograms().keySet());
        for (String t : normal.ranges().keySet()) {
            TensorRange n = normal.ranges().get(t);
            TensorRange o = other.ranges().get(t);
            assertTrue(o.min() >= n.min() && o.max() <= n.max(), t + ": " + o + " outside " + n);
        }
    }

    /**
     * A lopsided histogram whose KL thresholds are worked out by hand. Bins are one width each.
     * Negative side: 126 bins of 200 (a flat block, fewer than the 128 bins a threshold keeps at
     * least, so it is never clipped: tn = 126). Positive side: a bulk of 128 bins alternating x, y
     * (x in even bins), nothing in bins 128..382, and b = 600 far out in bin 383.
     *
     * <p>Only two thresholds tp leave a non-empty bin at the edge (an empty edge with values
     * beyond has infinite divergence): 128 and 384.
     * <ul>
     *   <li>tp = 384 keeps everything. The 255 u8 steps split 255 * 384 / (384 + 126) = 192 for the
     *       positive side, so Q merges bin pairs (2k, 2k + 1): each pair x, y becomes (x + y) / 2
     *       twice; the outlier's pair has one non-empty bin and is exact. The negative side gets 63
     *       steps over 126 equal bins: exact. With N = 64 (x + y) + b values on the positive side,
     *       N * KL = 64 [x ln(2x / (x + y)) + y ln(2y / (x + y))].</li>
     *   <li>tp = 128 clips the outlier. Steps 255 * 128 / 254 = 128.5, rounded 129 >= 128 bins:
     *       every bin is its own level, Q is P without the tail (S = 64 (x + y) values); the
     *       negative side gets 126 steps for 126 bins: exact. P's last bin holds y + b where Q has
     *       y, so N * KL = (y + b) ln((y + b) / y) + N ln(S / N).</li>
     * </ul>
     * Rough bulk x = 100, y = 250: keep-all 64 (100 ln(200/350) + 250 ln(500/350)) = 2125.26,
     * clip 850 ln(3.4) + 23000 ln(22400/23000) = 1040.21 - 607.96 = 432.24: clipping wins, the
     * merging costs more than folding 600 values into the edge. Smooth bulk x = 200, y = 250:
     * keep-all 64 (200 ln(400/450) + 250 ln(500/450)) = 178.15, clip 850 ln(3.4) + 29400
     * ln(28800/29400) = 1040.21 - 606.21 = 434.00: the outlier stays. (The symmetric search this
     * replaced looked at |x| and could only cut both sides at once.)
     */
    @ParameterizedTest(name = "x={0}, y={1}: tp={3}")
    @org.junit.jupiter.params.provider.CsvSource({
        "100, 250, 2125.26, 128, 0.0187932",
        "200, 250, 178.15, 384, 0.0147620",
    })
    void klThresholdsOfALopsidedHistogramMatchTheHandComputation(double x, double y, double keepAllTimesN, int tp,
            double clipKl) {
        double b = 600;
        double[] pos = new double[Histogram.BINS / 2];
        for (int k = 0; k < 128; k++) {
            pos[k] = k % 2 == 0 ? x : y;
        }
        pos[383] = b;
        double[] neg = new double[Histogram.BINS / 2];
        java.util.Arrays.fill(neg, 0, 126, 200);
        RangeSearch.Side p = new RangeSearch.Side(pos);
        RangeSearch.Side n = new RangeSearch.Side(neg);
        double total = 64 * (x + y) + b;
        assertEquals(keepAllTimesN / total, p.divergence(384, 192), 1e-5);
        assertEquals(clipKl, p.divergence(128, 129), 1e-6);
        assertEquals(0, n.divergence(126, 63), 1e-12);
        assertEquals(0, n.divergence(126, 126), 1e-12);
        int[] t = RangeSearch.twoSidedKl(p, n);
        assertEquals(126, t[0]);
        assertEquals(tp, t[1]);
    }

    /** TensorRT's recipe written out bin by bin, the plain way: what the O(steps) formula must equal. */
    static double naiveDivergence(double[] c, int i, int steps) {
        double[] p = java.util.Arrays.copyOf(c, i);
        for (int k = i; k < c.length; k++) {
            p[i - 1] += c[k];
        }
        double[] q = new double[i];
        int levels = Math.min(steps, i);
        double per = (double) i / levels;
        for (int j = 0; j < levels; j++) {
            int start = (int) Math.floor(j * per);
            int end = j == levels - 1 ? i : (int) Math.floor((j + 1) * per);
            double sum = 0;
            int nonZero = 0;
            for (int k = start; k < end; k++) {
                sum += c[k];
                nonZero += c[k] > 0 ? 1 : 0;
            }
            for (int k = start; k < end; k++) {
                q[k] = c[k] > 0 ? sum / nonZero : 0;
            }
        }
        double ps = java.util.Arrays.stream(p).sum();
        double qs = java.util.Arrays.stream(q).sum();
        double kl = 0;
        for (int k = 0; k < i; k++) {
            if (p[k] > 0) {
                kl += q[k] == 0 ? Double.POSITIVE_INFINITY : p[k] / ps * Math.log((p[k] / ps) / (q[k] / qs));
            }
        }
        return kl;
    }

    @Test
    void prefixSumDivergenceEqualsTheBinByBinRecipe() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 50; trial++) {
            // smooth decaying counts with holes, no spikes (those are flattened on purpose)
            double[] c = new double[400];
            for (int k = 0; k < c.length; k++) {
                c[k] = r.nextDouble() < 0.2 ? 0 : Math.floor(50 + 100 * Math.exp(-k / 80.0) * (0.8 + 0.4 * r.nextDouble()));
            }
            RangeSearch.Side s = new RangeSearch.Side(c);
            assertTrue(java.util.Arrays.equals(c, s.shape), "no spikes in this data");
            for (int i = 5; i <= s.last; i += 13) {
                for (int steps : new int[] {3, 17, 64, 128, 255}) {
                    double want = naiveDivergence(c, i, steps);
                    double got = s.divergence(i, steps);
                    if (Double.isInfinite(want)) {
                        assertTrue(Double.isInfinite(got), i + "/" + steps);
                    } else {
                        assertEquals(want, got, 1e-9, i + "/" + steps);
                    }
                }
            }
        }
    }

    @Test
    void aRepeatedValueCountsAsItsNeighbourhoodInsideTheRangeAndWhollyInTheTail() {
        double[] c = new double[300];
        java.util.Arrays.fill(c, 0, 300, 100);
        c[40] = 5000;
        c[250] = 5000;
        RangeSearch.Side s = new RangeSearch.Side(c);
        assertEquals(100, s.shape[40]);
        assertEquals(100, s.shape[250]);
        assertEquals(5000, s.counts[250]);
        // threshold 200: inside is flat (spike flattened) and 100 bins hold 99 * 100 + 5000 values beyond
        double inside = 200 * 100;
        double tail = 99 * 100 + 5000;
        double n = inside + tail;
        double expected = ((100 + tail) * Math.log((100 + tail) / 100)) / n + Math.log(inside / n);
        assertEquals(expected, s.divergence(200, 200), 1e-12);
    }

    @Test
    void shareOutsideCountsWhatARangeClips() {
        Histogram h = new Histogram();
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) {
            // 0.0, 0.01, ..., 9.99
            v[i] = i / 100f;
        }
        h.add(v);
        assertEquals(0, h.shareOutside(h.min(), h.max()), 1e-12);
        // values above 7.5: 7.51 .. 9.99 are 249 of 1000, up to bin resolution (~0.005)
        assertEquals(0.249, h.shareOutside(0, 7.5), 0.002);
        assertEquals(1, h.shareOutside(20, 30), 1e-12);
    }
}
