package dev.layerwise.core.engine;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.Analyzer;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.CalibrationException;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.config.ConfigException;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.preprocess.PreprocessException;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.TensorRange;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The analysis use case, shared by the command line and the workbench: one float model opened
 * with its labels, calibration (cached by what it depends on), plans, and the analysis whose
 * {@link AnalysisRun} is built here and nowhere else. Commands and view models only gather
 * settings and show what comes back.
 *
 * <p>Not thread-safe: one worker thread at a time (the workbench has one engine worker).
 */
public final class AnalysisSession {

    /** RKNN's default number of mmse refinement rounds. */
    public static final int DEFAULT_MMSE_EPOCHS = 3;

    private final Path modelFile;
    private final Project project;
    private final Labels labels;

    private CalibrationKey cachedKey;
    private Calibration cachedCalibration;

    private AnalysisSession(Path modelFile, Project project, Labels labels) {
        this.modelFile = modelFile;
        this.project = project;
        this.labels = labels;
    }

    /**
     * Loads the model and cuts it into layers (one probe run).
     *
     * @param labelsFile class names; {@code null} for {@code labels.txt} beside the model, if any
     * @throws IOException when {@code labelsFile} cannot be read
     */
    public static AnalysisSession open(Path modelFile, Path labelsFile) throws ModelLoadException, IOException {
        return open(modelFile, labelsFile, InputShapes.NONE);
    }

    /**
     * As {@link #open(Path, Path)}, with the sizes of dynamic input dimensions fixed (RKNN's
     * {@code input_size_list}); the model's float16 / opset changes are in {@code project().warnings()}.
     */
    public static AnalysisSession open(Path modelFile, Path labelsFile, InputShapes shapes) throws ModelLoadException,
            IOException {
        Project project = Project.open(modelFile, shapes);
        Labels labels = labelsFile != null ? Labels.load(labelsFile) : Labels.besideModel(modelFile);
        return new AnalysisSession(modelFile, project, labels);
    }

    public Path modelFile() {
        return modelFile;
    }

    public Project project() {
        return project;
    }

    /** Class names, or {@code null}. */
    public Labels labels() {
        return labels;
    }

    /** Refuses preprocessing whose mean, std or channel order do not fit the model's first input. */
    public void checkPreprocessing(Preprocessing preprocessing) throws PreprocessException {
        LayerGraph.Input first = project.graph().inputs().get(0);
        long[] s = first.shape();
        int channels = s.length == 4 ? (int) (s[1] <= 4 ? s[1] : s[3]) : 1;
        preprocessing.checkChannels(channels, "model input '" + first.name() + "'");
    }

    /** Samples loaded lazily with {@code preprocessing}; {@code warnings} hears about lossy conversions. */
    public SampleSource samples(List<Sample> samples, Preprocessing preprocessing, Consumer<String> warnings) {
        return project.samples(samples, preprocessing, warnings);
    }

    /**
     * Calibrates on {@code dataset}, or returns the previous calibration when nothing it depends on
     * changed (same entries, preprocessing, algorithm, type and rounds).
     */
    public Calibration calibrate(List<Sample> dataset, Preprocessing preprocessing, CalibrationAlgorithm algorithm,
            QuantType type, int mmseEpochs, Consumer<String> warnings, ProgressListener progress)
            throws CalibrationException, CancelledException {
        CalibrationKey key = new CalibrationKey(List.copyOf(dataset), preprocessing, algorithm, type, mmseEpochs);
        if (cachedCalibration != null && key.equals(cachedKey)) {
            return cachedCalibration;
        }
        cachedCalibration = null;
        Calibration c = project.calibrate(samples(dataset, preprocessing, warnings), algorithm, type, mmseEpochs, progress);
        cachedKey = key;
        cachedCalibration = c;
        return c;
    }

    private record CalibrationKey(List<Sample> dataset, Preprocessing preprocessing, CalibrationAlgorithm algorithm,
            QuantType type, int mmseEpochs) {
    }

    /**
     * The ranges a Layerwise cfg records, as a calibration without samples; {@code null} when the
     * cfg lacks a range for some quantized tensor (e.g. a vendor cfg), so the dataset must be
     * calibrated instead.
     */
    public Calibration recordedRanges(Path cfgFile, CalibrationAlgorithm algorithm) throws ConfigException {
        Map<String, TensorRange> ranges = ConfigMapper.ranges(ConfigFile.read(cfgFile), project.graph());
        return ranges.keySet().containsAll(project.graph().quantTensors())
                ? new Calibration(algorithm, ranges, Map.of(), 0, 0) : null;
    }

    /** The normal plan: every layer in {@code type}. */
    public QuantPlan normalPlan(Calibration calibration, QuantType type, boolean perChannel) {
        return project.plan(calibration, type, Map.of(), Map.of(), perChannel);
    }

    /** A cfg file applied: both plans and what became of every entry. */
    public HybridSetup applyConfig(Path cfgFile, Calibration calibration, QuantType type, boolean perChannel)
            throws ConfigException {
        return HybridSetup.load(project, cfgFile, type, calibration, perChannel);
    }

    /**
     * Analyses {@code plan} on {@code inputs}: the one place a run's result is assembled.
     *
     * @param sink also receives every input's float and quantized tensors (e.g. {@code --dump}); may be null
     * @param keepFloatOutputs keep each layer output's float values on the first input in the result
     */
    public AnalysisRun analyse(Calibration calibration, QuantPlan plan, CalibrationAlgorithm algorithm, SampleSource inputs,
            Analyzer.TensorSink sink, boolean keepFloatOutputs, ProgressListener progress) throws Exception {
        Map<String, float[]> floats = new HashMap<>();
        Analyzer.TensorSink all = sink;
        if (keepFloatOutputs) {
            Set<String> wanted = new HashSet<>();
            for (Layer l : project.graph().layers()) {
                wanted.add(l.output());
            }
            all = (i, outputs) -> {
                if (i == 0) {
                    for (Map.Entry<String, FloatTensor> e : outputs.entrySet()) {
                        if (wanted.contains(e.getKey())) {
                            floats.put(e.getKey(), e.getValue().data());
                        }
                    }
                }
                if (sink != null) {
                    sink.accept(i, outputs);
                }
            };
        }
        AnalysisResult result = project.analyze(plan, algorithm, inputs, labels, all, progress);
        return new AnalysisRun(project, calibration, plan, result, inputs, labels, floats);
    }
}
