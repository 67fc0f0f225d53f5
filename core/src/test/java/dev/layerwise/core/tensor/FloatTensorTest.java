package dev.layerwise.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatTensorTest {

    /** The range as one plain loop finds it: first lowest and first highest in order, NaN skipped. */
    private static float[] plain(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            if (x < lo) {
                lo = x;
            }
            if (x > hi) {
                hi = x;
            }
        }
        return lo > hi ? new float[] {0f, 0f} : new float[] {lo, hi};
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(Float.floatToRawIntBits(expected[0]), Float.floatToRawIntBits(actual[0]), what + ": low end");
        assertEquals(Float.floatToRawIntBits(expected[1]), Float.floatToRawIntBits(actual[1]), what + ": high end");
    }

    @Test
    void rangeOfABufferIsThePlainLoopsAcrossChunkBoundaries() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : new int[] {0, 1, FloatTensor.CHUNK - 1, FloatTensor.CHUNK, FloatTensor.CHUNK + 1, 3 * FloatTensor.CHUNK + 7, 5000}) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextInt(40) == 0 ? Float.NaN : (float) r.nextGaussian();
            }
            // a little-endian view of bytes, as a weight's values are read from the model
            ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(v);
            assertSameBits(plain(v), FloatTensor.minMax(bytes.asFloatBuffer()), "n " + n);
            assertSameBits(plain(v), FloatTensor.minMax(FloatBuffer.wrap(v)), "array, n " + n);
        }
    }

    @Test
    void whichZeroEndsTheRangeIsTheFirstMet() {
        assertSameBits(new float[] {-0f, -0f}, FloatTensor.minMax(FloatBuffer.wrap(new float[] {-0f, 0f})), "-0 first");
        assertSameBits(new float[] {0f, 0f}, FloatTensor.minMax(FloatBuffer.wrap(new float[] {0f, -0f})), "+0 first");
        float[] late = new float[200];
        late[150] = -0f;
        assertSameBits(new float[] {0f, 0f}, FloatTensor.minMax(FloatBuffer.wrap(late)), "-0 after +0 in a later chunk");
        assertArrayEquals(new float[] {0f, 0f}, FloatTensor.minMax(FloatBuffer.wrap(new float[] {Float.NaN, Float.NaN})));
    }
}
