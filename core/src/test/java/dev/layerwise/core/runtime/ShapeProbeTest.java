package dev.layerwise.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probe's shapes, whether ORT inferred them or a run measured them, against a run that copies every value. */
class ShapeProbeTest {

    private static List<String> nodeOutputs(OnnxModel m) {
        List<String> out = new ArrayList<>();
        for (NodeProto n : m.graph().getNodeList()) {
            out.addAll(n.getOutputList());
        }
        return out;
    }

    /** Every float node output's shape as a full run on zeros reports it, values copied. */
    private static Map<String, long[]> measured(OnnxModel m, String input, long[] shape) throws Exception {
        ModelProto.Builder b = m.proto().toBuilder();
        List<String> declared = b.getGraph().getOutputList().stream().map(o -> o.getName()).toList();
        for (String t : nodeOutputs(m)) {
            if (!declared.contains(t)) {
                b.getGraphBuilder().addOutput(Nodes.output(t));
            }
        }
        try (OnnxSession s = OnnxSession.create(b.build().toByteArray(), "reference")) {
            Map<String, FloatTensor> r = s.run(Map.of(input, new FloatTensor(shape, new float[(int) FloatTensor.elementCount(shape)])));
            Map<String, long[]> shapes = new java.util.HashMap<>();
            r.forEach((k, v) -> shapes.put(k, v.shape()));
            return shapes;
        }
    }

    @Test
    void inferredShapesMatchWhatARunProduces() throws Exception {
        OnnxModel m = TestModels.smallCnn();
        long[] in = {1, 3, 16, 16};
        LayerGraph.Probed p = ShapeProbe.ORT.probe(m, List.of(new LayerGraph.Input("input", in)), nodeOutputs(m));
        Map<String, long[]> run = measured(m, "input", in);
        assertEquals(run.keySet(), p.shapes().keySet());
        run.forEach((t, shape) -> assertArrayEquals(shape, p.shapes().get(t), t));
        assertArrayEquals(new long[] {1, 8, 8, 8}, p.shapes().get("m7"), "max pool halves 16x16");
    }

    /** {@code values = TopK(x, ArgMax(x) + 1)}: a size only a run can tell (1 on zeros). */
    private static OnnxModel dataDependentTopK() {
        TestModels.Builder b = new TestModels.Builder(1).input("x", 1, 4);
        String arg = b.op("ArgMax", "ArgMax_0", List.of("x"), "arg", Nodes.attr("axis", 1L), Nodes.attr("keepdims", 0L));
        String k = b.op("Add", "Add_1", List.of(arg, b.longs(1)), "k");
        b.node("TopK", "TopK_2", List.of("x", k), List.of("values", "indices"));
        b.op("Relu", "Relu_3", List.of("values"), "y");
        return b.output("y").build(13);
    }

    @Test
    void aSizeComputedFromDataIsMeasuredByOneRun() throws Exception {
        OnnxModel m = dataDependentTopK();
        List<String> tensors = nodeOutputs(m);
        ModelProto.Builder exposed = m.proto().toBuilder();
        for (String t : tensors) {
            if (!t.equals("y")) {
                exposed.getGraphBuilder().addOutput(Nodes.output(t));
            }
        }
        try (OnnxSession s = OnnxSession.create(exposed.build().toByteArray(), "inferred")) {
            long[] inferred = s.floatOutputShapes().get("values");
            assertFalse(inferred.length > 0 && Arrays.stream(inferred).allMatch(d -> d >= 0),
                    "ORT cannot know the size before running: " + Arrays.toString(inferred));
        }
        LayerGraph.Probed p = ShapeProbe.ORT.probe(m, List.of(new LayerGraph.Input("x", new long[] {1, 4})), tensors);
        assertArrayEquals(new long[] {1, 1}, p.shapes().get("values"));
        assertArrayEquals(new long[] {1, 1}, p.shapes().get("y"));
        assertTrue(p.types().get("values"));
        assertFalse(p.types().get("indices"), "TopK's indices are int64");
        assertFalse(p.shapes().containsKey("indices"), "only float tensors have shapes reported");
    }

    /** The probe's node outputs exposed, as {@code ShapeProbe.probe} builds its model. */
    private static ModelProto exposed(OnnxModel m, List<String> tensors) {
        ModelProto.Builder b = m.proto().toBuilder();
        List<String> declared = b.getGraph().getOutputList().stream().map(o -> o.getName()).toList();
        for (String t : tensors) {
            if (!declared.contains(t)) {
                b.getGraphBuilder().addOutput(Nodes.output(t));
            }
        }
        return b.build();
    }

    @Test
    void aProbeWithoutTheWeightsSeesWhatTheFullProbeSees() throws Exception {
        OnnxModel sample = OnnxModel.load(TestModels.repoRoot().resolve("sample-models/shufflenetv2_x1/shufflenetv2_x1.onnx"));
        for (OnnxModel m : List.of(TestModels.heavyTailedClassifier(), sample)) {
            String input = m.graph().getInput(0).getName();
            List<LayerGraph.Input> inputs = List.of(new LayerGraph.Input(input, m == sample ? new long[] {1, 3, 224, 224}
                : new long[] {1, 3, 16, 16}));
            List<String> tensors = nodeOutputs(m);
            assertNotNull(ShapeProbe.withoutWeights(exposed(m, tensors), "test"), "the weights are left out");
            LayerGraph.Probed light = ShapeProbe.ORT.probe(m, inputs, tensors);
            LayerGraph.Probed full = ShapeProbe.ORT.probe(m, inputs, tensors, false);
            assertEquals(full.types(), light.types());
            assertEquals(full.shapes().keySet(), light.shapes().keySet());
            full.shapes().forEach((t, shape) -> assertArrayEquals(shape, light.shapes().get(t), t));
        }
    }

    @Test
    void aSizeOnlyARunCanTellStillGetsTheRunWithTheWeights() throws Exception {
        // the TopK model, with a weight large enough to be left out feeding its output
        TestModels.Builder b = new TestModels.Builder(1).input("x", 1, 4);
        String arg = b.op("ArgMax", "ArgMax_0", List.of("x"), "arg", Nodes.attr("axis", 1L), Nodes.attr("keepdims", 0L));
        String k = b.op("Add", "Add_1", List.of(arg, b.longs(1)), "k");
        b.node("TopK", "TopK_2", List.of("x", k), List.of("values", "indices"));
        String w = b.init(new long[] {1, ShapeProbe.WEIGHT_VALUES}, b.random(ShapeProbe.WEIGHT_VALUES, 1));
        String mm = b.op("MatMul", "MatMul_3", List.of("values", b.init(new long[] {1, ShapeProbe.WEIGHT_VALUES}, b.random(ShapeProbe.WEIGHT_VALUES, 1))), "mm");
        b.op("Add", "Add_4", List.of(mm, w), "y");
        OnnxModel m = b.output("y").build(13);
        List<String> tensors = nodeOutputs(m);
        assertNull(ShapeProbe.withoutWeights(exposed(m, tensors), "test"), "a size stays unknown without a run");
        LayerGraph.Probed p = ShapeProbe.ORT.probe(m, List.of(new LayerGraph.Input("x", new long[] {1, 4})), tensors);
        assertArrayEquals(new long[] {1, 1}, p.shapes().get("values"));
        assertArrayEquals(new long[] {1, ShapeProbe.WEIGHT_VALUES}, p.shapes().get("y"));
    }
}
