package dev.layerwise.core.analysis;

import dev.layerwise.core.runtime.Classification;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.TopK;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Accumulates, input by input, how every graph output of one model compares with the float
 * model's: the one definition of "final output" metrics for the analysis, the float / normal /
 * hybrid comparison and auto-pick. Top-5 lists (softmax only where the output is not already a
 * distribution) are kept for class-vector outputs only; the first class-vector output also
 * yields per-input top-1 agreement. Not thread-safe; one per model and run.
 */
public final class OutputComparison {

    private final Map<String, long[]> outputs;
    private final Labels labels;
    private final Map<String, List<Metrics>> metrics = new LinkedHashMap<>();
    private final Map<String, Double> maxAbs = new LinkedHashMap<>();
    private final Map<String, TopK> floatTop5 = new LinkedHashMap<>();
    private final Map<String, TopK> top5 = new LinkedHashMap<>();
    private final String classOutput;
    private final List<Integer> top1 = new ArrayList<>();
    private int agreeing;
    private int inputs;

    /**
     * @param outputs the graph outputs to judge, by name, with their shapes (batch 1), in graph order
     * @param labels class names for the top-5 lists, or {@code null}
     */
    public OutputComparison(Map<String, long[]> outputs, Labels labels) {
        this.outputs = new LinkedHashMap<>(outputs);
        this.labels = labels;
        this.classOutput = outputs.entrySet().stream().filter(e -> Classification.isClassVector(e.getValue()))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        outputs.keySet().forEach(o -> {
            metrics.put(o, new ArrayList<>());
            maxAbs.put(o, 0.0);
        });
    }

    /** Adds one input: each output's float values and this model's, by output name. */
    public void add(Function<String, float[]> reference, Function<String, float[]> model) {
        boolean first = inputs++ == 0;
        for (String o : outputs.keySet()) {
            float[] f = reference.apply(o);
            float[] q = model.apply(o);
            metrics.get(o).add(Metrics.compare(f, q));
            maxAbs.merge(o, Metrics.maxAbsError(f, q), Math::max);
            if (first && Classification.isClassVector(outputs.get(o))) {
                floatTop5.put(o, TopK.of(f, 5, labels));
                top5.put(o, TopK.of(q, 5, labels));
            }
        }
        if (classOutput != null) {
            int t = TopK.of(model.apply(classOutput), 1, null).top1().index();
            top1.add(t);
            if (t == TopK.of(reference.apply(classOutput), 1, null).top1().index()) {
                agreeing++;
            }
        }
    }

    /** Every output's result, in graph order. */
    public List<OutputMetrics> result() {
        List<OutputMetrics> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : outputs.entrySet()) {
            String o = e.getKey();
            List<Metrics> perInput = metrics.get(o);
            int worst = 0;
            for (int i = 1; i < perInput.size(); i++) {
                if (perInput.get(i).cosine() < perInput.get(worst).cosine()) {
                    worst = i;
                }
            }
            double min = perInput.isEmpty() ? Metrics.PERFECT.cosine() : perInput.get(worst).cosine();
            out.add(new OutputMetrics(o, e.getValue(), Metrics.mean(perInput), maxAbs.get(o), floatTop5.get(o),
                    top5.get(o), min, worst));
        }
        return out;
    }

    /** Top-1 class per input of the first class-vector output; empty when there is none. */
    public List<Integer> top1() {
        return List.copyOf(top1);
    }

    /** Share of inputs whose top-1 equals the float model's, in [0, 1]; NaN without a class-vector output. */
    public double top1Agreement() {
        return classOutput == null || top1.isEmpty() ? Double.NaN : (double) agreeing / top1.size();
    }

    /** The output with the lowest cosine (the first of equals): what a model is judged by. */
    public static OutputMetrics worst(List<OutputMetrics> outputs) {
        OutputMetrics w = null;
        for (OutputMetrics o : outputs) {
            if (w == null || o.metrics().cosine() < w.metrics().cosine()) {
                w = o;
            }
        }
        return w;
    }

    /** The first class-vector output, or {@code null}. */
    public static OutputMetrics firstClassVector(List<OutputMetrics> outputs) {
        return outputs.stream().filter(OutputMetrics::classVector).findFirst().orElse(null);
    }
}
