package dev.layerwise.app.project;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.runtime.Labels;
import java.util.Map;

/**
 * One finished normal-quantization run in the workbench: the sidebar settings it used and the
 * core's {@link AnalysisRun} (the same record the command line gets). What the Layers and Compare
 * views are built from. Immutable.
 *
 * @param settings the settings the run used
 * @param run what the analysis produced
 */
public record RunResult(RunSettings settings, AnalysisRun run) {

    public Project project() {
        return run.project();
    }

    public Calibration calibration() {
        return run.calibration();
    }

    /** The analysed plan: every layer in the default type. */
    public QuantPlan normalPlan() {
        return run.plan();
    }

    public AnalysisResult analysis() {
        return run.analysis();
    }

    /** The analysed input, loadable again. */
    public SampleSource inputs() {
        return run.inputs();
    }

    /** Class names, or {@code null}. */
    public Labels labels() {
        return run.labels();
    }

    /** Each layer output's float values on the analysed input, for the histogram. */
    public Map<String, float[]> floatOutputs() {
        return run.floatOutputs();
    }
}
