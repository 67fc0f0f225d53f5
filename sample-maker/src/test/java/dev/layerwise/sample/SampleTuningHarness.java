package dev.layerwise.sample;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.LayerReport;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: a tool for choosing {@link ShuffleNetV2Sample.Tuning#DEFAULT}. Generates the sample
 * in memory with the tuning given on the command line and tells the story the real engine sees
 * (individual cosines, float / u8 / hybrid top-1 on the main picture), without writing any files.
 *
 * <p>{@code SampleTuningHarness SAMPLE_FOLDER [seed outliers mainTop1 gap spread]}, outliers as
 * {@code a,b,c}; no tuning arguments means the default.
 */
public final class SampleTuningHarness {

    private SampleTuningHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        ShuffleNetV2Sample.Tuning d = ShuffleNetV2Sample.Tuning.DEFAULT;
        ShuffleNetV2Sample.Tuning t = d;
        if (args.length > 1) {
            List<Double> outliers = new ArrayList<>();
            for (String s : args[2].split(",")) {
                outliers.add(Double.parseDouble(s));
            }
            t = new ShuffleNetV2Sample.Tuning(Long.parseLong(args[1]), outliers, Double.parseDouble(args[3]),
                    Double.parseDouble(args[4]), d.otherTop1(), Double.parseDouble(args[5]));
        }
        long t0 = System.nanoTime();
        ShuffleNetV2Sample.Generated g = ShuffleNetV2Sample.generate(t);
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "%s (generated in %d ms)%n", t, (t1 - t0) / 1_000_000);
        System.out.print(story(Project.of(OnnxModel.of(g.model())), folder));
    }

    /** The figures the README and {@code SampleStoryTest} care about, as text. */
    static String story(Project project, Path folder) throws Exception {
        Preprocessing pre = Preprocessing.parse("123.68,116.28,103.53", "57.38,57.38,57.38", "0 1 2");
        List<Sample> dataset = Dataset.load(folder.resolve(ShuffleNetV2Sample.DATASET_FILE));
        SampleSource calib = project.samples(dataset, pre, w -> { });
        Calibration cal = project.calibrate(calib, CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
        QuantPlan normal = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of());
        Map<String, QuantType> picks = new HashMap<>();
        for (String l : ShuffleNetV2Sample.PLANTED_LAYERS) {
            picks.put(l, QuantType.DYNAMIC_FIXED_POINT_I16);
        }
        QuantPlan hybrid = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, picks, Map.of());
        SampleSource main = project.samples(List.of(dataset.get(0)), pre, w -> { });
        AnalysisResult r = project.analyze(normal, CalibrationAlgorithm.NORMAL, main, null, null, ProgressListener.NONE);
        Comparison c = project.compare(normal, hybrid, main, null, ProgressListener.NONE);

        StringBuilder sb = new StringBuilder();
        List<LayerReport> sorted = new ArrayList<>(r.layers());
        sorted.sort(Comparator.comparingDouble(l -> l.individual().cosine()));
        for (LayerReport l : sorted.subList(0, 6)) {
            sb.append(String.format(Locale.ROOT, "  %-12s individual %.6f  entire %.6f%n", l.name(),
                    l.individual().cosine(), l.entire().cosine()));
        }
        for (ModelResult m : c.models()) {
            sb.append(String.format(Locale.ROOT, "  %-7s top-1 [%d] %.4f  second [%d] %.4f  cosine vs float %.4f%n", m.name(),
                    m.top5().top1().index(), m.top5().top1().score(), m.top5().entries().get(1).index(),
                    m.top5().entries().get(1).score(), m.vsFloat().cosine()));
        }
        return sb.toString();
    }
}
