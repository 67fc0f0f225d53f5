package dev.layerwise.core.quant;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.Analyzer;
import dev.layerwise.core.analysis.LayerReport;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.Calibrator;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.ShapeProbe;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Half;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A float16 layer computes on half-precision inputs, weights and bias and writes half-precision outputs. */
class Float16LayerTest {

    static final int IN = 24;
    static final int OUT = 64;

    /** input 1xIN -> Gemm (transB) -> output 1xOUT; weights of magnitude ~0.2 so rounding shows. */
    static OnnxModel gemm() {
        TestModels.Builder b = new TestModels.Builder(7).input("x", 1, IN);
        b.gemm("Gemm_0", "x", IN, OUT, "y");
        return b.output("y").build();
    }

    static FloatTensor input() {
        float[] x = new float[IN];
        for (int i = 0; i < IN; i++) {
            x[i] = (float) (Math.sin(i * 1.7) * 3.1 + 0.0123 * i);
        }
        return new FloatTensor(new long[] {1, IN}, x);
    }

    @Test
    void float16GemmEqualsAnIndependentJavaHalfComputation() throws Exception {
        OnnxModel model = gemm();
        LayerGraph graph = ShapeProbe.layerGraph(model);
        QuantPlan plan = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of("Gemm_0", QuantType.FLOAT16), Map.of(),
                Map.of(), new WeightQuantizer());
        assertEquals(QuantType.FLOAT16, plan.params("x").type(), "an input read only by a float16 layer is rounded to half");
        byte[] bytes = QuantGraphBuilder.fakeQuantized(graph, plan).toByteArray();
        float[] ort;
        float[] floatRun;
        try (OnnxSession s = OnnxSession.create(bytes, "fp16 gemm");
             OnnxSession f = OnnxSession.create(model, "float gemm")) {
            ort = s.run(Map.of("x", input())).get("y").data();
            floatRun = f.run(Map.of("x", input())).get("y").data();
        }
        // the same layer in Java: inputs, weights and bias rounded to half, wide accumulation, output rounded
        float[] w = graph.initializer(graph.layer("Gemm_0").weight()).data();
        float[] bias = graph.initializer(graph.layer("Gemm_0").bias()).data();
        float[] x = input().data();
        int exact = 0;
        int differsFromFloat = 0;
        for (int o = 0; o < OUT; o++) {
            double acc = Half.round(bias[o]);
            for (int i = 0; i < IN; i++) {
                acc += (double) Half.round(w[o * IN + i]) * Half.round(x[i]);
            }
            float expected = Half.round((float) acc);
            assertEquals(ort[o], Half.round(ort[o]), 0.0, "output " + o + " is not a half value");
            // float32 and double sums may straddle a rounding boundary: allow one half step
            float step = Math.ulp(expected) * (1 << 13);
            assertEquals(expected, ort[o], step, "output " + o);
            if (expected == ort[o]) {
                exact++;
            }
            if (ort[o] != floatRun[o]) {
                differsFromFloat++;
            }
        }
        assertTrue(exact >= OUT - 2, "only " + exact + " of " + OUT + " outputs equal the Java half computation");
        assertTrue(differsFromFloat > OUT / 2, "half rounding should change most outputs, changed " + differsFromFloat);
    }

    @Test
    void float16LayerStoresHalfWeightsAndCastsAroundTheLayer() throws Exception {
        LayerGraph graph = ShapeProbe.layerGraph(gemm());
        QuantPlan plan = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of("Gemm_0", QuantType.FLOAT16), Map.of(),
                Map.of(), new WeightQuantizer());
        QuantizedTensor w = plan.weight("Gemm_0");
        float[] original = graph.initializer(graph.layer("Gemm_0").weight()).data();
        for (int i = 0; i < original.length; i++) {
            assertEquals(Half.round(original[i]), w.dequantized()[i], 0.0);
            assertEquals(Half.toBits(original[i]) & 0xffff, w.q()[i]);
        }
        assertEquals(QuantType.FLOAT16, plan.bias("Gemm_0").params().type(), "an fp16 layer's bias is half, not int32");
        List<NodeProto> nodes = QuantGraphBuilder.fakeQuantized(graph, plan).getGraph().getNodeList();
        long casts = nodes.stream().filter(n -> n.getOpType().equals("Cast")).count();
        // input: 2, weight: 1, bias: 1, output: 2
        assertEquals(6, casts);
        assertTrue(nodes.stream().noneMatch(n -> n.getOpType().equals("QuantizeLinear")));
    }

    @Test
    void float16LayerInAU8ModelAnalysesNearlyLossless() throws Exception {
        OnnxModel model = TestModels.smallCnn();
        LayerGraph graph = ShapeProbe.layerGraph(model);
        SampleSource cal = SampleSource.of(List.of(Map.of("input", TestModels.smallInput(1)), Map.of("input", TestModels.smallInput(2))));
        Calibration c = Calibrator.calibrate(graph, cal, CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
        WeightQuantizer wq = new WeightQuantizer();
        QuantPlan u8 = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), c.ranges(), Map.of(), wq);
        QuantPlan hybrid = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of("Conv_2", QuantType.FLOAT16), c.ranges(),
                Map.of(), wq);
        SampleSource one = SampleSource.of(List.of(Map.of("input", TestModels.smallInput(9))));
        AnalysisResult a = Analyzer.analyze(graph, u8, CalibrationAlgorithm.NORMAL, one, null, null, ProgressListener.NONE);
        AnalysisResult h = Analyzer.analyze(graph, hybrid, CalibrationAlgorithm.NORMAL, one, null, null, ProgressListener.NONE);
        LayerReport u8Conv = a.layers().get(1);
        LayerReport halfConv = h.layers().get(1);
        assertEquals("Conv_2", halfConv.name());
        assertEquals(QuantType.FLOAT16, halfConv.dtype());
        assertTrue(halfConv.individual().cosine() > 0.99999, "fp16 alone: " + halfConv.individual().cosine());
        assertTrue(halfConv.individual().cosine() < 1.0 || halfConv.individual().euclidean() > 0, "rounding must show");
        // both are fed the same u8 input (the producer stays u8), so only the layer's own share differs
        assertTrue(halfConv.individual().euclidean() < u8Conv.individual().euclidean() / 2,
                "fp16 error " + halfConv.individual().euclidean() + " vs u8 " + u8Conv.individual().euclidean());

        QuantConfig cfg = ConfigMapper.toConfig(graph, hybrid, List.of(), Map.of());
        assertEquals("float16", cfg.customizedLayers().get("Conv_2"));
        assertEquals("float16", cfg.parameters().get("@Conv_2:weight").dtype());
        assertEquals("float16", cfg.parameters().get("@Conv_2:out0").dtype());
        assertNotEquals("float16", cfg.parameters().get("@Conv_4:out0").dtype());
    }
}
