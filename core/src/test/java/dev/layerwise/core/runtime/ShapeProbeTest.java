package dev.layerwise.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /** {@code Y = X · W}, W a 16x16 initializer that the graph also declares as an input of {@code declared}. */
    private static ModelProto declaredWeight(long ir, long... declared) {
        java.nio.ByteBuffer w = java.nio.ByteBuffer.allocate(16 * 16 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 256; i++) {
            w.putFloat(0.01f * i);
        }
        var init = dev.layerwise.core.onnx.proto.Onnx.TensorProto.newBuilder().setName("W").setDataType(1).addDims(16).addDims(16)
                .setRawData(com.google.protobuf.ByteString.copyFrom(w.array()));
        var graph = dev.layerwise.core.onnx.proto.Onnx.GraphProto.newBuilder().setName("g")
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("mm").addInput("X").addInput("W").addOutput("Y"))
                .addInitializer(init).addInput(Nodes.valueInfo("X", 1, 1, 16)).addInput(Nodes.valueInfo("W", 1, declared))
                .addOutput(Nodes.output("Y"));
        return ModelProto.newBuilder().setIrVersion(ir).addOpsetImport(
                dev.layerwise.core.onnx.proto.Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(graph).build();
    }

    @Test
    void aWeightAlsoDeclaredAsAnInputIsLeftOutOnlyWhenTheDeclarationSaysWhatItIs() throws Exception {
        for (long ir : new long[] {3, 8}) {
            // declared as it is (older IR versions list every initializer among the inputs): the lighter probe serves
            LayerGraph.Probed light = ShapeProbe.withoutWeights(declaredWeight(ir, 16, 16), "test");
            assertNotNull(light, "IR " + ir);
            assertArrayEquals(new long[] {1, 16}, light.shapes().get("Y"));
            // declared otherwise: ORT refuses the model, and the lighter probe must not answer in its place
            ModelProto conflict = declaredWeight(ir, 16, 8);
            assertNull(ShapeProbe.withoutWeights(conflict, "test"), "IR " + ir);
            OnnxModel m = OnnxModel.of(conflict);
            assertThrows(dev.layerwise.core.onnx.ModelLoadException.class, () -> ShapeProbe.ORT.probe(m,
                    List.of(new LayerGraph.Input("X", new long[] {1, 16})), List.of("Y")));
        }
    }
}
