package dev.layerwise.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void identicalTensorsHaveCosineOneAndDistanceZero() {
        Metrics m = Metrics.compare(new float[] {1, -2, 3}, new float[] {1, -2, 3});
        assertEquals(1.0, m.cosine(), 1e-12);
        assertEquals(0.0, m.euclidean(), 1e-12);
        assertEquals(0.0, m.eculidean_norm(), 1e-6);
        assertEquals(1.0, m.cosine_norm(), 1e-12);
    }

    @Test
    void orthogonalTensorsHaveCosineZero() {
        Metrics m = Metrics.compare(new float[] {1, 0, 0}, new float[] {0, 2, 0});
        assertEquals(0.0, m.cosine(), 1e-12);
        assertEquals(Math.sqrt(5), m.euclidean(), 1e-12);
        assertEquals(Math.sqrt(2), m.eculidean_norm(), 1e-12);
    }

    @Test
    void handComputedPair() {
        // a = (3, 4), b = (4, 3): a.b = 24, |a| = |b| = 5, cos = 0.96, |a-b| = sqrt(2)
        Metrics m = Metrics.compare(new float[] {3, 4}, new float[] {4, 3});
        assertEquals(0.96, m.cosine(), 1e-12);
        assertEquals(Math.sqrt(2), m.euclidean(), 1e-12);
        // |a/5 - b/5| = |(-0.2, 0.2)| = sqrt(0.08)
        assertEquals(Math.sqrt(0.08), m.eculidean_norm(), 1e-9);
    }

    @Test
    void scaledCopyHasCosineOne() {
        Metrics m = Metrics.compare(new float[] {1, 2, 2}, new float[] {2, 4, 4});
        assertEquals(1.0, m.cosine(), 1e-12);
        assertEquals(3.0, m.euclidean(), 1e-12);
    }

    @Test
    void zeroTensorsNeverGiveNaN() {
        Metrics both = Metrics.compare(new float[] {0, 0}, new float[] {0, 0});
        assertEquals(1.0, both.cosine());
        assertEquals(0.0, both.eculidean_norm());
        Metrics one = Metrics.compare(new float[] {0, 0}, new float[] {1, 0});
        assertEquals(0.0, one.cosine());
        assertEquals(1.0, one.euclidean(), 1e-12);
        for (Metrics m : List.of(both, one, Metrics.compare(new float[] {1, 1}, new float[] {0, 0}))) {
            assertFalse(Double.isNaN(m.cosine()) || Double.isNaN(m.euclidean()) || Double.isNaN(m.eculidean_norm()));
        }
    }

    @Test
    void meanAveragesEachComponent() {
        Metrics m = Metrics.mean(List.of(new Metrics(1, 0, 0, 1), new Metrics(0.5, 2, 1, 0.5)));
        assertEquals(0.75, m.cosine(), 1e-12);
        assertEquals(1.0, m.euclidean(), 1e-12);
        assertEquals(0.5, m.eculidean_norm(), 1e-12);
    }

    @Test
    void nanAndInfinityAreLeftOut() {
        Metrics m = Metrics.compare(new float[] {1, Float.NaN, 2, Float.POSITIVE_INFINITY}, new float[] {1, 5, 2, 3});
        assertEquals(1.0, m.cosine(), 1e-12);
        assertEquals(0.0, m.euclidean(), 1e-12);
    }

    @Test
    void onePassOverTwoPairsSumsAsTwoSeparatePassesDo() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        float[] a = new float[10_001];
        float[] b = new float[a.length];
        float[] c = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextGaussian() * 3);
            b[i] = a[i] + (float) (r.nextGaussian() * 0.01);
            c[i] = Math.round(a[i] * 8) / 8f;
        }
        a[5] = Float.NaN;
        b[9] = Float.POSITIVE_INFINITY;
        c[11] = Float.NEGATIVE_INFINITY;
        Metrics.Accumulator toB = new Metrics.Accumulator();
        Metrics.Accumulator toC = new Metrics.Accumulator();
        // twice, as a layer with two outputs adds two pairs
        for (int k = 0; k < 2; k++) {
            Metrics.Accumulator.addBoth(java.nio.FloatBuffer.wrap(a), java.nio.FloatBuffer.wrap(b), toB,
                    java.nio.FloatBuffer.wrap(c), toC);
        }
        Metrics.Accumulator sepB = new Metrics.Accumulator();
        Metrics.Accumulator sepC = new Metrics.Accumulator();
        for (int k = 0; k < 2; k++) {
            sepB.add(a, b);
            sepC.add(a, c);
        }
        assertEquals(sepB.result(), toB.result());
        assertEquals(sepC.result(), toC.result());
        assertFalse(Double.isNaN(toB.result().cosine()));
    }
}
