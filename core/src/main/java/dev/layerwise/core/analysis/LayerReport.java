package dev.layerwise.core.analysis;

import dev.layerwise.core.quant.QuantType;

/**
 * Accuracy of one layer, averaged over the analysed inputs. Immutable.
 *
 * @param index graph order
 * @param name layer name
 * @param op the compute op type, e.g. {@code Conv}
 * @param activation fused activation op type, or {@code null}
 * @param output name of the layer's first output tensor
 * @param shape output shape as text, e.g. {@code 1x116x28x28}
 * @param dtype the layer's quantized type
 * @param individual the layer quantized alone, fed the float model's inputs
 * @param entire the whole quantized model up to this layer
 */
public record LayerReport(int index, String name, String op, String activation, String output, String shape, QuantType dtype,
        Metrics individual, Metrics entire) {

    /** Op with fused activation, e.g. {@code Conv+Relu}. */
    public String opLabel() {
        return activation == null ? op : op + "+" + activation;
    }
}
