package dev.layerwise.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.Calibrator;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.Tensors;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.QuantizedTensor;
import dev.layerwise.core.quant.WeightQuantizer;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.ShapeProbe;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnalysisEndToEndTest {

    static OnnxModel model;
    static LayerGraph graph;
    static Calibration calibration;
    static SampleSource calibrationSet;
    static SampleSource analysed;

    @BeforeAll
    static void calibrate() throws Exception {
        model = TestModels.smallCnn();
        graph = ShapeProbe.layerGraph(model);
        List<Map<String, FloatTensor>> feeds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            feeds.add(Map.of("input", TestModels.smallInput(i)));
        }
        calibrationSet = SampleSource.of(feeds);
        analysed = SampleSource.of(List.of(Map.of("input", TestModels.smallInput(100)), Map.of("input", TestModels.smallInput(101))));
        calibration = Calibrator.calibrate(graph, calibrationSet, CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
    }

    static AnalysisResult analyse(QuantPlan plan) throws Exception {
        return Analyzer.analyze(graph, plan, CalibrationAlgorithm.NORMAL, analysed, null, null, ProgressListener.NONE);
    }

    static QuantPlan plan(QuantType type) {
        return QuantPlan.create(graph, type, Map.of(), calibration.ranges(), Map.of(), new WeightQuantizer());
    }

    @Test
    void layersFollowTheFusionRules() {
        List<String> names = graph.layers().stream().map(Layer::name).toList();
        assertEquals(List.of("Conv_0", "Conv_2", "Conv_4", "Add_5", "MaxPool_7", "Conv_8", "GlobalAveragePool_10",
                "Flatten_11", "Gemm_12"), names);
        Layer first = graph.layer("Conv_0");
        assertEquals("Relu", first.activation());
        assertEquals("r1", first.output());
        assertEquals(List.of("input"), first.inputs());
        assertEquals("1x8x16x16", first.shapeText());
        assertEquals(List.of("r1", "c4"), graph.layer("Add_5").inputs());
        assertTrue(graph.layer("MaxPool_7").valuePreserving());
    }

    @Test
    void firstLayerEntireAndIndividualAgree() throws Exception {
        AnalysisResult r = analyse(plan(QuantType.ASYMMETRIC_AFFINE_U8));
        LayerReport first = r.layers().get(0);
        assertEquals(first.entire().cosine(), first.individual().cosine(), 1e-12);
        assertEquals(first.entire().euclidean(), first.individual().euclidean(), 1e-9);
        assertTrue(first.individual().cosine() < 1.0, "quantization must cost something");
    }

    @Test
    void individualCosineEqualsLayerRunAloneOnFakeQuantizedInputs() throws Exception {
        QuantPlan plan = plan(QuantType.ASYMMETRIC_AFFINE_U8);
        AnalysisResult r = analyse(plan);
        Map<String, Double> expected = IndependentLayerRun.individualCosines(graph, plan, analysed);
        for (Layer l : graph.layers()) {
            assertEquals(expected.get(l.name()), r.layer(l.name()).individual().cosine(), 1e-5, l.name());
        }
    }

    @Test
    void int16IsCloserToFloatThanU8OnEveryLayer() throws Exception {
        AnalysisResult u8 = analyse(plan(QuantType.ASYMMETRIC_AFFINE_U8));
        AnalysisResult i16 = analyse(plan(QuantType.DYNAMIC_FIXED_POINT_I16));
        for (int i = 0; i < u8.layers().size(); i++) {
            LayerReport a = u8.layers().get(i);
            LayerReport b = i16.layers().get(i);
            assertTrue(b.individual().cosine() > a.individual().cosine(), a.name() + " individual");
            assertTrue(b.entire().cosine() > a.entire().cosine(), a.name() + " entire");
            assertTrue(b.entire().euclidean() < a.entire().euclidean(), a.name() + " euclidean");
        }
        assertTrue(i16.finalMetrics().cosine() > 0.99999);
    }

    @Test
    void exportedModelMatchesTheEntireAnalysis() throws Exception {
        QuantPlan plan = plan(QuantType.ASYMMETRIC_AFFINE_U8);
        ModelProto exported = QuantGraphBuilder.fakeQuantized(graph, plan);
        ModelProto analysis = QuantGraphBuilder.analysis(graph, plan);
        Map<String, FloatTensor> feed = analysed.load(0);
        try (OnnxSession e = OnnxSession.create(exported.toByteArray(), "export");
             OnnxSession a = OnnxSession.create(analysis.toByteArray(), "analysis")) {
            float[] fromExport = e.run(feed).get("output").data();
            float[] fromAnalysis = a.run(feed).get("output" + QuantGraphBuilder.ENTIRE).data();
            assertNotNull(fromExport);
            for (int i = 0; i < fromExport.length; i++) {
                assertEquals(fromAnalysis[i], fromExport[i], 1e-6f * Math.max(1, Math.abs(fromAnalysis[i])));
            }
        }
    }

    @Test
    void perChannelWeightsAreCloserToFloatAndTheExportRuns() throws Exception {
        WeightQuantizer wq = new WeightQuantizer();
        QuantPlan tensor = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), calibration.ranges(), Map.of(), wq);
        QuantPlan channel = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), calibration.ranges(), Map.of(), wq,
                true);
        for (Layer l : graph.layers()) {
            if (l.weight() == null) {
                continue;
            }
            float[] w = graph.initializer(l.weight()).data();
            QuantizedTensor pc = channel.weight(l.name());
            assertTrue(pc.perChannel(), l.name());
            assertEquals(graph.initializer(l.weight()).shape()[l.weightAxis()], pc.channels().length);
            double perTensor = Metrics.compare(w, tensor.weight(l.name()).dequantized()).euclidean();
            double perChannel = Metrics.compare(w, pc.dequantized()).euclidean();
            assertTrue(perChannel <= perTensor, l.name() + ": " + perChannel + " > " + perTensor);
        }
        AnalysisResult r = analyse(channel);
        ModelProto exported = QuantGraphBuilder.fakeQuantized(graph, channel);
        try (OnnxSession e = OnnxSession.create(exported.toByteArray(), "export")) {
            float[] out = e.run(analysed.load(0)).get("output").data();
            TopKCheck.sameTop1(r.quantizedTop5().top1().index(), out);
        }
    }

    /** Top-1 of a raw output. */
    static final class TopKCheck {
        static void sameTop1(int expected, float[] out) {
            assertEquals(expected, dev.layerwise.core.runtime.TopK.of(out, 1, null).top1().index());
        }
    }

    @Test
    void float32LayerIsLeftUnquantized() throws Exception {
        QuantPlan plan = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of("Conv_0", QuantType.FLOAT32),
                calibration.ranges(), Map.of(), new WeightQuantizer());
        AnalysisResult r = analyse(plan);
        LayerReport first = r.layers().get(0);
        assertEquals(QuantType.FLOAT32, first.dtype());
        assertEquals(1.0, first.individual().cosine(), 1e-12);
        assertTrue(first.entire().cosine() > analyse(plan(QuantType.ASYMMETRIC_AFFINE_U8)).layers().get(0).entire().cosine());
    }

    @Test
    void layerMetricsComputedAcrossThreadsEqualASerialComputationBitForBit() throws Exception {
        QuantPlan plan = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of("Conv_4", QuantType.FLOAT32),
                calibration.ranges(), Map.of(), new WeightQuantizer());
        List<Map<String, FloatTensor>> outputs = new ArrayList<>();
        AnalysisResult result = Analyzer.analyze(graph, plan, CalibrationAlgorithm.NORMAL, analysed, null,
                (input, tensors) -> outputs.add(tensors), ProgressListener.NONE);
        assertEquals(analysed.size(), outputs.size());
        for (LayerReport r : result.layers()) {
            SerialMetrics expected = SerialMetrics.of(graph.layer(r.name()), plan, outputs);
            assertEquals(expected.individual(), r.individual(), r.name());
            assertEquals(expected.entire(), r.entire(), r.name());
        }
        assertTrue(result.layers().stream().anyMatch(r -> r.individual().cosine() < 1), "quantization changed something");
    }
}
