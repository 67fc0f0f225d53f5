package dev.layerwise.core.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.runtime.ShapeProbe;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTensorsTest {

    /** input, Conv_0, Pool_1, Flatten_2 (output {@code f2}). */
    private static TestModels.Builder pooled(long seed) {
        TestModels.Builder b = new TestModels.Builder(seed).input("input", 1, 3, 8, 8);
        String x = b.conv("Conv_0", "input", 3, 4, 3, 1, 1, "c0");
        x = b.op("GlobalAveragePool", "Pool_1", List.of(x), "g1");
        b.op("Flatten", "Flatten_2", List.of(x), "f2", Nodes.attr("axis", 1L));
        return b;
    }

    @Test
    void graphOutputsAndWhatArgMaxOrSoftmaxReadAreDecisive() throws Exception {
        TestModels.Builder b = pooled(3);
        String x = b.gemm("Gemm_3", "f2", 4, 5, "logits");
        b.op("ArgMax", "ArgMax_4", List.of(x), "index", Nodes.attr("axis", 1L));
        String s = b.op("Softmax", "Softmax_5", List.of(x), "p5", Nodes.attr("axis", 1L));
        b.op("Flatten", "Flatten_6", List.of(s), "probabilities", Nodes.attr("axis", 1L));
        LayerGraph g = ShapeProbe.layerGraph(b.output("probabilities").output("index").build());
        // the Flatten reuses the Softmax output's parameters, so that range is the output's
        assertEquals(Set.of("logits", "p5", "probabilities", "index"), Calibrator.decisionTensors(g));
    }

    @Test
    void aValuePreservingChainLeadsBackToTheLayerThatComputes() throws Exception {
        LayerGraph g = ShapeProbe.layerGraph(pooled(4).output("f2").build());
        assertEquals(Set.of("f2", "g1"), Calibrator.decisionTensors(g));
    }
}
