package dev.layerwise.app.project;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.runtime.Labels;
import java.util.Map;

/**
 * One finished normal-quantization run: what the Layers and Compare views are built from.
 * Immutable once made; {@code floatOutputs} holds each layer output's float values on the
 * analysed input, for the histogram.
 *
 * @param settings the settings the run used
 * @param labels class names, or {@code null}
 */
public record RunResult(RunSettings settings, Project project, Calibration calibration, QuantPlan normalPlan,
        AnalysisResult analysis, SampleSource inputs, Labels labels, Map<String, float[]> floatOutputs) {

    public RunResult {
        floatOutputs = Map.copyOf(floatOutputs);
    }
}
