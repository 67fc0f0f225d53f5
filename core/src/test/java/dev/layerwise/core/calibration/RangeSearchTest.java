package dev.layerwise.core.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.TensorRange;
import dev.layerwise.core.task.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

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
        LayerGraph g = LayerGraph.build(TestModels.smallCnn());
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
}
