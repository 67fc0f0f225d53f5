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

    /**
     * The sums written out as one plain loop per tensor, from zero, added to the running totals:
     * the accumulator must give exactly these doubles, whatever its chunking (tensor sizes around
     * and between chunk boundaries, non-finite values anywhere, several tensors per layer).
     */
    @Test
    void sumsAreThoseOfOnePlainLoopPerTensor() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int n : new int[] {0, 1, 63, 64, 65, 127, 128, 129, 1000, 4097}) {
            float[][] a = new float[2][n];
            float[][] b = new float[2][n];
            for (int t = 0; t < 2; t++) {
                for (int i = 0; i < n; i++) {
                    a[t][i] = (float) (r.nextGaussian() * 5);
                    b[t][i] = r.nextInt(50) == 0 ? Float.NaN : r.nextInt(60) == 0 ? Float.NEGATIVE_INFINITY
                            : a[t][i] + (float) r.nextGaussian() * 0.1f;
                }
            }
            double dot = 0;
            double aa = 0;
            double bb = 0;
            double diff = 0;
            Metrics.Accumulator acc = new Metrics.Accumulator();
            for (int t = 0; t < 2; t++) {
                double d = 0;
                double x = 0;
                double y = 0;
                double s = 0;
                for (int i = 0; i < n; i++) {
                    double ai = a[t][i];
                    double bi = b[t][i];
                    if (Double.isFinite(ai) && Double.isFinite(bi)) {
                        d += ai * bi;
                        x += ai * ai;
                        y += bi * bi;
                        s += (ai - bi) * (ai - bi);
                    }
                }
                dot += d;
                aa += x;
                bb += y;
                diff += s;
                acc.add(a[t], b[t]);
            }
            double na = Math.sqrt(aa);
            double nb = Math.sqrt(bb);
            Metrics m = acc.result();
            if (na > 0 && nb > 0) {
                assertEquals(Math.max(-1, Math.min(1, dot / (na * nb))), m.cosine(), 0.0, "n " + n);
            }
            assertEquals(Math.sqrt(diff), m.euclidean(), 0.0, "n " + n);
        }
    }
}
