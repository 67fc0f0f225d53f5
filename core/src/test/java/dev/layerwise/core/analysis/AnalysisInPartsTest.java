package dev.layerwise.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.Calibrator;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.WeightQuantizer;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.ShapeProbe;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The analysis as it runs: a float session shared by plans and the quantized network in parts
 * (decision 0025), checked against the one-graph session and against each layer run alone.
 */
class AnalysisInPartsTest {

    static LayerGraph graph;
    static Calibration calibration;
    static SampleSource analysed;

    @BeforeAll
    static void calibrate() throws Exception {
        graph = ShapeProbe.layerGraph(TestModels.smallCnn());
        List<Map<String, FloatTensor>> feeds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            feeds.add(Map.of("input", TestModels.smallInput(i)));
        }
        calibration = Calibrator.calibrate(graph, SampleSource.of(feeds), CalibrationAlgorithm.NORMAL,
                QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
        analysed = SampleSource.of(List.of(Map.of("input", TestModels.smallInput(200)), Map.of("input", TestModels.smallInput(201))));
    }

    /** u8, with one layer left in float and one in int16: every kind of copy the graph holds. */
    static QuantPlan mixedPlan() {
        return QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8,
                Map.of("Conv_4", QuantType.FLOAT32, "Conv_8", QuantType.DYNAMIC_FIXED_POINT_I16), calibration.ranges(), Map.of(),
                new WeightQuantizer());
    }

    @Test
    void metricsEqualThoseOfTheWholeAnalysisGraphInOneSessionBitForBit() throws Exception {
        QuantPlan plan = mixedPlan();
        AnalysisResult split = Analyzer.analyze(graph, plan, CalibrationAlgorithm.NORMAL, analysed, null, null, ProgressListener.NONE);
        List<Map<String, FloatTensor>> runs = assertEveryLayerAsTheWholeGraphSays(graph, plan, split);
        float[] last = runs.get(analysed.size() - 1).get("output").data();
        float[] lastEntire = runs.get(analysed.size() - 1).get("output" + QuantGraphBuilder.ENTIRE).data();
        assertTrue(Metrics.compare(last, lastEntire).cosine() < 1, "quantization changed the output");
        assertEquals(1.0, split.layer("Conv_4").individual().cosine(), "a float layer has no individual error");
        assertTrue(split.layer("Conv_0").individual().cosine() < split.layer("Conv_8").individual().cosine(),
                "u8 loses more than int16");
    }

    @Test
    void aNodeKeptForItsIndicesWritesItsFloatOutputInThePartInsteadOfTakingItFedTwice() throws Exception {
        // TopK's values are a float layer output the parts are fed; its int64 indices are not, so the
        // part holding Gather's individual copy keeps the float TopK node, which writes the values too
        TestModels.Builder b = new TestModels.Builder(5).input("input", 1, 3, 16, 16);
        String x = b.conv("Conv_0", "input", 3, 8, 3, 1, 1, "c0");
        x = b.op("Relu", "Relu_1", List.of(x), "r1");
        x = b.op("GlobalAveragePool", "Pool_2", List.of(x), "g2");
        x = b.op("Flatten", "Flatten_3", List.of(x), "f3", Nodes.attr("axis", 1L));
        b.node("TopK", "TopK_4", List.of(x, b.longs(4)), List.of("vals", "idx"), Nodes.attr("axis", 1L));
        String picked = b.op("Gather", "Gather_5", List.of(x, "idx"), "picked", Nodes.attr("axis", 1L));
        String sum = b.op("Add", "Add_6", List.of(picked, "vals"), "sum");
        String flat = b.op("Flatten", "Flatten_7", List.of(sum), "f7", Nodes.attr("axis", 1L));
        b.gemm("Gemm_8", flat, 4, 10, "output");
        LayerGraph topk = ShapeProbe.layerGraph(b.output("output").build());
        QuantPlan plan = normalU8Plan(topk);
        AnalysisResult split = Analyzer.analyze(topk, plan, CalibrationAlgorithm.NORMAL, analysed, null, null, ProgressListener.NONE);
        assertEveryLayerAsTheWholeGraphSays(topk, plan, split);
    }

    @Test
    void anIfWhoseBranchesReadActivationsIsAnalysedAsTheSameNodeOutsideABranch() throws Exception {
        // the branches read two activations the If does not list as inputs; its quantized copy must
        // read their quantized copies (entire) or fake-quantized floats (individual), and a part must
        // be fed what its branch reads. The branch taken (the sum of a Relu's mean is positive) is the
        // Add, so the analysis must equal that of the same model with the Add outside any branch.
        LayerGraph withIf = ShapeProbe.layerGraph(controlFlowModel(true));
        LayerGraph inlined = ShapeProbe.layerGraph(controlFlowModel(false));
        assertEquals(List.of("r1", "r0"), withIf.producer("f").inputs(), "what the branches read are the If layer's inputs");
        AnalysisResult[] results = new AnalysisResult[2];
        LayerGraph[] graphs = {withIf, inlined};
        for (int k = 0; k < 2; k++) {
            QuantPlan plan = normalU8Plan(graphs[k]);
            results[k] = Analyzer.analyze(graphs[k], plan, CalibrationAlgorithm.NORMAL, analysed, null, null, ProgressListener.NONE);
            assertEveryLayerAsTheWholeGraphSays(graphs[k], plan, results[k]);
        }
        // the If model also has the mean its condition is computed from
        assertEquals(inlined.layers().size() + 1, withIf.layers().size());
        for (Layer l : inlined.layers()) {
            assertEquals(results[1].layer(l.name()).individual(), results[0].layer(l.name()).individual(), l.name());
            assertEquals(results[1].layer(l.name()).entire(), results[0].layer(l.name()).entire(), l.name());
        }
        assertTrue(results[0].layer("Conv_6").entire().cosine() < results[0].layer("Conv_6").individual().cosine(),
                "the error of the layers before the If reaches the layers after it");
    }

    /** The u8 plan of {@code g} after a normal calibration on four of the small inputs (input named {@code input}). */
    private static QuantPlan normalU8Plan(LayerGraph g) throws Exception {
        List<Map<String, FloatTensor>> feeds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            feeds.add(Map.of("input", TestModels.smallInput(i)));
        }
        Calibration cal = Calibrator.calibrate(g, SampleSource.of(feeds), CalibrationAlgorithm.NORMAL,
                QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
        return QuantPlan.create(g, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), cal.ranges(), Map.of(), new WeightQuantizer());
    }

    /**
     * conv+relu, conv+relu, then {@code f} = r1 + r0 (in the then-branch of an If on the sign of
     * r1's summed mean, r1 - r0 in the else-branch, when {@code withIf}; a plain Add otherwise),
     * a 1x1 conv, pooling and a Gemm.
     */
    static dev.layerwise.core.onnx.OnnxModel controlFlowModel(boolean withIf) {
        TestModels.Builder b = new TestModels.Builder(11).input("input", 1, 3, 16, 16);
        String x = b.conv("Conv_0", "input", 3, 8, 3, 1, 1, "c0");
        String r0 = b.op("Relu", "Relu_1", List.of(x), "r0");
        x = b.conv("Conv_2", r0, 8, 8, 3, 1, 1, "c1");
        String r1 = b.op("Relu", "Relu_3", List.of(x), "r1");
        if (withIf) {
            String m = b.op("ReduceMean", "Mean_a", List.of(r1), "m", Nodes.attr("keepdims", 0L));
            String zero = b.init(new long[0], new float[] {0f});
            String cond = b.op("Greater", "Greater_b", List.of(m, zero), "cond");
            var thenBranch = dev.layerwise.core.onnx.proto.Onnx.GraphProto.newBuilder().setName("then")
                    .addNode(Nodes.node("Add", "then_add", List.of(r1, r0), List.of("t")))
                    .addOutput(Nodes.valueInfo("t", dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.FLOAT_VALUE, 1, 8, 16, 16));
            var elseBranch = dev.layerwise.core.onnx.proto.Onnx.GraphProto.newBuilder().setName("else")
                    .addNode(Nodes.node("Sub", "else_sub", List.of(r1, r0), List.of("e")))
                    .addOutput(Nodes.valueInfo("e", dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.FLOAT_VALUE, 1, 8, 16, 16));
            b.op("If", "If_4", List.of(cond), "f", Nodes.attr("then_branch", thenBranch.build()),
                    Nodes.attr("else_branch", elseBranch.build()));
        } else {
            b.op("Add", "If_4", List.of(r1, r0), "f");
        }
        x = b.conv("Conv_6", "f", 8, 4, 1, 1, 1, "c6");
        x = b.op("GlobalAveragePool", "Pool_7", List.of(x), "g7");
        x = b.op("Flatten", "Flatten_8", List.of(x), "f8", Nodes.attr("axis", 1L));
        b.gemm("Gemm_9", x, 4, 10, "output");
        return b.output("output").build(13);
    }

    /**
     * Checks every layer's metrics of {@code split} against the one-graph analysis of decision 0001,
     * run as one session on the analysed inputs with every sum serial in Java; returns those runs.
     */
    private static List<Map<String, FloatTensor>> assertEveryLayerAsTheWholeGraphSays(LayerGraph graph, QuantPlan plan,
            AnalysisResult split) throws Exception {
        List<Map<String, FloatTensor>> runs = new ArrayList<>();
        try (OnnxSession whole = OnnxSession.create(QuantGraphBuilder.analysis(graph, plan), "whole", OptLevel.EXTENDED_OPT)) {
            for (int i = 0; i < analysed.size(); i++) {
                runs.add(whole.run(analysed.load(i)));
            }
        }
        for (Layer l : graph.layers()) {
            SerialMetrics expected = SerialMetrics.of(l, plan, runs);
            assertEquals(expected.individual(), split.layer(l.name()).individual(), l.name());
            assertEquals(expected.entire(), split.layer(l.name()).entire(), l.name());
        }
        return runs;
    }

    @Test
    void oneFloatSessionServesPlansOfEachTypeAsLayersRunAloneSay() throws Exception {
        try (FloatLayers floats = new FloatLayers(graph)) {
            WeightQuantizer weights = new WeightQuantizer();
            List<QuantPlan> plans = List.of(
                    QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), calibration.ranges(), Map.of(), weights),
                    QuantPlan.create(graph, QuantType.DYNAMIC_FIXED_POINT_I8, Map.of(), calibration.ranges(), Map.of(), weights, true),
                    QuantPlan.create(graph, QuantType.DYNAMIC_FIXED_POINT_I16, Map.of(), calibration.ranges(), Map.of(), weights));
            assertFalse(floats.isCreated(), "created by the first analysis, not before");
            OnnxSession first = null;
            for (QuantPlan plan : plans) {
                AnalysisResult r = Analyzer.analyze(graph, floats, plan, CalibrationAlgorithm.NORMAL, analysed, null, null,
                        ProgressListener.NONE);
                Map<String, Double> expected = IndependentLayerRun.individualCosines(graph, plan, analysed);
                for (Layer l : graph.layers()) {
                    assertEquals(expected.get(l.name()), r.layer(l.name()).individual().cosine(), 1e-5,
                            plan.defaultType() + " " + l.name());
                }
                assertTrue(r.layers().stream().anyMatch(x -> x.individual().cosine() < 1), "quantization costs something");
                assertTrue(floats.isCreated(), "the first analysis created the float session");
                if (first == null) {
                    first = floats.session();
                }
                assertTrue(first == floats.session(), "one float session for every plan");
            }
        }
    }

    @Test
    void aSecondAnalysisOfTheGraphWritesIntoTheFirstOnesBuffersAndReadsNothingOfItsRun() throws Exception {
        QuantPlan plan = mixedPlan();
        SampleSource other = SampleSource.of(List.of(Map.of("input", TestModels.smallInput(300))));
        AnalysisResult fresh;
        try (FloatLayers alone = new FloatLayers(graph)) {
            fresh = Analyzer.analyze(graph, alone, plan, CalibrationAlgorithm.NORMAL, other, null, null, ProgressListener.NONE);
        }
        try (FloatLayers floats = new FloatLayers(graph)) {
            Analyzer.analyze(graph, floats, plan, CalibrationAlgorithm.NORMAL, analysed, null, null, ProgressListener.NONE);
            long kept = floats.buffers().keptBytes();
            assertTrue(kept > 0, "the first analysis's buffers are kept");
            // another input in the kept buffers: the same numbers as an analysis with buffers of its own
            AnalysisResult again = Analyzer.analyze(graph, floats, plan, CalibrationAlgorithm.NORMAL, other, null, null,
                    ProgressListener.NONE);
            for (Layer l : graph.layers()) {
                assertEquals(fresh.layer(l.name()).individual(), again.layer(l.name()).individual(), l.name());
                assertEquals(fresh.layer(l.name()).entire(), again.layer(l.name()).entire(), l.name());
            }
            assertEquals(fresh.finalMetrics(), again.finalMetrics());
            assertEquals(kept, floats.buffers().keptBytes(), "taken and given back, not added to");
        }
    }

    @Test
    void partsHoldEachQuantizedOutputOnceAndTakeFloatLayerOutputsAsInputs() {
        QuantPlan plan = mixedPlan();
        Map<String, long[]> floatShapes = new FloatLayers(graph).shapes();
        List<ModelProto> parts = QuantGraphBuilder.analysisParts(graph, plan, floatShapes, 2);
        assertEquals(2, parts.size());
        List<String> expected = new ArrayList<>();
        for (Layer l : graph.layers()) {
            expected.add(l.output() + QuantGraphBuilder.ENTIRE);
        }
        for (Layer l : graph.layers()) {
            if (plan.typeOf(l.name()).isQuantized()) {
                expected.add(l.output() + QuantGraphBuilder.INDIVIDUAL);
            }
        }
        List<String> outputs = new ArrayList<>();
        Set<String> floatNodes = new HashSet<>();
        graph.model().graph().getNodeList().forEach(n -> floatNodes.add(n.getName()));
        Set<String> fedFloats = new HashSet<>();
        for (ModelProto p : parts) {
            p.getGraph().getOutputList().forEach(o -> outputs.add(o.getName()));
            for (NodeProto n : p.getGraph().getNodeList()) {
                assertTrue(!floatNodes.contains(n.getName()), "the float network stays out of the parts: " + n.getName());
            }
            for (ValueInfoProto in : p.getGraph().getInputList()) {
                if (floatShapes.containsKey(in.getName())) {
                    fedFloats.add(in.getName());
                }
            }
        }
        assertEquals(expected, outputs);
        // every quantized layer's individual copy reads its float inputs from the float session
        assertTrue(fedFloats.containsAll(List.of("r1", "c4", "r6")), fedFloats.toString());
        assertEquals(1, QuantGraphBuilder.analysisParts(graph, plan, floatShapes, 1).size());
    }
}
