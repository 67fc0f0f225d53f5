package dev.layerwise.core.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.analysis.OutputMetrics;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The dataset-wide comparison against a computation done here: every model (float, the normal
 * and two hybrid fake-quantized models) runs in its own plain ONNX Runtime session per input, and
 * the test computes each output's cosine, its mean and minimum, the worst input and top-1
 * agreement itself.
 */
class DatasetComparerTest {

    private static final QuantType U8 = QuantType.ASYMMETRIC_AFFINE_U8;
    private static final QuantType I8 = QuantType.DYNAMIC_FIXED_POINT_I8;

    /** A model, its inputs and the plans to compare. */
    private record Setup(Project project, SampleSource inputs, QuantPlan normal, Map<String, QuantPlan> hybrids) {
    }

    private static Setup setup(OnnxModel model, int count, QuantType type, LongFunction<FloatTensor> input, String inputName,
            List<List<String>> picks) throws Exception {
        Project project = Project.of(model);
        List<Map<String, FloatTensor>> feeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            feeds.add(Map.of(inputName, input.apply(i * 7L + 1)));
        }
        SampleSource inputs = SampleSource.of(feeds);
        Calibration cal = project.calibrate(inputs, CalibrationAlgorithm.NORMAL, type, 0, ProgressListener.NONE);
        QuantPlan normal = project.plan(cal, type, Map.of(), Map.of());
        Map<String, QuantPlan> hybrids = new LinkedHashMap<>();
        for (List<String> layers : picks) {
            Map<String, QuantType> types = new LinkedHashMap<>();
            layers.forEach(l -> types.put(l, QuantType.DYNAMIC_FIXED_POINT_I16));
            hybrids.put(layers.size() + " x i16", project.plan(cal, type, types, Map.of()));
        }
        return new Setup(project, inputs, normal, hybrids);
    }

    /** Every final output of {@code modelBytes} on every input, from a plain ORT session opened here. */
    private static List<Map<String, float[]>> plainRuns(byte[] modelBytes, SampleSource inputs, List<String> outputs)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<Map<String, float[]>> all = new ArrayList<>();
        try (OrtSession s = env.createSession(modelBytes, new OrtSession.SessionOptions())) {
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, OnnxTensor> feeds = new HashMap<>();
                for (Map.Entry<String, FloatTensor> e : inputs.load(i).entrySet()) {
                    feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().data()), e.getValue().shape()));
                }
                try (OrtSession.Result r = s.run(feeds)) {
                    Map<String, float[]> out = new LinkedHashMap<>();
                    for (String o : outputs) {
                        FloatBuffer b = ((OnnxTensor) r.get(o).orElseThrow()).getFloatBuffer();
                        float[] v = new float[b.remaining()];
                        b.get(v);
                        out.put(o, v);
                    }
                    all.add(out);
                } finally {
                    feeds.values().forEach(OnnxTensor::close);
                }
            }
        }
        return all;
    }

    private static List<String> names(Comparison c) {
        return c.models().stream().map(ModelResult::name).toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return aa == 0 && bb == 0 ? 1 : aa == 0 || bb == 0 ? 0 : dot / Math.sqrt(aa * bb);
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Checks one model's result, output by output, against the plain runs. */
    private static void assertMatches(ModelResult r, List<Map<String, float[]>> floats, List<Map<String, float[]>> model,
            String classOutput) {
        double lowest = Double.POSITIVE_INFINITY;
        int lowestInput = -1;
        for (OutputMetrics o : r.outputs()) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            int worst = -1;
            for (int i = 0; i < floats.size(); i++) {
                double c = cosine(floats.get(i).get(o.name()), model.get(i).get(o.name()));
                sum += c;
                if (c < min) {
                    min = c;
                    worst = i;
                }
            }
            String what = r.name() + " " + o.name();
            assertEquals(sum / floats.size(), o.metrics().cosine(), 1e-6, what + " mean cosine");
            assertEquals(min, o.minCosine(), 1e-6, what + " min cosine");
            if (!r.name().equals(Comparison.FLOAT)) {
                // float against itself is 1 on every input up to rounding: no input is worse there
                assertEquals(worst, o.worstInput(), what + " worst input");
            }
            if (min < lowest) {
                lowest = min;
                lowestInput = worst;
            }
        }
        assertEquals(lowest, r.minCosine(), 1e-6, r.name() + " lowest output on one input");
        if (!r.name().equals(Comparison.FLOAT)) {
            assertEquals(lowestInput, r.worstInput(), r.name() + " worst input of all outputs");
        }
        if (classOutput == null) {
            assertTrue(Double.isNaN(r.top1Agreement()), r.name());
            return;
        }
        int agree = 0;
        for (int i = 0; i < floats.size(); i++) {
            int t = argmax(model.get(i).get(classOutput));
            assertEquals(t, r.top1().get(i), r.name() + " top-1 on input " + i);
            agree += t == argmax(floats.get(i).get(classOutput)) ? 1 : 0;
        }
        assertEquals((double) agree / floats.size(), r.top1Agreement(), 1e-12, r.name() + " top-1 agreement");
    }

    private static void assertWholeDatasetMatchesPlainRuns(Setup s, String classOutput) throws Exception {
        List<String> outs = s.project().graph().finalOutputs();
        Comparison c;
        try (DatasetComparer dc = DatasetComparer.open(s.project().graph(), s.normal(), s.hybrids(), s.inputs(), null)) {
            // in steps, as the workbench does it between other work
            while (!dc.finished()) {
                dc.advance(3, ProgressListener.NONE);
            }
            c = dc.result();
        }
        List<String> names = new ArrayList<>(List.of(Comparison.FLOAT, Comparison.NORMAL));
        names.addAll(s.hybrids().keySet());
        assertEquals(names, names(c));
        assertEquals(s.inputs().size(), c.inputs().size());
        List<Map<String, float[]>> floats = plainRuns(s.project().model().toBytes(), s.inputs(), outs);
        assertMatches(c.model(Comparison.FLOAT), floats, floats, classOutput);
        assertEquals(1.0, c.model(Comparison.FLOAT).minCosine(), 1e-6);
        assertMatches(c.model(Comparison.NORMAL), floats,
                plainRuns(s.project().quantizedModel(s.normal()).toByteArray(), s.inputs(), outs), classOutput);
        for (Map.Entry<String, QuantPlan> h : s.hybrids().entrySet()) {
            assertMatches(c.model(h.getKey()), floats,
                    plainRuns(s.project().quantizedModel(h.getValue()).toByteArray(), s.inputs(), outs), classOutput);
        }
    }

    @Test
    void aClassifiersDatasetComparisonMatchesEveryModelRunOnItsOwn() throws Exception {
        // i8 on a small net: some inputs change class, so agreement and the worst input are not trivially 100 % / 0
        Setup s = setup(TestModels.smallCnn(), 10, I8, TestModels::smallInput, "input",
                List.of(List.of("Conv_8", "Gemm_12"), List.of("Conv_0")));
        assertWholeDatasetMatchesPlainRuns(s, "output");
    }

    @Test
    void aThreeOutputDetectorIsJudgedOutputByOutputOverTheDataset() throws Exception {
        Setup s = setup(RealWorldModels.detector(48, 64, 4), 5, U8, seed -> RealWorldModels.input(seed, 1, 3, 48, 64), "images",
                List.of(List.of("head/cls", "head/box")));
        assertWholeDatasetMatchesPlainRuns(s, null);
    }

    @Test
    void anNhwcSegmentersDatasetComparisonMatchesPlainRuns() throws Exception {
        Setup s = setup(RealWorldModels.nhwcSegmenter(32, 48, 5), 4, U8, seed -> RealWorldModels.input(seed, 1, 32, 48, 3),
                "ImageTensor:0", List.of(List.of("decoder/logits")));
        assertWholeDatasetMatchesPlainRuns(s, null);
    }

    @Test
    void stepsReportProgressAndStopWhenCancelled() throws Exception {
        Setup s = setup(TestModels.smallCnn(), 6, U8, TestModels::smallInput, "input", List.of(List.of("Conv_0")));
        List<String> ticks = new ArrayList<>();
        try (DatasetComparer dc = DatasetComparer.open(s.project().graph(), s.normal(), s.hybrids(), s.inputs(), null)) {
            dc.advance(2, (step, done, total) -> ticks.add(step + " " + done + "/" + total));
            assertEquals(List.of("comparing 0/6", "comparing 1/6", "comparing 2/6"), ticks);
            assertEquals(2, dc.done());
            assertEquals(2, dc.result().inputs().size(), "a result after any step covers the inputs so far");
            ProgressListener cancelAfterOne = new ProgressListener() {
                private int calls;

                @Override
                public void progress(String step, int done, int total) {
                    calls++;
                }

                @Override
                public boolean isCancelled() {
                    return calls >= 1;
                }
            };
            assertThrows(CancelledException.class, () -> dc.advance(4, cancelAfterOne));
            assertEquals(2, dc.done(), "the input in progress when cancel came does not count");
            assertEquals(2, dc.result().model(Comparison.NORMAL).top1().size(), "nor is it half counted");
            dc.advance(4, ProgressListener.NONE);
            assertTrue(dc.finished(), "a cancelled comparison may go on");
        }
    }

    @Test
    void aStreamedComparisonEqualsOneFromKeptOutputs() throws Exception {
        // the command line streams; a tick in the workbench reuses kept float and normal outputs: same numbers
        Setup s = setup(TestModels.smallCnn(), 4, U8, TestModels::smallInput, "input", List.of(List.of("Conv_2")));
        QuantPlan hybrid = s.hybrids().values().iterator().next();
        Comparison streamed = Comparer.compare(s.project().graph(), s.normal(), hybrid, s.inputs(), null, ProgressListener.NONE);
        Comparison kept = Comparer.compare(s.project().graph(), Comparer.reference(s.project().graph(), s.normal(), s.inputs(),
                ProgressListener.NONE), hybrid, null, ProgressListener.NONE);
        assertEquals(names(kept), names(streamed));
        for (ModelResult k : kept.models()) {
            ModelResult m = streamed.model(k.name());
            assertEquals(k.vsFloat(), m.vsFloat(), k.name());
            assertEquals(k.minCosine(), m.minCosine(), k.name());
            assertEquals(k.worstInput(), m.worstInput(), k.name());
            assertEquals(k.top1(), m.top1(), k.name());
        }
    }
}
