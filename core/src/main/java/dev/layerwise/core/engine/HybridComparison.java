package dev.layerwise.core.engine;

import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.quant.QuantPlan;

/**
 * A hybrid rebuild's outcome: the two plans and the float, normal and hybrid results side by
 * side. Immutable.
 *
 * @param normal every layer in the default type
 * @param hybrid the per-layer picks applied
 * @param comparison float, normal and hybrid on the same inputs
 */
public record HybridComparison(QuantPlan normal, QuantPlan hybrid, Comparison comparison) {

    public ModelResult floatModel() {
        return comparison.model(Comparison.FLOAT);
    }

    public ModelResult normalModel() {
        return comparison.model(Comparison.NORMAL);
    }

    public ModelResult hybridModel() {
        return comparison.model(Comparison.HYBRID);
    }
}
