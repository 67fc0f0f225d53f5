package dev.layerwise.bridge;

import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.Tensors;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.OperatorSetIdProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.List;
import java.util.Random;

/** Small classifiers built in code for the bridge tests. */
public final class TestModels {

    private TestModels() {
    }

    /** {@code input[1x8] -> Gemm(W[8x10], b[10]) -> Softmax -> probs[1x10]}, fixed random weights. */
    public static OnnxModel classifier(int inputs, int classes, long seed) {
        Random r = new Random(seed);
        float[] w = new float[inputs * classes];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        float[] b = new float[classes];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (r.nextGaussian() * 0.1);
        }
        GraphProto g = GraphProto.newBuilder().setName("classifier")
                .addInput(Nodes.valueInfo("input", TensorProto.DataType.FLOAT_VALUE, 1, inputs))
                .addOutput(Nodes.valueInfo("probs", TensorProto.DataType.FLOAT_VALUE, 1, classes))
                .addInitializer(Tensors.floats("W", new long[] {inputs, classes}, w))
                .addInitializer(Tensors.floats("B", new long[] {classes}, b))
                .addNode(Nodes.node("Gemm", "fc", List.of("input", "W", "B"), List.of("logits")))
                .addNode(Nodes.node("Softmax", "softmax", List.of("logits"), List.of("probs"), Nodes.attr("axis", 1L)))
                .build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setProducerName("layerwise-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
        return OnnxModel.of(m);
    }

    public static FloatTensor input(int inputs, long seed) {
        Random r = new Random(seed);
        float[] x = new float[inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new FloatTensor(new long[] {1, inputs}, x);
    }
}
