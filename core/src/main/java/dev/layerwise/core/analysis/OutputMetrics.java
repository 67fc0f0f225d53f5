package dev.layerwise.core.analysis;

import dev.layerwise.core.runtime.TopK;

/**
 * One graph output of a model against the float model's, over the analysed or compared inputs.
 * Immutable.
 *
 * @param name the output tensor
 * @param shape its shape with batch 1
 * @param metrics cosine, euclidean etc. of the flattened output, averaged over inputs (1 / 0 for
 *     the float model against itself)
 * @param maxAbsError the largest |quantized - float| of any element on any input, 0 or more
 * @param floatTop5 top-5 of the float model on the first input; {@code null} unless the output is a
 *     class vector ({@link dev.layerwise.core.runtime.Classification#isClassVector})
 * @param top5 top-5 of this model on the first input; {@code null} exactly when {@code floatTop5} is
 * @param minCosine the lowest cosine on any one input, in [-1, 1] (1 for the float model against itself)
 * @param worstInput the 0-based index of the input with {@code minCosine} (the first of equals)
 */
public record OutputMetrics(String name, long[] shape, Metrics metrics, double maxAbsError, TopK floatTop5, TopK top5,
        double minCosine, int worstInput) {

    public OutputMetrics {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** True when the output is a class vector and so has top-5 lists. */
    public boolean classVector() {
        return top5 != null;
    }

    public String shapeText() {
        return dev.layerwise.core.tensor.FloatTensor.shapeText(shape);
    }
}
