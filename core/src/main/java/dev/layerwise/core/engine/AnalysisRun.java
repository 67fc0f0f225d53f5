package dev.layerwise.core.engine;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.runtime.Labels;
import java.util.Map;

/**
 * One finished analysis, as the command line and the workbench both receive it. Built only by
 * {@link AnalysisSession#analyse}; what a run produces (per-layer reports, final-output metrics,
 * top-5) lives in {@link AnalysisResult}, so adding to it is one change in {@code Analyzer} and
 * one in {@code ReportWriter}, never in the callers. Immutable; may be handed to any thread, but
 * {@link #project()} is used by one worker at a time.
 *
 * @param project the opened model
 * @param calibration the ranges the plan was made from
 * @param plan the analysed plan (the normal plan, or a cfg's hybrid plan)
 * @param analysis per-layer and final-output results
 * @param inputs the analysed inputs, loadable again (e.g. for a hybrid rebuild or a device run)
 * @param labels class names, or {@code null}
 * @param floatOutputs each layer output's float values on the first input, by tensor name; empty
 *     unless asked for (the workbench's histograms)
 */
public record AnalysisRun(Project project, Calibration calibration, QuantPlan plan, AnalysisResult analysis,
        SampleSource inputs, Labels labels, Map<String, float[]> floatOutputs) {

    public AnalysisRun {
        floatOutputs = Map.copyOf(floatOutputs);
    }
}
