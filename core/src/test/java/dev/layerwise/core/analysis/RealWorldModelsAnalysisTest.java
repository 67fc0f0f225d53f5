package dev.layerwise.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.runtime.ModelImport;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.GraphEdits;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The models users bring, made in code: each is analysed and compared, every layer's individual
 * cosine is checked against {@link IndependentLayerRun}, every graph output gets its own final
 * metrics (top-5 only for class vectors), and the exported normal and hybrid models run in plain
 * ONNX Runtime with the outputs the analysis saw.
 */
class RealWorldModelsAnalysisTest {

    /**
     * @param classVectors which outputs are class vectors, in graph-output order
     */
    record Case(String what, OnnxModel model, InputShapes shapes, List<String> outputs, List<Boolean> classVectors) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Arguments> models() {
        return Stream.of(
                new Case("opset 7 classifier", RealWorldModels.opset7Classifier(), InputShapes.NONE, List.of("prob"), List.of(true)),
                new Case("opset 8 classifier", RealWorldModels.opset8Classifier(), InputShapes.NONE, List.of("logits"),
                        List.of(true)),
                new Case("opset 9 detector", RealWorldModels.opset9Detector(), InputShapes.NONE, List.of("conf", "loc", "score"),
                        List.of(false, false, true)),
                new Case("NHWC segmenter", RealWorldModels.nhwcSegmenter(32, 48, 5), InputShapes.NONE,
                        List.of("SemanticPredictions:0"), List.of(false)),
                new Case("3-output detector", RealWorldModels.detector(48, 64, 4), InputShapes.NONE,
                        List.of("scores", "boxes", "objectness"), List.of(false, false, false)),
                new Case("control-flow detector", RealWorldModels.controlFlowDetector(), InputShapes.NONE,
                        List.of("scores", "boxes"), List.of(false, false)),
                new Case("dynamic H/W", RealWorldModels.dynamicSizeDetector(), InputShapes.parse(List.of("x=1,3,40,56")),
                        List.of("sigmoid_0.tmp_0"), List.of(false)),
                new Case("float16 classifier", RealWorldModels.float16Classifier(), InputShapes.NONE, List.of("softmaxout_1"),
                        List.of(true))).map(Arguments::of);
    }

