package dev.layerwise.core.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major (C) order. The arrays are owned by the tensor once
 * constructed; callers must not modify them afterwards. Immutable by convention, safe to share
 * between threads.
 *
 * @param shape dimensions, each at least 0
 * @param data values, {@code data.length} equals the product of {@code shape}
 */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        long n = elementCount(shape);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + n + " values, data has " + data.length);
        }
    }

    /**
     * Why a tensor of {@code shape} cannot be fed, or {@code null} when it can: one Java array
     * holds at most 2^31-1 values, and an input with the tensors computed from it must fit the
     * heap (a quarter of it for the input). Checked before anything is allocated.
     *
     * @return e.g. {@code 1x3x100000x100000, 3.00e+10 values (112 GiB as float32); Layerwise feeds
     *     inputs of up to 5.37e+08 values with this heap (-Xmx)}
     */
    public static String tooLargeToFeed(long[] shape) {
        double values = 1;
        for (long d : shape) {
            values *= d;
        }
        double heapValues = Runtime.getRuntime().maxMemory() / 4.0 / Float.BYTES;
        if (values <= Integer.MAX_VALUE - 8 && values <= heapValues) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%s, %.3g values (%s as float32); Layerwise feeds inputs of up to %.3g values"
                + " with this heap (-Xmx)", shapeText(shape), values,
                dev.layerwise.core.io.InputFiles.size((long) Math.min(Long.MAX_VALUE, values * Float.BYTES)),
                Math.min(heapValues, Integer.MAX_VALUE - 8));
    }

    /** Product of the dimensions; 1 for a scalar. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public int size() {
        return data.length;
    }

    public int rank() {
        return shape.length;
    }

    /** Shape as text, e.g. {@code 1x3x224x224}. */
    public String shapeText() {
        return shapeText(shape);
    }

    public static String shapeText(long[] shape) {
        if (shape.length == 0) {
            return "scalar";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return sb.toString();
    }

    /** Smallest and largest value; both 0 for an empty tensor. NaN values are skipped. */
    public float[] minMax() {
        return minMax(java.nio.FloatBuffer.wrap(data));
    }

    /** As {@link #minMax()}, over a buffer's whole capacity (absolute reads; a weight's view, say). */
    public static float[] minMax(java.nio.FloatBuffer values) {
        float[] range = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] chunk = new float[CHUNK];
        for (int from = 0, n = values.capacity(); from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            values.get(from, chunk, 0, len);
            widen(chunk, len, range);
        }
        if (range[0] > range[1]) {
            return new float[] {0f, 0f};
        }
        return range;
    }

    /**
     * Long loops over a tensor read it this many values at a time and hand each chunk to a small
     * method: the JIT compiles such a method whole after about a hundred calls and then C2 after
     * ~1800, where one loop over a whole tensor runs interpreted for its first 60,000 values and is
     * compiled up to four times (on-stack and whole, by C1 and by C2). A command runs most of its
     * loops once, cold, so the start is most of their time. The values are visited in the same order.
     */
    public static final int CHUNK = 64;

    /**
     * {@code range} as {@code Math.min} and {@code Math.max} leave it over {@code values[from, to)}: a
     * NaN sticks, -0 is below +0. One chunk of a longer scan ({@link #CHUNK}).
     */
    public static void spread(float[] values, int from, int to, float[] range) {
        float lo = range[0];
        float hi = range[1];
        for (int i = from; i < to; i++) {
            lo = Math.min(lo, values[i]);
            hi = Math.max(hi, values[i]);
        }
        range[0] = lo;
        range[1] = hi;
    }

    /** {@code range[0]} lowered and {@code range[1]} raised to the first {@code len} values (NaN skipped). */
    private static void widen(float[] values, int len, float[] range) {
        float lo = range[0];
        float hi = range[1];
        for (int i = 0; i < len; i++) {
            float v = values[i];
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        range[0] = lo;
        range[1] = hi;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor[" + shapeText() + "]";
    }
}
