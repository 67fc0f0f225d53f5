package dev.layerwise.core.preprocess;

/**
 * Bilinear resampling tables with half-pixel centres, the mapping of OpenCV's
 * {@code cv2.resize(..., interpolation=cv2.INTER_LINEAR)}: destination index {@code d} samples the
 * source at {@code (d + 0.5) * src / dst - 0.5}, clamped to the edge pixels. There is no
 * anti-aliasing when shrinking, as in OpenCV. OpenCV rounds weights to 1/2048 and results to
 * integers for 8-bit images; these tables keep full float precision, so results can differ from
 * OpenCV's by about one grey level.
 */
final class Bilinear {

    private Bilinear() {
    }

    /**
     * For each destination index: the two source indices to blend and the weight of the second,
     * in [0, 1). When the weight is 0 both indices are equal, so a same-size "resize" reads each
     * source pixel exactly once and changes nothing.
     */
    record Axis(int[] lo, int[] hi, float[] weight) {
        int size() {
            return lo.length;
        }
    }

    static Axis axis(int srcSize, int dstSize) {
        if (srcSize < 1 || dstSize < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + srcSize + " -> " + dstSize);
        }
        int[] lo = new int[dstSize];
        int[] hi = new int[dstSize];
        float[] weight = new float[dstSize];
        double scale = (double) srcSize / dstSize;
        for (int d = 0; d < dstSize; d++) {
            double f = (d + 0.5) * scale - 0.5;
            int i = (int) Math.floor(f);
            double t = f - i;
            if (i < 0) {
                i = 0;
                t = 0;
            }
            if (i >= srcSize - 1) {
                i = srcSize - 1;
                t = 0;
            }
            lo[d] = i;
            hi[d] = t == 0 ? i : i + 1;
            weight[d] = (float) t;
        }
        return new Axis(lo, hi, weight);
    }
}
