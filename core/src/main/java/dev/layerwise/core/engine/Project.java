package dev.layerwise.core.engine;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.Analyzer;
import dev.layerwise.core.analysis.FloatLayers;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.CalibrationException;
import dev.layerwise.core.calibration.Calibrator;
import dev.layerwise.core.calibration.KeptSession;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparer;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.WeightQuantizer;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.ModelImport;
import dev.layerwise.core.runtime.ShapeProbe;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The engine's entry point for one float model: calibrate, plan quantization, analyse, export.
 * Holds the model, its layers and a cache of quantized weights. Methods that plan or compare
 * (they fill the weight cache and keep the last float and normal outputs) are called from one
 * worker thread at a time; {@link #analyze} only reads the graph and the given plan, so it may run
 * on another thread beside them (the workbench measures a hybrid's layers on a lane of its own).
 * Results are immutable and may be handed to other threads.
 */
public final class Project {

    private final OnnxModel model;
    private final LayerGraph graph;
    private final List<String> warnings;
    private final WeightQuantizer weights = new WeightQuantizer();
    /** The float and normal outputs of the last comparison; see {@link #compare}. */
    private Comparer.Reference lastReference;
    /** The analysis's float network, shared by every plan; released when the project is unreachable. */
    private final FloatLayers floatLayers;
    /** The last calibration's session, for the next calibration; released when the project is unreachable. */
    private final KeptSession calibrationSession = new KeptSession();

    /** Closes the float networks of projects nobody holds any more (the workbench drops one per model opened). */
    private static final java.lang.ref.Cleaner RELEASE = java.lang.ref.Cleaner.create(
            dev.layerwise.core.task.DaemonThreads.named("layerwise-release-float-layers"));

    private Project(OnnxModel model, LayerGraph graph, List<String> warnings) {
        this.model = model;
        this.graph = graph;
        this.warnings = List.copyOf(warnings);
        this.floatLayers = new FloatLayers(graph);
        RELEASE.register(this, floatLayers::close);
        RELEASE.register(this, calibrationSession::close);
    }

    /** Loads a model and cuts it into layers (one ORT probe of types and shapes); see {@link #open(Path, InputShapes)}. */
    public static Project open(Path modelFile) throws ModelLoadException {
        return open(modelFile, InputShapes.NONE);
    }

    /**
     * Loads a model through {@link ModelImport} (float16 to float32, input sizes fixed, opset
     * raised) and cuts it into layers. What the import changed is in {@link #warnings()}.
     */
    public static Project open(Path modelFile, InputShapes shapes) throws ModelLoadException {
        List<String> warnings = new java.util.ArrayList<>();
        OnnxModel m = ModelImport.open(modelFile, shapes, warnings::add);
        return new Project(m, ShapeProbe.layerGraph(m), warnings);
    }

    /** A model built in memory, prepared like a file's (warnings kept in {@link #warnings()}). */
    public static Project of(OnnxModel model) throws ModelLoadException {
        List<String> warnings = new java.util.ArrayList<>();
        OnnxModel m = ModelImport.prepare(model, InputShapes.NONE, warnings::add);
        return new Project(m, ShapeProbe.layerGraph(m), warnings);
    }

    /** One line per change the import made to the user's numbers (float16 read as float32); empty for most models. */
    public List<String> warnings() {
        return warnings;
    }

    public OnnxModel model() {
        return model;
    }

    public LayerGraph graph() {
        return graph;
    }

    /** Samples from a dataset (or single files), loaded lazily with the given preprocessing. */
    public SampleSource samples(List<Sample> samples, Preprocessing preprocessing, Consumer<String> warnings) {
        return new DatasetSource(graph, samples, preprocessing, warnings);
    }

    /**
     * Calibrates ({@link Calibrator}); the calibration session is kept for the next calibration of
     * this project that needs the same kind of session (decision 0031).
     */
    public Calibration calibrate(SampleSource samples, CalibrationAlgorithm algorithm, QuantType type, int mmseEpochs,
            ProgressListener progress) throws CalibrationException, CancelledException {
        return calibrate(samples, algorithm, type, mmseEpochs, false, progress);
    }

    /** As above, keeping every tensor's histogram in the result when {@code keepHistograms}. */
    public Calibration calibrate(SampleSource samples, CalibrationAlgorithm algorithm, QuantType type, int mmseEpochs,
            boolean keepHistograms, ProgressListener progress) throws CalibrationException, CancelledException {
        return Calibrator.calibrate(graph, samples, algorithm, type, mmseEpochs, keepHistograms, calibrationSession, progress);
    }

    /**
     * Closes the calibration session kept for the next calibration, for a caller that will not
     * calibrate this project again: kept beside the analysis's sessions it would add its weights and
     * the memory of its last runs to the analysis's peak (45 MB more for {@code analyze} on the sample; a session given back later is closed).
     */
    public void releaseCalibrationSession() {
        calibrationSession.close();
    }

    /**
     * A quantization plan.
     *
     * @param overrides per-layer types by layer name (hybrid picks)
     * @param paramOverrides hand-set tensor parameters (from an edited cfg), by tensor name
     */
    public QuantPlan plan(Calibration calibration, QuantType defaultType, Map<String, QuantType> overrides,
            Map<String, QuantParams> paramOverrides) {
        return QuantPlan.create(graph, defaultType, overrides, calibration.ranges(), paramOverrides, weights);
    }

    /** As {@link #plan(Calibration, QuantType, Map, Map)}, weights per output channel when {@code perChannel}. */
    public QuantPlan plan(Calibration calibration, QuantType defaultType, Map<String, QuantType> overrides,
            Map<String, QuantParams> paramOverrides, boolean perChannel) {
        return QuantPlan.create(graph, defaultType, overrides, calibration.ranges(), paramOverrides, weights, perChannel);
    }

    /**
     * Entire and individual analysis of {@code plan} ({@link Analyzer}); the float network's
     * session is kept for the next analysis of this project, whatever its plan.
     */
    public AnalysisResult analyze(QuantPlan plan, CalibrationAlgorithm algorithm, SampleSource inputs, Labels labels,
            Analyzer.TensorSink sink, ProgressListener progress) throws Exception {
        try {
            return Analyzer.analyze(graph, floatLayers, plan, algorithm, inputs, labels, sink, progress);
        } finally {
            // the cleaner closes the float session once this project is unreachable, and a caller
            // holding only the result would let that happen mid-run: ORT would free the session's
            // memory under the run
            java.lang.ref.Reference.reachabilityFence(this);
        }
    }

    /**
     * Float, normal and hybrid top-5 side by side on the given inputs. The float and normal
     * outputs are kept for the last normal plan and inputs (the same objects), so the hybrid
     * rebuilds of one analysis run only the hybrid model. A cancel takes effect once those are
     * computed (one session, one run per input), never halfway through them.
     */
    public Comparison compare(QuantPlan normal, QuantPlan hybrid, SampleSource inputs, Labels labels,
            ProgressListener progress) throws Exception {
        prepareComparison(normal, inputs, progress);
        return Comparer.compare(graph, lastReference, hybrid, labels, progress);
    }

    /**
     * Runs the float and normal models on {@code inputs} now, unless already done for these (the
     * same objects): what every {@link #compare} of this normal plan compares with. The workbench
     * has a run do it, so that the table it shows and the first tick after it do not wait for it.
     * Finished even when the caller cancels meanwhile (one session, one run per input); a cancel
     * takes effect after it.
     */
    public void prepareComparison(QuantPlan normal, SampleSource inputs, ProgressListener progress) throws Exception {
        if (lastReference == null || !lastReference.isFor(normal, inputs)) {
            // the float and normal outputs serve every later rebuild of this plan, and the workbench cancels a
            // rebuild for each newer tick: the first tick after a run would otherwise throw away the reference
            // half made and start it again
            ProgressListener reportOnly = progress::progress;
            lastReference = Comparer.reference(graph, normal, inputs, reportOnly);
        }
        progress.checkCancelled();
    }

    /** The fake-quantized model for {@code plan}, runnable in any ONNX Runtime. */
    public ModelProto quantizedModel(QuantPlan plan) {
        return QuantGraphBuilder.fakeQuantized(graph, plan);
    }

    /**
     * The graph outputs of the float model ({@code quantized} null) or of a fake-quantized model
     * {@link #quantizedModel} built, on one input, by name in graph order: the host's side when
     * another runtime (a board) ran the same model, so that one build serves both the host's run
     * and the file written for the board. Opens a session for the call; blocks for the inference.
     */
    public java.util.Map<String, dev.layerwise.core.tensor.FloatTensor> outputs(ModelProto quantized,
            java.util.Map<String, dev.layerwise.core.tensor.FloatTensor> feeds) throws ModelLoadException,
            dev.layerwise.core.runtime.InferenceException {
        OnnxModel m = quantized == null ? model : OnnxModel.of(quantized);
        try (dev.layerwise.core.runtime.OnnxSession s = dev.layerwise.core.runtime.OnnxSession.create(m,
                quantized == null ? "float model" : "quantized model")) {
            return s.run(feeds);
        }
    }
}