    private static SampleSource inputs(LayerGraph g, long seed, int n) {
        List<Map<String, FloatTensor>> feeds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LayerGraph.Input in = g.inputs().get(0);
            feeds.add(Map.of(in.name(), RealWorldModels.input(seed + i, in.shape())));
        }
        return SampleSource.of(feeds);
    }

    /** u8 calibration on four inputs of the model's own shape. */
    private static Calibration calibrate(Project p) throws Exception {
        return p.calibrate(inputs(p.graph(), 1, 4), CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void analysesComparesAndExports(Case c) throws Exception {
        Project p = Project.of(ModelImport.prepare(c.model(), c.shapes(), w -> { }));
        LayerGraph g = p.graph();
        Calibration cal = calibrate(p);
        QuantPlan normal = p.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of());
        SampleSource analysed = inputs(g, 100, 2);
        AnalysisResult r = p.analyze(normal, CalibrationAlgorithm.NORMAL, analysed, null, null, ProgressListener.NONE);

        Map<String, Double> expected = IndependentLayerRun.individualCosines(g, normal, analysed);
        for (Layer l : g.layers()) {
            assertEquals(expected.get(l.name()), r.layer(l.name()).individual().cosine(), 1e-5, c.what() + " " + l.name());
        }

        assertEquals(c.outputs(), r.outputs().stream().map(OutputMetrics::name).toList());
        for (int i = 0; i < c.outputs().size(); i++) {
            OutputMetrics o = r.outputs().get(i);
            assertEquals(c.classVectors().get(i), o.classVector(), o.name());
            if (!o.classVector()) {
                assertNull(o.floatTop5(), o.name());
            }
            assertTrue(o.maxAbsError() >= 0 && o.metrics().cosine() > 0.5, o.name() + " " + o.metrics());
        }
        OutputMetrics worst = r.outputs().stream().min(Comparator.comparingDouble(o -> o.metrics().cosine())).orElseThrow();
        assertEquals(worst.name(), r.worstOutput().name());
        assertEquals(worst.metrics().cosine(), r.finalMetrics().cosine());
        assertEquals(c.classVectors().contains(true), r.floatTop5() != null);

        // the hybrid model: the layer with the lowest individual cosine promoted to int16
        String unfriendly = r.layers().stream().min(Comparator.comparingDouble(l -> l.individual().cosine())).orElseThrow().name();
        QuantPlan hybrid = p.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(unfriendly, QuantType.DYNAMIC_FIXED_POINT_I16),
                Map.of());
        Comparison cmp = p.compare(normal, hybrid, analysed, null, ProgressListener.NONE);
        ModelResult n = cmp.model(Comparison.NORMAL);
        for (int i = 0; i < c.outputs().size(); i++) {
            // the comparison's normal model is the analysis' quantized model: the same numbers by another graph
            assertEquals(r.outputs().get(i).metrics().cosine(), n.outputs().get(i).metrics().cosine(), 1e-6, c.outputs().get(i));
            assertEquals(r.outputs().get(i).maxAbsError(), n.outputs().get(i).maxAbsError(),
                    1e-5 * Math.max(1, r.outputs().get(i).maxAbsError()), c.outputs().get(i));
        }
        assertEquals(c.classVectors().contains(true), !n.top1().isEmpty());
        assertEquals(List.of(unfriendly), cmp.promoted());

        for (QuantPlan plan : List.of(normal, hybrid)) {
            Map<String, FloatTensor> feed = analysed.load(0);
            try (OnnxSession e = OnnxSession.create(p.quantizedModel(plan).toByteArray(), "export")) {
                Map<String, FloatTensor> out = e.run(feed);
                ModelResult m = cmp.model(plan == normal ? Comparison.NORMAL : Comparison.HYBRID);
                for (String o : c.outputs()) {
                    assertEquals(FloatTensor.elementCount(g.shapeOf(o)), out.get(o).size(), o);
                }
                if (plan == normal) {
                    try (OnnxSession f = OnnxSession.create(p.model(), "float")) {
                        Map<String, FloatTensor> ref = f.run(feed);
                        for (int i = 0; i < c.outputs().size(); i++) {
                            String o = c.outputs().get(i);
                            double cos = Metrics.compare(ref.get(o).data(), out.get(o).data()).cosine();
                            // one input here, the mean of two in the comparison: close, not equal
                            assertTrue(Math.abs(cos - m.outputs().get(i).metrics().cosine()) < 0.05, o + " " + cos);
                        }
                    }
                }
            }
        }
    }

    /**
     * RKNN-Toolkit2's per-channel weights: the analysis graph with its depthwise layers written for
     * ONNX Runtime's float kernel (decision 0037) gives every output of the plain graph bit for bit.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("withDepthwiseLayers")
    void perChannelDepthwiseLayersGiveThePlainGraphsNumbers(Case c) throws Exception {
        Project p = Project.of(ModelImport.prepare(c.model(), c.shapes(), w -> { }));
        LayerGraph g = p.graph();
        QuantPlan plan = p.plan(calibrate(p), QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of(), true);
        SampleSource feeds = inputs(g, 100, 2);
        var plain = QuantGraphBuilder.analysis(g, plan, false);
        var written = QuantGraphBuilder.analysis(g, plan, true);
        long depthwise = g.layers().stream().filter(l -> "Conv".equals(l.op())
                && dev.layerwise.core.onnx.Nodes.intAttr(g.node(l.nodes().get(0)), "group", 1) > 1).count();
        long rewritten = written.getGraph().getNodeList().stream()
                .filter(n -> n.getName().startsWith(GraphEdits.NODE_INTEGER_DEPTHWISE) && n.getName().endsWith("/conv")).count();
        // each depthwise layer in the quantized network and in its individual copy
        assertTrue(depthwise > 0, c.what());
        assertEquals(2 * depthwise, rewritten, c.what());
        List<String> names = plain.getGraph().getOutputList().stream().map(o -> o.getName()).toList();
        for (int k = 0; k < feeds.size(); k++) {
            Map<String, FloatTensor> feed = feeds.load(k);
            assertSameOutputs(c.what(), names, run(plain, feed, names), run(written, feed, names));
        }
    }

    /** The real-model shapes with depthwise convolutions. */
    static Stream<Arguments> withDepthwiseLayers() {
        return models().filter(a -> {
            OnnxModel m = ((Case) a.get()[0]).model();
            return m.graph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Conv")
                    && dev.layerwise.core.onnx.Nodes.intAttr(n, "group", 1) > 1);
        });
    }

    private static Map<String, FloatTensor> run(dev.layerwise.core.onnx.proto.Onnx.ModelProto m, Map<String, FloatTensor> feed,
            List<String> names) throws Exception {
        try (OnnxSession s = OnnxSession.create(m.toByteArray(), "analysis")) {
            return s.run(feed, names);
        }
    }

    private static void assertSameOutputs(String what, List<String> names, Map<String, FloatTensor> a, Map<String, FloatTensor> b) {
        for (String o : names) {
            float[] x = a.get(o).data();
            float[] y = b.get(o).data();
            assertEquals(x.length, y.length, o);
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToIntBits(x[i]) != Float.floatToIntBits(y[i])) {
                    throw new AssertionError(what + ": " + o + "[" + i + "] " + x[i] + " plain, " + y[i] + " written");
                }
            }
        }
    }
}
