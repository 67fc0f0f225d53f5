package dev.layerwise.core.compare;

import dev.layerwise.core.analysis.Metrics;
import dev.layerwise.core.analysis.OutputComparison;
import dev.layerwise.core.analysis.OutputMetrics;
import dev.layerwise.core.runtime.TopK;
import java.util.List;

/**
 * How one model (float, normal or hybrid) did on the compared inputs, against the float model.
 * Immutable.
 *
 * @param name {@code float}, {@code normal} or {@code hybrid}
 * @param outputs every graph output against the float model's, in graph order
 * @param top1 top-1 class index per input of the first class-vector output; empty when no output is one
 * @param top1Agreement share of inputs whose top-1 equals the float model's, in [0, 1]; NaN when no
 *     output is a class vector
 */
public record ModelResult(String name, List<OutputMetrics> outputs, List<Integer> top1, double top1Agreement) {
    public ModelResult {
        outputs = List.copyOf(outputs);
        top1 = List.copyOf(top1);
    }

    /** Top-5 on the first input of the first class-vector output, or {@code null} when no output is one. */
    public TopK top5() {
        OutputMetrics c = OutputComparison.firstClassVector(outputs);
        return c == null ? null : c.top5();
    }

    /** The worst output's metrics against float: the model is as good as its worst output. */
    public Metrics vsFloat() {
        return worstOutput().metrics();
    }

    public OutputMetrics worstOutput() {
        return OutputComparison.worst(outputs);
    }

    /**
     * The lowest cosine against float of any output on any one compared input, in [-1, 1]: the
     * worst case behind {@link #vsFloat()}'s mean (the same number when one input was compared).
     */
    public double minCosine() {
        return worstOnOneInput().minCosine();
    }

    /** The 0-based index of the compared input where {@link #minCosine()} was reached (the first of equals). */
    public int worstInput() {
        return worstOnOneInput().worstInput();
    }

    /** The output that reached {@link #minCosine()} (the first of equals in graph order). */
    public OutputMetrics worstOnOneInput() {
        OutputMetrics w = null;
        for (OutputMetrics o : outputs) {
            if (w == null || o.minCosine() < w.minCosine()) {
                w = o;
            }
        }
        return w;
    }

    /** True when some output is a class vector (so there are top-5 lists and top-1 agreement). */
    public boolean hasClassVector() {
        return top5() != null;
    }
}
