package dev.layerwise.core.runtime;

/** Turning a classifier's raw output into probabilities. Stateless. */
public final class Classification {

    private static final double SUM_TOLERANCE = 1e-3;

    private Classification() {
    }

    /**
     * The output as probabilities: returned as is when it already is a distribution (all values in
     * [0, 1], summing to 1 within 1e-3), else softmax of it (numerically stable, in double).
     */
    public static double[] probabilities(float[] output) {
        double[] p = new double[output.length];
        if (isDistribution(output)) {
            for (int i = 0; i < output.length; i++) {
                p[i] = output[i];
            }
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : output) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < output.length; i++) {
            p[i] = Math.exp(output[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * True for a class vector: shape {@code [C]}, {@code [1, C]} or {@code [1, C, 1, 1]} with
     * {@code C >= 2}. Only such outputs get top-5 lists; a box map or a segmentation mask does not.
     */
    public static boolean isClassVector(long[] shape) {
        if (shape == null) {
            return false;
        }
        return switch (shape.length) {
            case 1 -> shape[0] >= 2;
            case 2 -> shape[0] == 1 && shape[1] >= 2;
            case 4 -> shape[0] == 1 && shape[1] >= 2 && shape[2] == 1 && shape[3] == 1;
            default -> false;
        };
    }

    public static boolean isDistribution(float[] output) {
        double sum = 0;
        for (float v : output) {
            if (!(v >= 0f && v <= 1f)) {
                return false;
            }
            sum += v;
        }
        return Math.abs(sum - 1.0) <= SUM_TOLERANCE;
    }
}
