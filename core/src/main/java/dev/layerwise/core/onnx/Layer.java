package dev.layerwise.core.onnx;

import dev.layerwise.core.tensor.FloatTensor;
import java.util.List;

/**
 * One layer as the NPU sees it: a compute node plus at most one fused activation, with one
 * quantization point per output. Immutable.
 *
 * @param index position in graph (topological) order, from 0
 * @param name stable name: the compute node's ONNX name, or its first output tensor when unnamed
 * @param op the compute node's op type, e.g. {@code Conv}
 * @param activation op type of the fused activation, or {@code null}
 * @param nodes names of the ONNX nodes in the layer, compute node first
 * @param inputs activation tensors the layer reads (not weights or constants), in node input order
 * @param outputs tensors the layer writes that others see; {@code outputs.get(0)} is {@code out0}
 * @param weight name of the weight initializer, or {@code null}
 * @param bias name of the bias initializer, or {@code null}
 * @param weightAxis axis of the weight's output channels (for per-channel quantization), -1 if none
 * @param valuePreserving true for ops that only move values (Reshape, Transpose, MaxPool, Slice …):
 *     they reuse their input's quantization unless the user gives them another type
 * @param shape shape of {@code out0} from a probe run with batch 1
 */
public record Layer(int index, String name, String op, String activation, List<String> nodes, List<String> inputs,
        List<String> outputs, String weight, String bias, int weightAxis, boolean valuePreserving, long[] shape) {

    public Layer {
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public String output() {
        return outputs.get(0);
    }

    /** Op with fused activation, e.g. {@code Conv+Relu}. */
    public String opLabel() {
        return activation == null ? op : op + "+" + activation;
    }

    public String shapeText() {
        return FloatTensor.shapeText(shape);
    }

    public boolean hasWeight() {
        return weight != null;
    }
}
