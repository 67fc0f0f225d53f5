package dev.layerwise.core.analysis;

import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A layer's metrics computed the plain way, for tests: one thread, the two-pass accumulation of
 * {@link Metrics.Accumulator#add}, output by output, averaged over the inputs' analysis outputs.
 *
 * @param individual mean individual metrics
 * @param entire mean entire metrics
 */
record SerialMetrics(Metrics individual, Metrics entire) {

    /** From each input's analysis-graph outputs ({@code o}, {@code o + ENTIRE}, {@code o + INDIVIDUAL}). */
    static SerialMetrics of(Layer l, QuantPlan plan, List<Map<String, FloatTensor>> outputs) {
        boolean quantized = plan.typeOf(l.name()).isQuantized();
        List<Metrics> individual = new ArrayList<>();
        List<Metrics> entire = new ArrayList<>();
        for (Map<String, FloatTensor> t : outputs) {
            Metrics.Accumulator ind = new Metrics.Accumulator();
            Metrics.Accumulator ent = new Metrics.Accumulator();
            for (String o : l.outputs()) {
                float[] f = t.get(o).data();
                ent.add(f, t.get(o + QuantGraphBuilder.ENTIRE).data());
                ind.add(f, quantized ? t.get(o + QuantGraphBuilder.INDIVIDUAL).data() : f);
            }
            individual.add(ind.result());
            entire.add(ent.result());
        }
        return new SerialMetrics(Metrics.mean(individual), Metrics.mean(entire));
    }
}
