package dev.layerwise.core.engine;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.LayerReport;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.analysis.OutputComparison;
import dev.layerwise.core.compare.Comparer;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a small set of layers to promote so the hybrid model reaches a target: candidates are
 * ranked by the gain the individual analysis predicts (individual cosine at the promoted type
 * minus at the default type), then every candidate set is verified by running the real hybrid
 * model on the inputs. Runs on the caller's thread.
 */
public final class AutoPick {

    /**
     * What to reach over the inputs: the lowest final-output cosine against float (every graph
     * output counts), or top-1 agreement with float (needs a class-vector output).
     */
    public record Target(Kind kind, double value) {
        public enum Kind { COSINE, TOP1 }

        boolean reachedBy(ModelResult r) {
            return measure(r) >= value;
        }

        double measure(ModelResult r) {
            return kind == Kind.COSINE ? r.vsFloat().cosine() : r.top1Agreement();
        }

        @Override
        public String toString() {
            return (kind == Kind.COSINE ? "lowest final-output cosine" : "top-1 agreement") + " >= " + value;
        }
    }

    /**
     * The outcome.
     *
     * @param layers promoted layers, in graph order; empty when the normal model already meets the target
     * @param reached whether the target was met (false: even promoting every candidate falls short)
     * @param metric the target's measure for {@code layers}
     * @param normalMetric the measure of the normal model
     * @param macShare share of the model's multiply-accumulates computed in the promoted type, in [0, 1]
     * @param evaluations verified hybrid builds
     * @param ranking candidates with their predicted gain, best first
     */
    public record Result(List<String> layers, boolean reached, double metric, double normalMetric, double macShare,
            int evaluations, List<Map.Entry<String, Double>> ranking) {
        public Result {
            layers = List.copyOf(layers);
            ranking = List.copyOf(ranking);
        }
    }

    private final Project project;
    private final Calibration calibration;
    private final QuantType defaultType;
    private final QuantType promoteTo;
    private final boolean perChannel;
    private final List<Map<String, FloatTensor>> feeds = new ArrayList<>();
    private final List<Map<String, float[]>> reference = new ArrayList<>();
    private final Map<String, ModelResult> memo = new java.util.HashMap<>();
    private int evaluations;

    public AutoPick(Project project, Calibration calibration, QuantType defaultType, QuantType promoteTo, boolean perChannel) {
        this.project = project;
        this.calibration = calibration;
        this.defaultType = defaultType;
        this.promoteTo = promoteTo;
        this.perChannel = perChannel;
    }

