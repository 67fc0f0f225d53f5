package dev.layerwise.core.engine;

import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparer;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.DatasetComparer;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.task.ProgressListener;
import java.util.LinkedHashMap;
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
        // the float and normal outputs on the run's inputs are kept between rebuilds: a tick runs only the hybrid
        Comparison c = run.project().compare(normal, hybrid, run.inputs(), run.labels(), progress);
        return new HybridComparison(normal, hybrid, c);
    }

    /**
     * Compares the two plans of a cfg applied to a project, once: streamed over {@code inputs}, so a
     * dataset of any size (and any output size) fits in memory.
     */
    public static HybridComparison compare(Project project, HybridSetup setup, SampleSource inputs, Labels labels,
            ProgressListener progress) throws Exception {
        Comparison c = Comparer.compare(project.graph(), setup.normal(), setup.hybrid(), inputs, labels, progress);
        return new HybridComparison(setup.normal(), setup.hybrid(), c);
    }

    /**
     * Float, normal and each named set of picks over {@code inputs} (e.g. the whole dataset), as a
     * comparer the caller advances step by step and closes. The hybrids are planned from the run's
     * calibration and normal plan; models are built and their sessions opened here.
     *
     * @param sets per-layer types by layer name, by the name each result will carry, in column order
     * @param params hand-set tensor parameters (from an imported cfg), by tensor name, for every set
     */
    public static DatasetComparer overInputs(AnalysisRun run, Map<String, Map<String, QuantType>> sets,
            Map<String, QuantParams> params, SampleSource inputs) throws Exception {
        QuantPlan normal = run.plan();
        Map<String, QuantPlan> plans = new LinkedHashMap<>();
        sets.forEach((name, picks) -> plans.put(name,
                run.project().plan(run.calibration(), normal.defaultType(), picks, params, normal.perChannel())));
        return DatasetComparer.open(run.project().graph(), normal, plans, inputs, run.labels());
    }

}
