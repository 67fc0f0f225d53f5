package dev.layerwise.app.project;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.Analyzer;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the view models ask of the core engine, as one seam: the workbench calls the engine
 * only through here, which lets a test check that none of it runs on the FX thread. Every method
 * may block for seconds; call from a worker.
 */
public interface Engine {

    Project open(Path model) throws Exception;

    List<Sample> dataset(Path datasetTxt) throws Exception;

    Sample single(Path file);

    Labels labels(Path file) throws Exception;

    SampleSource samples(Project project, List<Sample> samples, Preprocessing preprocessing, Consumer<String> warnings);

    Calibration calibrate(Project project, SampleSource samples, CalibrationAlgorithm algorithm, QuantType type,
            ProgressListener progress) throws Exception;

    QuantPlan plan(Project project, Calibration calibration, QuantType defaultType, Map<String, QuantType> overrides,
            Map<String, QuantParams> paramOverrides);

    AnalysisResult analyze(Project project, QuantPlan plan, CalibrationAlgorithm algorithm, SampleSource inputs,
            Labels labels, Analyzer.TensorSink sink, ProgressListener progress) throws Exception;

    Comparison compare(Project project, QuantPlan normal, QuantPlan hybrid, SampleSource inputs, Labels labels,
            ProgressListener progress) throws Exception;

    /** Reads an RKNN cfg against the model; {@code normal} is the plan without the cfg (see ConfigMapper). */
    dev.layerwise.core.config.ConfigMapper.Applied importConfig(Project project, Calibration calibration, QuantPlan normal, Path cfg)
            throws Exception;

    /** Writes {@code plan} as an RKNN cfg, picks under the vendor's layer names where known. */
    void exportConfig(Project project, QuantPlan plan, Map<String, String> vendorNames, Path cfg) throws Exception;

    /**
     * The fewest layers to promote to {@code promoteTo} so that the final output's cosine against
     * float reaches {@code targetCosine} on {@code inputs}, verified by real hybrid runs.
     */
    dev.layerwise.core.engine.AutoPick.Result autoPick(Project project, Calibration calibration, QuantType defaultType,
            QuantType promoteTo, SampleSource inputs, double targetCosine, ProgressListener progress) throws Exception;

    /** Writes the fake-quantized model of {@code plan} to {@code file}, never over the model itself. */
    void exportQuantized(Project project, QuantPlan plan, Path file) throws Exception;
}
