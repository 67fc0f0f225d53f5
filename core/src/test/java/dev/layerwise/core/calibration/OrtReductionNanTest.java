package dev.layerwise.core.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.OperatorSetIdProto;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What ONNX Runtime's full reductions do with NaN, on which the calibration graph's non-finite
 * test rests (decision 0024). ReduceMin and ReduceMax keep a running value that a NaN replaces
 * only where it comes first, so they miss a NaN anywhere else; ReduceSum always turns NaN.
 * Calibration therefore keeps the sum. If an ORT upgrade makes min and max propagate NaN, the
 * first test fails: the sum (one pass over every quantization tensor per sample) can then go.
 */
class OrtReductionNanTest {

    private static final List<String> OPS = List.of("ReduceMin", "ReduceMax", "ReduceSum");

    private static OnnxSession reductions() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder().setName("reductions");
        g.addInput(Nodes.valueInfo("x", 1, 1, -1, 1, 1));
        for (String op : OPS) {
            g.addNode(Nodes.node(op, op, List.of("x"), List.of(op), Nodes.attr("keepdims", 0L)));
            g.addOutput(Nodes.output(op));
        }
        ModelProto m = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
        return OnnxSession.create(m, "reductions");
    }

    /** Values -10..10 with no NaN but one at {@code nanAt}, shaped as a rank-4 activation. */
    private static Map<String, FloatTensor> withNanAt(int n, int nanAt) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i) * 10;
        }
        v[nanAt] = Float.NaN;
        return Map.of("x", new FloatTensor(new long[] {1, n, 1, 1}, v));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 9, 1000, 1_000_003})
    void minAndMaxMissANanThatIsNotFirstWhileTheSumAlwaysTurnsNan(int n) throws Exception {
        try (OnnxSession s = reductions()) {
            List<Integer> missedByMin = new ArrayList<>();
            List<Integer> missedByMax = new ArrayList<>();
            List<Integer> positions = List.of(1, n / 2, n - 1);
            for (int at : positions) {
                Map<String, FloatTensor> out = s.run(withNanAt(n, at));
                assertTrue(Float.isNaN(out.get("ReduceSum").data()[0]), "sum with a NaN at " + at);
                if (!Float.isNaN(out.get("ReduceMin").data()[0])) {
                    missedByMin.add(at);
                }
                if (!Float.isNaN(out.get("ReduceMax").data()[0])) {
                    missedByMax.add(at);
                }
            }
            assertEquals(positions, missedByMin, "NaN positions ReduceMin returned a number for");
            assertEquals(positions, missedByMax, "NaN positions ReduceMax returned a number for");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 1_000_003})
    void minAndMaxReturnInfinitiesWhereverTheyAre(int n) throws Exception {
        try (OnnxSession s = reductions()) {
            float[] v = new float[n];
            v[n / 2] = Float.POSITIVE_INFINITY;
            v[n - 1] = Float.NEGATIVE_INFINITY;
            Map<String, FloatTensor> out = s.run(Map.of("x", new FloatTensor(new long[] {1, n, 1, 1}, v)));
            assertEquals(Float.NEGATIVE_INFINITY, out.get("ReduceMin").data()[0]);
            assertEquals(Float.POSITIVE_INFINITY, out.get("ReduceMax").data()[0]);
            assertTrue(Float.isNaN(out.get("ReduceSum").data()[0]), "inf + -inf");
        }
    }
}
