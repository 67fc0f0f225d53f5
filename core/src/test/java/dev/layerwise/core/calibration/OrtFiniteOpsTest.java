package dev.layerwise.core.calibration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.OperatorSetIdProto;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What calibration's rule for tensors without a NaN test of their own rests on (decision 0029):
 * ONNX Runtime's Softmax, Sigmoid, Tanh and Relu give a finite output for every finite input,
 * the extremes included. A Softmax that did not subtract its row's largest value first would
 * overflow on large values (inf / inf is NaN); if an ORT upgrade changes that, this fails and the
 * op has to leave {@code Calibrator}'s set.
 */
class OrtFiniteOpsTest {

    private static final List<String> OPS = List.of("Softmax", "Sigmoid", "Tanh", "Relu");

    private static ModelProto model() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("finite");
        g.addInput(Nodes.valueInfo("x", 1, -1, -1));
        for (String op : OPS) {
            g.addNode(op.equals("Softmax") ? Nodes.node(op, op, List.of("x"), List.of(op), Nodes.attr("axis", -1L))
                    : Nodes.node(op, op, List.of("x"), List.of(op)));
            g.addOutput(Nodes.output(op));
        }
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(g).build();
    }

    /** Rows of {@code n} extreme finite values: all the largest, all the most negative, mixed, and tiny ones. */
    private static FloatTensor extremes(int n) {
        float max = Float.MAX_VALUE;
        float[][] patterns = {
            {max}, {-max}, {max, -max}, {-max, max, 0f}, {Float.MIN_VALUE, -Float.MIN_VALUE, -0f},
            {88.8f, -88.8f, 1e30f, -1e30f, 3.4e38f}, {-1e30f, -3e38f, 1f}, {1e-30f, 1f, 100f, -100f, 50f},
        };
        int rows = patterns.length + 1;
        float[] v = new float[rows * n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(n);
        for (int r = 0; r < patterns.length; r++) {
            for (int i = 0; i < n; i++) {
                v[r * n + i] = patterns[r][i % patterns[r].length];
            }
        }
        for (int i = 0; i < n; i++) {
            v[patterns.length * n + i] = (float) ((rnd.nextDouble() * 2 - 1) * max);
        }
        return new FloatTensor(new long[] {rows, n}, v);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 8, 9, 16, 17, 21, 33, 64, 1000})
    void softmaxSigmoidTanhAndReluOfFiniteValuesAreFinite(int n) throws Exception {
        ModelProto m = model();
        try (OnnxSession pool = OnnxSession.create(m, "finite"); OnnxSession caller = OnnxSession.createOnCallingThread(m, "finite")) {
            for (OnnxSession s : List.of(pool, caller)) {
                Map<String, FloatTensor> out = s.run(Map.of("x", extremes(n)));
                for (String op : OPS) {
                    float[] v = out.get(op).data();
                    for (int i = 0; i < v.length; i++) {
                        int at = i;
                        assertTrue(Float.isFinite(v[i]), () -> op + " of row " + at / n + " gave " + v[at] + " at " + at % n);
                    }
                }
            }
        }
    }
}
