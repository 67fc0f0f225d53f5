package dev.layerwise.app.engine;

import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.analysis.VendorComparison;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.engine.AnalysisSession;
import dev.layerwise.core.engine.AutoPick;
import dev.layerwise.core.engine.HybridComparison;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the view models ask of the core engine, as one seam: the workbench calls the engine
 * only through here, which lets a test check that none of it runs on the FX thread. The methods
 * are the core's use cases ({@link AnalysisSession}, {@code HybridRebuild}), the same ones the
 * command line calls. Every method may block for seconds; call from a worker.
 */
public interface Engine {

    /** Opens a model with the labels beside it, dynamic input sizes fixed by {@code shapes}. */
    AnalysisSession open(Path model, dev.layerwise.core.onnx.InputShapes shapes) throws Exception;

    List<Sample> dataset(Path datasetTxt) throws Exception;

    Sample single(Path file);

    /** Calibrates on {@code dataset}, or returns the session's cached calibration when nothing changed. */
    Calibration calibrate(AnalysisSession session, List<Sample> dataset, Preprocessing preprocessing,
            CalibrationAlgorithm algorithm, QuantType type, Consumer<String> warnings, ProgressListener progress)
            throws Exception;

    /**
     * Plans every layer in {@code type} (weights per channel when {@code perChannel}) and analyses
     * {@code input}, keeping the float layer outputs, and runs the float and normal models on it for
     * the {@link #rebuild}s of this run to compare with.
     */
    AnalysisRun analyze(AnalysisSession session, Calibration calibration, QuantType type, boolean perChannel,
            CalibrationAlgorithm algorithm, Sample input, Preprocessing preprocessing, Consumer<String> warnings,
            ProgressListener progress) throws Exception;

    /** Plans the hybrid model with {@code picks} and compares float, normal and hybrid on the run's input. */
    HybridComparison rebuild(AnalysisRun run, Map<String, QuantType> picks, Map<String, QuantParams> params,
            ProgressListener progress) throws Exception;

    /**
     * Float, normal and each named set of picks over {@code samples} (e.g. the calibration dataset)
     * with the run's model, calibration and normal plan: models built and sessions opened here, the
     * images compared as the caller advances the returned comparer (on this worker), which it closes.
     *
     * @param sets per-layer types by layer name, by the name each result will carry, in column order
     */
    dev.layerwise.core.compare.DatasetComparer compareOver(AnalysisRun run, List<Sample> samples, Preprocessing preprocessing,
            Map<String, Map<String, QuantType>> sets, Map<String, QuantParams> params) throws Exception;

    /**
     * Analyses another plan of the same run (the hybrid) on the run's inputs: each layer's entire
     * and individual cosine with that plan's types.
     */
    dev.layerwise.core.analysis.AnalysisResult analyzePlan(AnalysisRun run, QuantPlan plan, ProgressListener progress)
            throws Exception;

    /** Reads an RKNN cfg against the analysed model (its normal plan and calibration). */
    ConfigMapper.Applied importConfig(AnalysisRun run, Path cfg) throws Exception;

    /** Writes {@code plan} as an RKNN cfg in {@code toolkit}'s layout, picks under the vendor's names where known. */
    void exportConfig(Project project, QuantPlan plan, Map<String, String> vendorNames, Toolkit toolkit, Path cfg)
            throws Exception;

    /** Reads an RKNN-Toolkit2 {@code error_analysis.txt} and sets it beside the run's analysis. */
    VendorComparison vendorAnalysis(AnalysisRun run, Path file) throws Exception;

    /**
     * Writes the hand-off to RKNN-Toolkit2 into {@code dir}: {@code build_rknn.py}, the picks as a
     * Toolkit2 cfg and the dataset list, for the run's model and plan settings and {@code picks}.
     *
     * @param input the analysed image for {@code accuracy_analysis}, or null for the dataset's first
     * @return the files written, the script first
     */
    List<Path> exportRknnScript(AnalysisRun run, Path dataset, Path input, Preprocessing preprocessing,
            CalibrationAlgorithm algorithm, Map<String, QuantType> picks, Map<String, String> vendorNames, String targetPlatform,
            Path dir) throws Exception;

    /**
     * The fewest layers to promote to {@code promoteTo} so that the final output's cosine against
     * float reaches {@code targetCosine} on {@code inputs}, verified by real hybrid runs.
     */
    AutoPick.Result autoPick(Project project, Calibration calibration, QuantType defaultType, boolean perChannel,
            QuantType promoteTo, SampleSource inputs, double targetCosine, ProgressListener progress) throws Exception;

    /**
     * The fake-quantized model of {@code plan}, built once for a board run: the host runs it
     * ({@link #outputs}) and the board gets the file written from it ({@link #exportQuantized}).
     */
    ModelProto quantizedModel(Project project, QuantPlan plan);

    /**
     * The host's graph outputs of the float model ({@code quantized} null) or of a model
     * {@link #quantizedModel} built, on one input, by name in graph order, to set beside a board's
     * outputs of the same model.
     */
    Map<String, dev.layerwise.core.tensor.FloatTensor> outputs(Project project, ModelProto quantized,
            Map<String, dev.layerwise.core.tensor.FloatTensor> feeds) throws Exception;

    /** Writes a model {@link #quantizedModel} built to {@code file}, never over the model itself. */
    void exportQuantized(Project project, ModelProto quantized, Path file) throws Exception;
}
