package dev.layerwise.app.cli;

import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.preprocess.InputLoader;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.Classification;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code run}: top-k of one model on one input, printed like the vendor's demos. */
public final class RunCommand implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "top-k of one model (float, or a quantized export) on one input";
    }

    @Override
    public String usage() {
        return """
                usage: layerwise run [MODEL] --input IMAGE [options]
                  MODEL                 float ONNX model (default: the bundled sample)
                  --input FILE          image (.jpg .png .bmp) or .npy; one per model input, in input order
                  --quantized FILE      run this quantized export of MODEL instead (e.g. from analyze -o)
                  --top K               how many classes to print (default 5)
                  --mean, --std, --reorder   preprocessing, as for analyze
                  --labels FILE         class names (default: labels.txt beside MODEL)
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        Set<String> s = new HashSet<>(CommonOptions.PREPROCESS);
        s.addAll(Set.of("input", "quantized", "top"));
        return s;
    }

    @Override
    public int run(Args a, PrintStream out, PrintStream err) throws Exception {
        Path modelFile = CommonOptions.model(a);
        List<String> inputs = a.all("input");
        if (inputs.isEmpty()) {
            if (!SampleModel.isSample(modelFile)) {
                throw new UsageException("missing --input");
            }
            inputs = List.of(modelFile.getParent().resolve("dog_224x224.png").toString());
        }
        int top = a.intValue("top", 5, 1, Integer.MAX_VALUE);
        Preprocessing pre = CommonOptions.preprocessing(a, modelFile);
        Labels labels = CommonOptions.labels(a, modelFile);
        Path runFile = a.path("quantized") != null ? a.path("quantized") : modelFile;
        OnnxModel model = OnnxModel.load(runFile);
        // a float16 model runs as the float32 graph the analysis uses, and its outputs are read like any other
        dev.layerwise.core.onnx.Float16Import.Result half = dev.layerwise.core.onnx.Float16Import.toFloat32(model.proto());
        if (half.converted() > 0) {
            model = new OnnxModel(half.model(), model.source());
            err.println("layerwise: warning: " + runFile + ": float16 model run as float32");
        }
        try (OnnxSession session = OnnxSession.create(model, runFile.toString())) {
            Map<String, long[]> shapes = session.inputShapes();
            if (shapes.size() != inputs.size()) {
                throw new UsageException(runFile + " has " + shapes.size() + " input(s) " + shapes.keySet() + " but "
                        + inputs.size() + " --input given");
            }
            Map<String, FloatTensor> feeds = new LinkedHashMap<>();
            RepeatedWarnings warnings = new RepeatedWarnings(err);
            int k = 0;
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                feeds.put(e.getKey(), InputLoader.load(Path.of(inputs.get(k++)), e.getValue(), e.getKey(), pre,
                        warnings));
            }
            Map<String, FloatTensor> result = session.run(feeds);
            out.println(runFile.getFileName() + " on " + String.join(" ", inputs));
            // top-k only for class vectors; a box map or a mask gets its shape and value range instead
            for (Map.Entry<String, FloatTensor> e : result.entrySet()) {
                FloatTensor t = e.getValue();
                if (result.size() > 1) {
                    out.println("output " + e.getKey() + " " + t.shapeText());
                }
                if (Classification.isClassVector(t.shape())) {
                    out.print(TopK.of(t.data(), top, labels).format());
                } else {
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (float v : t.data()) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                    out.printf(java.util.Locale.ROOT, "%s %s: top-%d %s, values %.6g .. %.6g%n", e.getKey(), t.shapeText(), top,
                            dev.layerwise.core.analysis.ReportWriter.NOT_A_CLASS_VECTOR, min, max);
                }
            }
        }
        return 0;
    }
}
