package dev.layerwise.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.LayerReport;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed sample tells RKNN-Toolkit's accuracy-analysis story through the real engine:
 * normal u8 calibration on {@code dataset.txt}, analysis and comparison on the dog picture, as the
 * CLI's {@code analyze} does by default.
 */
class SampleStoryTest {

    /** The sample's documented preprocessing (the app's {@code SampleModel.PREPROCESSING}). */
    private static final Preprocessing PREPROCESSING =
            Preprocessing.parse("123.68,116.28,103.53", "57.38,57.38,57.38", "0 1 2");

    private static final double UNFRIENDLY = 0.99;

    static AnalysisResult analysis;
    static Comparison comparison;
    static Project project;
    static Calibration calibration;
    static dev.layerwise.core.calibration.SampleSource mainInput;

    @BeforeAll
    static void analyseTheCommittedSample() throws Exception {
        Path folder = repoRoot().resolve("sample-models/shufflenetv2_x1");
        project = Project.open(folder.resolve(ShuffleNetV2Sample.MODEL_FILE));
        List<Sample> dataset = Dataset.load(folder.resolve(ShuffleNetV2Sample.DATASET_FILE));
        assertEquals(ShuffleNetV2Sample.MAIN_IMAGE, dataset.get(0).files().get(0).getFileName().toString());
        calibration = project.calibrate(project.samples(dataset, PREPROCESSING, w -> { }), CalibrationAlgorithm.NORMAL,
                QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
        Calibration cal = calibration;
        QuantPlan normal = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of());
        Map<String, QuantType> picks = new LinkedHashMap<>();
        ShuffleNetV2Sample.PLANTED_LAYERS.forEach(l -> picks.put(l, QuantType.DYNAMIC_FIXED_POINT_I16));
        QuantPlan hybrid = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, picks, Map.of());
        var main = project.samples(List.of(dataset.get(0)), PREPROCESSING, w -> { });
        mainInput = main;
        analysis = project.analyze(normal, CalibrationAlgorithm.NORMAL, main, null, null, ProgressListener.NONE);
        comparison = project.compare(normal, hybrid, main, null, ProgressListener.NONE);
    }

    @Test
    void plantedLayersHaveTheLowestIndividualCosinesAllBelowTheThreshold() {
        List<LayerReport> sorted = new ArrayList<>(analysis.layers());
        sorted.sort(Comparator.comparingDouble(l -> l.individual().cosine()));
        String report = lowest(sorted, 6);
        List<String> lowestThree = sorted.subList(0, 3).stream().map(LayerReport::name).sorted().toList();
        assertEquals(ShuffleNetV2Sample.PLANTED_LAYERS.stream().sorted().toList(), lowestThree, report);
        for (String planted : ShuffleNetV2Sample.PLANTED_LAYERS) {
            assertTrue(analysis.layer(planted).individual().cosine() < UNFRIENDLY, report);
        }
    }

    @Test
    void everyOtherLayerIsQuantizationFriendly() {
        for (LayerReport l : analysis.layers()) {
            if (!ShuffleNetV2Sample.PLANTED_LAYERS.contains(l.name())) {
                assertTrue(l.individual().cosine() >= UNFRIENDLY,
                        l.name() + " individual cosine " + l.individual().cosine());
            }
        }
    }

    @Test
    void normalU8LowersTheTop1ScoreAndHybridWinsMostOfItBack() {
        double fp = top1(comparison, "float");
        double u8 = top1(comparison, "normal");
        double hybrid = top1(comparison, "hybrid");
        String figures = String.format(Locale.ROOT, "top-1 float %.4f, u8 %.4f, hybrid %.4f", fp, u8, hybrid);
        System.out.println(figures);
        assertTrue(fp >= 0.6 && fp <= 0.99, figures);
        assertTrue(u8 < fp - 0.03, "u8 drops by several points: " + figures);
        assertTrue(Math.abs(fp - hybrid) < Math.abs(fp - u8) / 2, "hybrid wins back most of the drop: " + figures);
        for (String m : List.of("float", "normal", "hybrid")) {
            assertEquals(ShuffleNetV2Sample.MAIN_CLASS, comparison.model(m).top5().top1().index(), m + " still says Shih-Tzu");
        }
    }

    @Test
    void analysisAndComparisonAgreeOnTheNormalModel() {
        assertEquals(analysis.quantizedTop5().top1().score(), top1(comparison, "normal"), 1e-4);
        assertEquals(analysis.floatTop5().top1().score(), top1(comparison, "float"), 1e-6);
    }

    private static double top1(Comparison c, String model) {
        return c.model(model).top5().top1().score();
    }

    private static String lowest(List<LayerReport> sorted, int n) {
        StringBuilder sb = new StringBuilder("lowest individual cosines:");
        for (LayerReport l : sorted.subList(0, n)) {
            sb.append(String.format(Locale.ROOT, " %s %.6f", l.name(), l.individual().cosine()));
        }
        return sb.toString();
    }

    private static Path repoRoot() {
        return dev.layerwise.core.TestModels.repoRoot();
    }

    @Test
    void autoPickReachesItsTargetWithPlantedLayersOnly() throws Exception {
        var target = new dev.layerwise.core.engine.AutoPick.Target(dev.layerwise.core.engine.AutoPick.Target.Kind.COSINE, 0.99);
        var r = new dev.layerwise.core.engine.AutoPick(project, calibration, QuantType.ASYMMETRIC_AFFINE_U8,
                QuantType.DYNAMIC_FIXED_POINT_I16, false).run(mainInput, target, ProgressListener.NONE);
        assertTrue(r.reached(), "reached " + r.metric());
        assertTrue(r.metric() >= 0.99 && r.normalMetric() < 0.99, r.metric() + " from " + r.normalMetric());
        assertTrue(!r.layers().isEmpty() && ShuffleNetV2Sample.PLANTED_LAYERS.containsAll(r.layers()), r.layers().toString());
        assertTrue(r.macShare() < 0.10, "cost " + r.macShare());
    }
}
