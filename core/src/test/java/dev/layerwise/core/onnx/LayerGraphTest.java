package dev.layerwise.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.runtime.ShapeProbe;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fusion rules of DESIGN.md on the small CNN, with ORT's probe and with one given by hand. */
class LayerGraphTest {

    private static final List<String> LAYERS = List.of("Conv_0", "Conv_2", "Conv_4", "Add_5", "MaxPool_7", "Conv_8",
            "GlobalAveragePool_10", "Flatten_11", "Gemm_12");

    /** Every node output float, with shapes a reader can check by hand (NCHW, batch 1). */
    private static LayerGraph.Probed byHand() {
        Map<String, long[]> shapes = new HashMap<>();
        for (String t : List.of("c0", "r1", "c2", "r3", "c4", "a5", "r6")) {
            shapes.put(t, new long[] {1, 8, 16, 16});
        }
        shapes.put("m7", new long[] {1, 8, 8, 8});
        shapes.put("c8", new long[] {1, 16, 8, 8});
        shapes.put("r9", new long[] {1, 16, 8, 8});
        shapes.put("g10", new long[] {1, 16, 1, 1});
        shapes.put("f11", new long[] {1, 16});
        shapes.put("output", new long[] {1, 10});
        Map<String, Boolean> types = new HashMap<>();
        shapes.keySet().forEach(t -> types.put(t, true));
        return new LayerGraph.Probed(types, shapes);
    }

    @Test
    void activationsFuseIntoTheOpBeforeThemAndValuePreservingOpsStandAlone() throws Exception {
        LayerGraph g = ShapeProbe.layerGraph(TestModels.smallCnn());
        assertEquals(LAYERS, g.layerNames());
        Layer conv0 = g.layer("Conv_0");
        assertEquals("Relu", conv0.activation());
        assertEquals(List.of("Conv_0", "Relu_1"), conv0.nodes());
        assertEquals(List.of("r1"), conv0.outputs(), "a fused layer's output is its activation's");
        assertEquals("Relu", g.layer("Add_5").activation());
        assertNull(g.layer("MaxPool_7").activation());
        assertTrue(g.layer("MaxPool_7").valuePreserving());
        assertEquals(List.of("r1", "c4"), g.layer("Add_5").inputs(), "the residual add reads both branches");
    }

    @Test
    void weightsAndTheirOutputChannelAxisAreFound() throws Exception {
        LayerGraph g = ShapeProbe.layerGraph(TestModels.smallCnn());
        Layer conv = g.layer("Conv_8");
        assertEquals(0, conv.weightAxis(), "Conv weights are OIHW");
        assertArrayEquals(new long[] {16, 8, 1, 1}, g.initializer(conv.weight()).shape());
        assertNull(g.layer("Add_5").weight());
        assertEquals(List.of("input", "r1", "r3", "c4", "r6", "m7", "r9", "g10", "f11", "output"), g.quantTensors());
        assertEquals(List.of("output"), g.finalOutputs());
    }

    @Test
    void aProbeGivenByHandBuildsTheSameGraphWithoutOnnxRuntime() throws Exception {
        LayerGraph ort = ShapeProbe.layerGraph(TestModels.smallCnn());
        LayerGraph hand = LayerGraph.build(TestModels.smallCnn(), (model, inputs, tensors) -> {
            assertEquals("input", inputs.get(0).name());
            assertArrayEquals(new long[] {1, 3, 16, 16}, inputs.get(0).shape());
            assertEquals(List.of("c0", "r1", "c2", "r3", "c4", "a5", "r6", "m7", "c8", "r9", "g10", "f11", "output"), tensors);
            return byHand();
        });
        assertEquals(ort.layerNames(), hand.layerNames());
        for (String t : ort.quantTensors()) {
            assertArrayEquals(ort.shapeOf(t), hand.shapeOf(t), t);
        }
    }

    @Test
    void aNonFloatOutputIsNotALayer() throws Exception {
        LayerGraph.Probed p = byHand();
        Map<String, Boolean> types = new HashMap<>(p.types());
        types.put("f11", false);
        LayerGraph g = LayerGraph.build(TestModels.smallCnn(), (m, i, t) -> new LayerGraph.Probed(types, p.shapes()));
        assertNull(g.layer("Flatten_11"));
        assertEquals(1, g.nonLayerNodes().stream().filter(n -> n.getName().equals("Flatten_11")).count());
    }

    @Test
    void aProbeFailureReachesTheCallerAsIs() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LayerGraph.build(TestModels.smallCnn(), (m, i, t) -> {
            throw new ModelLoadException("model: probe failed");
        }));
        assertEquals("model: probe failed", e.getMessage());
    }
}
