package dev.layerwise.core.compare;

import java.util.List;

/**
 * Float, normal and hybrid results side by side. Immutable.
 *
 * @param inputs the compared inputs, as described to the user; {@link ModelResult#worstInput()} indexes them
 * @param models float first, then normal, then the hybrid ({@code hybrid}), or several named hybrids
 *     when a {@link DatasetComparer} compared candidate sets
 * @param promoted the (first) hybrid plan's promoted layers
 * @param millis wall time of the comparison (session creation included)
 */
public record Comparison(List<String> inputs, List<ModelResult> models, List<String> promoted, long millis) {

    /** The models' names, in column order. */
    public static final String FLOAT = "float";
    public static final String NORMAL = "normal";
    public static final String HYBRID = "hybrid";
    public static final List<String> MODELS = List.of(FLOAT, NORMAL, HYBRID);
    public Comparison {
        inputs = List.copyOf(inputs);
        models = List.copyOf(models);
        promoted = List.copyOf(promoted);
    }

    public ModelResult model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }
}