    public Result run(SampleSource inputs, Target target, ProgressListener progress) throws Exception {
        feeds.clear();
        reference.clear();
        memo.clear();
        evaluations = 0;
        for (int i = 0; i < inputs.size(); i++) {
            feeds.add(inputs.load(i));
        }
        List<String> outs = project.graph().finalOutputs();
        if (target.kind() == Target.Kind.TOP1 && project.graph().finalOutputShapes().values().stream()
                .noneMatch(dev.layerwise.core.runtime.Classification::isClassVector)) {
            throw new IllegalArgumentException("a top-1 target needs a class-vector output ([C], [1,C] or [1,C,1,1]); "
                    + "this model's outputs are " + String.join(", ", outs) + "; use a cosine target");
        }
        try (OnnxSession f = OnnxSession.create(project.model(), "float")) {
            for (Map<String, FloatTensor> feed : feeds) {
                Map<String, float[]> r = new LinkedHashMap<>();
                f.run(feed, outs).forEach((k, v) -> r.put(k, v.data()));
                reference.add(r);
            }
        }
        progress.progress("ranking layers", 0, 2);
        List<Map.Entry<String, Double>> ranking = rank(progress);
        progress.progress("ranking layers", 2, 2);

        ModelResult normal = evaluate(List.of());
        double normalMetric = target.measure(normal);
        if (target.reachedBy(normal)) {
            return new Result(List.of(), true, normalMetric, normalMetric, 0, evaluations, ranking);
        }
        List<String> candidates = ranking.stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        if (candidates.isEmpty()) {
            return new Result(List.of(), false, normalMetric, normalMetric, 0, evaluations, ranking);
        }
        // grow the prefix by doubling until the target holds, then bisect for the shortest prefix
        int lo = 0;
        int hi = -1;
        for (int k = 1; ; k = Math.min(k * 2, candidates.size())) {
            progress.checkCancelled();
            progress.progress("verifying", k, candidates.size());
            if (target.reachedBy(evaluate(candidates.subList(0, k)))) {
                hi = k;
                break;
            }
            lo = k;
            if (k == candidates.size()) {
                break;
            }
        }
        if (hi < 0) {
            ModelResult all = evaluate(candidates);
            return new Result(inGraphOrder(candidates), false, target.measure(all), normalMetric, macShare(candidates), evaluations,
                    ranking);
        }
        while (hi - lo > 1) {
            progress.checkCancelled();
            int mid = (lo + hi) / 2;
            if (target.reachedBy(evaluate(candidates.subList(0, mid)))) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        List<String> chosen = new ArrayList<>(candidates.subList(0, hi));
        // prune: layers ranked high may be redundant once others are promoted. Drop blocks of the
        // lowest-ranked picks while the target holds, halving the block on failure, so a long
        // prefix costs O(log n) verifications per surviving gap rather than one per layer.
        int block = Math.max(1, chosen.size() / 2);
        int end = chosen.size();
        while (end > 0 && chosen.size() > 1) {
            progress.checkCancelled();
            int start = Math.max(0, end - block);
            List<String> without = new ArrayList<>(chosen.subList(0, start));
            without.addAll(chosen.subList(end, chosen.size()));
            if (!without.isEmpty() && target.reachedBy(evaluate(without))) {
                chosen = without;
                end = start;
            } else if (block > 1) {
                block /= 2;
            } else {
                end--;
            }
        }
        ModelResult best = evaluate(chosen);
        return new Result(inGraphOrder(chosen), true, target.measure(best), normalMetric, macShare(chosen), evaluations, ranking);
    }

    /** Predicted gain per layer: individual cosine at {@code promoteTo} minus at the default type, averaged over inputs. */
    private List<Map.Entry<String, Double>> rank(ProgressListener progress) throws Exception {
        SampleSource few = SampleSource.of(feeds.subList(0, Math.min(4, feeds.size())));
        AnalysisResult base = project.analyze(project.plan(calibration, defaultType, Map.of(), Map.of(), perChannel),
                CalibrationAlgorithm.NORMAL, few, null, null, ProgressListener.NONE);
        progress.progress("ranking layers", 1, 2);
        AnalysisResult promoted = project.analyze(project.plan(calibration, promoteTo, Map.of(), Map.of(), perChannel),
                CalibrationAlgorithm.NORMAL, few, null, null, ProgressListener.NONE);
        Map<String, Double> gain = new LinkedHashMap<>();
        for (LayerReport l : base.layers()) {
            gain.put(l.name(), promoted.layer(l.name()).individual().cosine() - l.individual().cosine());
        }
        List<Map.Entry<String, Double>> ranking = new ArrayList<>(gain.entrySet());
        ranking.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return ranking.stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    private ModelResult evaluate(List<String> promote) throws Exception {
        String key = String.join("\u0000", new java.util.TreeSet<>(promote));
        ModelResult known = memo.get(key);
        if (known != null) {
            return known;
        }
        ModelResult r = build(promote);
        memo.put(key, r);
        return r;
    }

    private ModelResult build(List<String> promote) throws Exception {
        evaluations++;
        Map<String, QuantType> overrides = new LinkedHashMap<>();
        for (String l : promote) {
            overrides.put(l, promoteTo);
        }
        QuantPlan plan = project.plan(calibration, defaultType, overrides, Map.of(), perChannel);
        List<Map<String, float[]>> outs = Comparer.finalOutputs(project.graph(), plan, feeds.size(), feeds::get,
                ProgressListener.NONE);
        return Comparer.result("hybrid", outs, reference, project.graph().finalOutputShapes(), null);
    }

    private double macShare(List<String> layers) {
        long total = 0;
        long promoted = 0;
        for (Layer l : project.graph().layers()) {
            long m = project.graph().macs(l);
            total += m;
            if (layers.contains(l.name())) {
                promoted += m;
            }
        }
        return total == 0 ? 0 : (double) promoted / total;
    }

    private List<String> inGraphOrder(List<String> names) {
        return project.graph().layerNames().stream().filter(names::contains).toList();
    }

}
