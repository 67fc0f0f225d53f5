package dev.layerwise.app.cli;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.LayerReport;
import dev.layerwise.core.analysis.ReportWriter;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.Labels;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code analyze}: calibrate, quantize and analyse; RKNN's {@code build} + {@code accuracy_analysis}. */
public final class AnalyzeCommand implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "analyze";
    }

    @Override
    public String summary() {
        return "calibrate, quantize and analyse a model layer by layer";
    }

    @Override
    public String usage() {
        return """
                usage: layerwise analyze [MODEL] --dataset DATASET.txt -o DIR [options]
                  MODEL                 float ONNX model (default: the bundled sample)
                  --dataset FILE        calibration list, one image or .npy per line (default for the sample: its dataset.txt)
                  --input FILE          image or .npy to analyse; repeat for several (default: the dataset's first entry)
                  --mean V,V,V          per-channel mean subtracted from 0..255 pixels (default 0)
                  --std V,V,V           per-channel divisor (default 1)
                  --reorder '0 1 2'     channel order: '0 1 2' keeps RGB, '2 1 0' feeds BGR
                  --dtype T             asymmetric_affine-u8 (default), dynamic_fixed_point-i8, dynamic_fixed_point-i16
                  --algorithm A         normal (default), kl_divergence, mmse
                  --mmse-epoch N        refinement rounds for mmse (default 3)
                  --labels FILE         class names, one per line (default: labels.txt beside the model)
                  --dump                also write every layer's float, entire and individual outputs as .npy
                  -o, --output DIR      where the reports and the quantized model go
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        Set<String> s = new HashSet<>(CommonOptions.PREPROCESS);
        s.addAll(Set.of("dataset", "input", "dtype", "algorithm", "mmse-epoch", "output"));
        return s;
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("dump");
    }

    @Override
    public int run(Args a, PrintStream out, PrintStream err) throws Exception {
        Path modelFile = CommonOptions.model(a);
        Path outDir = a.path("output");
        if (outDir == null) {
            throw new UsageException("missing -o DIR");
        }
        Path datasetFile = a.path("dataset");
        if (datasetFile == null && SampleModel.isSample(modelFile)) {
            datasetFile = modelFile.getParent().resolve("dataset.txt");
        }
        if (datasetFile == null) {
            throw new UsageException("missing --dataset");
        }
        QuantType dtype = parse(() -> QuantType.parse(a.get("dtype", QuantType.ASYMMETRIC_AFFINE_U8.configName())));
        if (dtype == QuantType.FLOAT32) {
            throw new UsageException("--dtype float32 quantizes nothing; pick " + QuantType.ASYMMETRIC_AFFINE_U8 + ", "
                    + QuantType.DYNAMIC_FIXED_POINT_I8 + " or " + QuantType.DYNAMIC_FIXED_POINT_I16);
        }
        CalibrationAlgorithm algorithm = parse(() -> CalibrationAlgorithm.parse(a.get("algorithm", "normal")));
        int mmseEpoch = a.intValue("mmse-epoch", 3);
        Preprocessing pre = CommonOptions.preprocessing(a, modelFile);
        ConsoleProgress progress = new ConsoleProgress(err);

        Project project = progress.step("loading " + modelFile, () -> Project.open(modelFile));
        pre.checkChannels(channels(project), project.graph().inputs().get(0).name());
        List<Sample> dataset = Dataset.load(datasetFile);
        List<Sample> inputs = new ArrayList<>();
        for (String f : a.all("input")) {
            inputs.add(Dataset.single(Path.of(f)));
        }
        if (inputs.isEmpty()) {
            inputs.add(dataset.get(0));
        }
        Labels labels = CommonOptions.labels(a, modelFile);
        SampleSource calib = project.samples(dataset, pre, w -> err.println("layerwise: warning: " + w));
        Calibration cal = project.calibrate(calib, algorithm, dtype, mmseEpoch, progress);
        QuantPlan plan = project.plan(cal, dtype, Map.of(), Map.of());
        SampleSource analysed = project.samples(inputs, pre, w -> err.println("layerwise: warning: " + w));
        Files.createDirectories(outDir);
        NpyDumper dumper = a.flag("dump") ? new NpyDumper(outDir.resolve("dump"), project.graph()) : null;
        AnalysisResult result = project.analyze(plan, algorithm, analysed, labels, dumper, progress);

        ReportWriter.writeAll(outDir, result);
        Path quantized = outDir.resolve(project.model().baseName() + ".quantized.onnx");
        AtomicFiles.requireNotInput(quantized, modelFile);
        AtomicFiles.write(quantized, project.quantizedModel(plan).toByteArray());

        printSummary(out, result, cal, outDir);
        return 0;
    }

    static int channels(Project p) {
        long[] s = p.graph().inputs().get(0).shape();
        if (s.length == 4) {
            return (int) (s[1] <= 4 ? s[1] : s[3]);
        }
        return 1;
    }

    static void printSummary(PrintStream out, AnalysisResult r, Calibration cal, Path outDir) {
        out.printf(Locale.ROOT, "%s: %d layers, %s, %s calibration on %d sample(s) in %d ms%n", r.model(), r.layers().size(),
                r.dtype(), r.algorithm(), cal.samples(), cal.millis());
        List<LayerReport> worst = r.layers().stream()
                .sorted((x, y) -> Double.compare(x.individual().cosine(), y.individual().cosine())).limit(5).toList();
        out.println("lowest individual cosine:");
        for (LayerReport l : worst) {
            out.printf(Locale.ROOT, "  %-28s %-18s individual %.6f  entire %.6f%n", l.name(), l.opLabel(),
                    l.individual().cosine(), l.entire().cosine());
        }
        out.printf(Locale.ROOT, "final output cosine %.6f%n", r.finalMetrics().cosine());
        if (r.floatTop5() != null) {
            out.printf(Locale.ROOT, "top-1 float [%d] %.6f, quantized [%d] %.6f%n", r.floatTop5().top1().index(),
                    r.floatTop5().top1().score(), r.quantizedTop5().top1().index(), r.quantizedTop5().top1().score());
        }
        out.printf(Locale.ROOT, "analysis: graph %d ms, session %d ms, runs %d ms%n", r.timing().buildMillis(),
                r.timing().sessionMillis(), r.timing().runMillis());
        out.println("reports written to " + outDir);
    }

    @FunctionalInterface
    interface Parser<T> {
        T parse();
    }

    static <T> T parse(Parser<T> p) throws UsageException {
        try {
            return p.parse();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
