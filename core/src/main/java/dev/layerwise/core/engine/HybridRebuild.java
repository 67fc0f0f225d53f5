package dev.layerwise.core.engine;

import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.task.ProgressListener;
import java.util.Map;

/**
 * The hybrid use case: plan the hybrid model from per-layer picks and compare it with the float
 * and normal models in one call. A tick in the workbench and {@code compare} on the command line
 * both end here. Runs on the caller's thread (seconds: one ORT session, one run per input).
 */
public final class HybridRebuild {

    private HybridRebuild() {
    }

    /**
     * Rebuilds from a finished normal analysis.
     *
     * @param run the normal analysis (its plan is the normal plan; its inputs are compared)
     * @param picks per-layer types by layer name; layers not named keep the default type
     * @param params hand-set tensor parameters (from an imported cfg), by tensor name
     */
    public static HybridComparison rebuild(AnalysisRun run, Map<String, QuantType> picks, Map<String, QuantParams> params,
            ProgressListener progress) throws Exception {
        QuantPlan normal = run.plan();
        QuantPlan hybrid = run.project().plan(run.calibration(), normal.defaultType(), picks, params, normal.perChannel());
        progress.checkCancelled();
        return compare(run.project(), normal, hybrid, run.inputs(), run.labels(), progress);
    }

    /** Compares the two plans of a cfg applied to a project. */
    public static HybridComparison compare(Project project, HybridSetup setup, SampleSource inputs, Labels labels,
            ProgressListener progress) throws Exception {
        return compare(project, setup.normal(), setup.hybrid(), inputs, labels, progress);
    }

    private static HybridComparison compare(Project project, QuantPlan normal, QuantPlan hybrid, SampleSource inputs,
            Labels labels, ProgressListener progress) throws Exception {
        Comparison c = project.compare(normal, hybrid, inputs, labels, progress);
        return new HybridComparison(normal, hybrid, c);
    }
}
