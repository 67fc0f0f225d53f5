package dev.layerwise.core.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.TensorRange;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every calibration algorithm, per tensor and per channel, through the real engine: the clipping
 * algorithms may trade a little accuracy for resolution, never the network's answer. Prints the
 * per-algorithm table (final cosine, top-1) for each model.
 */
class AlgorithmsEndToEndTest {

    /** How far below {@code normal} a clipping algorithm's final cosine may land. */
    private static final double ALLOWED_LOSS = 0.01;
    /**
     * How far a clipping algorithm's top-1 score may move from {@code normal}'s. Cosine alone is
     * blind to a clipped Softmax output: [0.0126, 0, 0, ...] points the same way as [0.9993, ...],
     * and the index stays; the score is what the user reads.
     */
    private static final double ALLOWED_SCORE_SHIFT = 0.05;

    record Outcome(double cosine, int top1, double top1Score) {
    }

    /** Final cosine and top-1 of every algorithm, per tensor ({@code [0]}) and per channel ({@code [1]}). */
    static Map<CalibrationAlgorithm, Outcome[]> measure(String model, Project project, SampleSource calibration,
            SampleSource analysed) throws Exception {
        Map<CalibrationAlgorithm, Outcome[]> out = new EnumMap<>(CalibrationAlgorithm.class);
        for (CalibrationAlgorithm a : CalibrationAlgorithm.values()) {
            Calibration cal = project.calibrate(calibration, a, QuantType.ASYMMETRIC_AFFINE_U8, 3, ProgressListener.NONE);
            Outcome[] o = new Outcome[2];
            for (int pc = 0; pc < 2; pc++) {
                QuantPlan plan = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of(), pc == 1);
                AnalysisResult r = project.analyze(plan, a, analysed, null, null, ProgressListener.NONE);
                o[pc] = new Outcome(r.finalMetrics().cosine(), r.quantizedTop5().top1().index(),
                        r.quantizedTop5().top1().score());
                System.out.printf(Locale.ROOT, "algorithms | %-22s | %-13s | %-11s | %.4f | [%d] %.4f%n", model, a.configName(),
                        pc == 1 ? "per-channel" : "per-tensor", o[pc].cosine(), o[pc].top1(), o[pc].top1Score());
            }
            out.put(a, o);
        }
        return out;
    }

    static void assertNoAlgorithmLosesTheAnswer(Map<CalibrationAlgorithm, Outcome[]> results) {
        for (int pc = 0; pc < 2; pc++) {
            Outcome normal = results.get(CalibrationAlgorithm.NORMAL)[pc];
            for (CalibrationAlgorithm a : List.of(CalibrationAlgorithm.KL_DIVERGENCE, CalibrationAlgorithm.MMSE)) {
                Outcome o = results.get(a)[pc];
                String what = a + (pc == 1 ? " per channel" : " per tensor") + ": " + o + " against normal " + normal;
                assertTrue(o.cosine() >= normal.cosine() - ALLOWED_LOSS, what);
                assertEquals(normal.top1(), o.top1(), what);
                assertEquals(normal.top1Score(), o.top1Score(), ALLOWED_SCORE_SHIFT, what);
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnTheSample {

        @Test
        void klDivergenceAndMmseKeepFinalCosineAndTop1OfNormal() throws Exception {
            Path folder = TestModels.repoRoot().resolve("sample-models/shufflenetv2_x1");
            Project project = Project.open(folder.resolve("shufflenetv2_x1.onnx"));
            Preprocessing pre = Preprocessing.parse("123.68,116.28,103.53", "57.38,57.38,57.38", "0 1 2");
            List<Sample> dataset = Dataset.load(folder.resolve("dataset.txt"));
            Map<CalibrationAlgorithm, Outcome[]> r = measure("sample", project, project.samples(dataset, pre, w -> { }),
                    project.samples(List.of(dataset.get(0)), pre, w -> { }));
            // the sample's main class (sample-maker's ShuffleNetV2Sample.MAIN_CLASS; core cannot depend on it)
            assertEquals(155, r.get(CalibrationAlgorithm.NORMAL)[0].top1());
            assertNoAlgorithmLosesTheAnswer(r);
        }
    }

    @Nested
    class OnProjectModels {

        private SampleSource inputs(int n, long seed) {
            List<Map<String, FloatTensor>> feeds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                feeds.add(Map.of("input", TestModels.smallInput(seed + i)));
            }
            return SampleSource.of(feeds);
        }

        /** Pictures from dim to bright (x0.3 to x3), so that each logit varies from image to image. */
        private List<Map<String, FloatTensor>> varied(int n, long seed) {
            List<Map<String, FloatTensor>> feeds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                FloatTensor t = TestModels.smallInput(seed + i);
                float[] d = t.data().clone();
                float gain = (float) (0.3 * Math.pow(10, (double) i / Math.max(1, n - 1)));
                for (int k = 0; k < d.length; k++) {
                    d[k] *= gain;
                }
                feeds.add(Map.of("input", new FloatTensor(t.shape(), d)));
            }
            return feeds;
        }

        @Test
        void heavyTailedLogitsKeepTheirTailAndTheAnswer() throws Exception {
            Project project = Project.of(TestModels.heavyTailedClassifier());
            List<Map<String, FloatTensor>> pictures = varied(16, 100);
            SampleSource calibration = SampleSource.of(pictures);
            SampleSource brightest = SampleSource.of(List.of(pictures.get(pictures.size() - 1)));
            Map<CalibrationAlgorithm, Outcome[]> r = measure("heavy-tailed classifier", project, calibration, brightest);
            assertNoAlgorithmLosesTheAnswer(r);

            // what makes the model a test: an entropy search let loose on the logits cuts their tail
            // off, and the answer with it
            Calibration kl = project.calibrate(calibration, CalibrationAlgorithm.KL_DIVERGENCE, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                    ProgressListener.NONE);
            TensorRange logits = kl.observed().get("logits");
            assertEquals(logits, kl.ranges().get("logits"), "the logits feed Softmax: min/max kept");
            assertTrue(kl.decisionTensors().contains("logits"), kl.decisionTensors().toString());
            TensorRange loose = RangeSearch.klDivergence(kl.histograms().get("logits"), logits);
            assertTrue(loose.max() < 0.8 * logits.max(), "unguarded KL " + loose + " against min/max " + logits);
            Map<String, TensorRange> ranges = new java.util.HashMap<>(kl.ranges());
            ranges.put("logits", loose);
            QuantPlan unguarded = project.plan(new Calibration(CalibrationAlgorithm.KL_DIVERGENCE, ranges, Map.of(), 16, 0),
                    QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of());
            AnalysisResult broken = project.analyze(unguarded, CalibrationAlgorithm.KL_DIVERGENCE, brightest, null, null,
                    ProgressListener.NONE);
            Outcome guarded = r.get(CalibrationAlgorithm.KL_DIVERGENCE)[0];
            System.out.printf(Locale.ROOT, "algorithms | %-22s | %-13s | %-11s | %.4f | [%d] %.4f%n", "heavy-tailed classifier",
                    "kl, logits clipped", "per-tensor", broken.finalMetrics().cosine(), broken.quantizedTop5().top1().index(),
                    broken.quantizedTop5().top1().score());
            assertTrue(broken.finalMetrics().cosine() < guarded.cosine() - 0.05, "unguarded " + broken.finalMetrics().cosine()
                    + " against " + guarded);
        }

        @Test
        void smallCnnKeepsFinalCosineAndTop1OfNormal() throws Exception {
            Project project = Project.of(TestModels.smallCnn());
            assertNoAlgorithmLosesTheAnswer(measure("small cnn", project, inputs(16, 0), inputs(1, 0)));
        }
    }

}
