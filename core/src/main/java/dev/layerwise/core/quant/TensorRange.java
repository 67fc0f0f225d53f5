package dev.layerwise.core.quant;

/**
 * Calibrated value range of one tensor, the input to the quantization formulas.
 *
 * @param min smallest value seen (or chosen by the calibration algorithm)
 * @param max largest value
 */
public record TensorRange(float min, float max) {
    public static TensorRange of(float[] minMax) {
        return new TensorRange(minMax[0], minMax[1]);
    }
}
