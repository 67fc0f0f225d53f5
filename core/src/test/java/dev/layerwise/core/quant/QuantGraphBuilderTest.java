package dev.layerwise.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.GraphEdits;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake-quantized graph, checked by running it and by arithmetic done here. */
class QuantGraphBuilderTest {

    private Project project;
    private Calibration cal;
    private final FloatTensor x = TestModels.smallInput(7);

    @BeforeEach
    void calibrate() throws Exception {
        project = Project.of(TestModels.smallCnn());
        cal = project.calibrate(SampleSource.of(List.of(Map.of("input", TestModels.smallInput(1)), Map.of("input", x))),
                CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
    }

    private float[] run(ModelProto m) throws Exception {
        try (OnnxSession s = OnnxSession.create(m.toByteArray(), "test")) {
            return s.run(Map.of("input", x)).get("output").data();
        }
    }

    @Test
    void everyLayerKeptInFloatGivesTheFloatModelBack() throws Exception {
        Map<String, QuantType> all = new HashMap<>();
        for (Layer l : project.graph().layers()) {
            all.put(l.name(), QuantType.FLOAT32);
        }
        QuantPlan plan = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, all, Map.of());
        float[] expected;
        try (OnnxSession s = OnnxSession.create(project.model(), "float")) {
            expected = s.run(Map.of("input", x)).get("output").data();
        }
        float[] got = run(QuantGraphBuilder.fakeQuantized(project.graph(), plan));
        // the graph input is still quantized (it is not a layer), so only close, not equal
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 0.05 * Math.max(1, Math.abs(expected[i])), "class " + i);
        }
    }

    @Test
    void theOutputOfAU8ModelLiesOnItsQuantizationGrid() throws Exception {
        QuantPlan plan = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of());
        QuantParams p = plan.params("output");
        float[] y = run(QuantGraphBuilder.fakeQuantized(project.graph(), plan));
        for (float v : y) {
            double q = v / p.scale() + p.zeroPoint();
            assertEquals(Math.rint(q), q, 1e-3, "value " + v + " is not on the grid of " + p);
            assertTrue(q >= 0 && q <= 255, "q " + q);
        }
    }

    @Test
    void activationsGetAQuantizeDequantizePairNamedAfterTheTensor() {
        QuantPlan plan = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of());
        ModelProto m = QuantGraphBuilder.fakeQuantized(project.graph(), plan);
        List<String> names = m.getGraph().getNodeList().stream().map(NodeProto::getName).toList();
        // the graph input is quantized into a copy; a layer's output in place; value-preserving
        // layers (MaxPool, Flatten) keep their input's quantization and add nothing
        assertTrue(names.contains(GraphEdits.NODE_QUANTIZE + "input" + GraphEdits.ENTIRE), names.toString());
        for (Layer l : project.graph().layers()) {
            String t = l.outputs().get(0);
            assertEquals(!l.valuePreserving(), names.contains(GraphEdits.NODE_QUANTIZE + t), l.name() + " in " + names);
            assertEquals(!l.valuePreserving(), names.contains(GraphEdits.NODE_DEQUANTIZE + t), l.name());
        }
        assertArrayEquals(new String[] {"input"}, m.getGraph().getInputList().stream().map(i -> i.getName()).toArray());
        assertEquals(List.of("output"), m.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
    }
}
