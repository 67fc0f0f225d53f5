package dev.layerwise.core.quant;

import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to build a quantized model: the type of every layer, the parameters of every
 * quantization point (graph inputs and layer outputs) and the quantized weights and biases.
 * Immutable; made by {@link #create}.
 *
 * <p>Rules (see docs/decisions/0002-quantization-rules.md): a layer's type governs its outputs,
 * weight and bias; a value-preserving layer without a type of its own reuses its input's
 * parameters; a graph input takes the type all its consumers agree on, else the default type;
 * a bias is int32 only when both the layer's input and weight are integer; a float16 layer has
 * its weight and bias rounded to half precision.
 */
public final class QuantPlan {

    private final QuantType defaultType;
    private final Map<String, QuantType> layerTypes;
    private final Map<String, QuantType> overrides;
    private final Map<String, QuantParams> tensorParams;
    private final Map<String, QuantizedTensor> weights;
    private final Map<String, QuantizedTensor> biases;
    private final boolean perChannel;

    private QuantPlan(QuantType defaultType, Map<String, QuantType> layerTypes, Map<String, QuantType> overrides,
            Map<String, QuantParams> tensorParams, Map<String, QuantizedTensor> weights, Map<String, QuantizedTensor> biases,
            boolean perChannel) {
        this.perChannel = perChannel;
        this.defaultType = defaultType;
        this.layerTypes = Collections.unmodifiableMap(layerTypes);
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        this.tensorParams = Collections.unmodifiableMap(tensorParams);
        this.weights = Collections.unmodifiableMap(weights);
        this.biases = Collections.unmodifiableMap(biases);
    }

    /**
     * @param graph the layers
     * @param defaultType type of every layer not in {@code overrides}
     * @param overrides per-layer types (hybrid quantization), by layer name
     * @param ranges calibrated range of every quantization tensor
     * @param paramOverrides hand-set parameters by tensor name (from an edited cfg); they win
     * @param weightQuantizer cache of quantized weights
     * @throws IllegalArgumentException when a layer in {@code overrides} does not exist or a
     *     quantized tensor has no range
     */
    public static QuantPlan create(LayerGraph graph, QuantType defaultType, Map<String, QuantType> overrides,
            Map<String, TensorRange> ranges, Map<String, QuantParams> paramOverrides, WeightQuantizer weightQuantizer) {
        return create(graph, defaultType, overrides, ranges, paramOverrides, weightQuantizer, false);
    }

    /**
     * As {@link #create(LayerGraph, QuantType, Map, Map, Map, WeightQuantizer)}, with weights
     * quantized per output channel when {@code perChannel} (hand-set weight parameters still win).
     */
    public static QuantPlan create(LayerGraph graph, QuantType defaultType, Map<String, QuantType> overrides,
            Map<String, TensorRange> ranges, Map<String, QuantParams> paramOverrides, WeightQuantizer weightQuantizer,
            boolean perChannel) {
        for (String name : overrides.keySet()) {
            if (graph.layer(name) == null) {
                throw new IllegalArgumentException("no layer named '" + name + "'");
            }
        }
        Map<String, QuantType> types = new LinkedHashMap<>();
        for (Layer l : graph.layers()) {
            types.put(l.name(), overrides.getOrDefault(l.name(), defaultType));
        }
        Map<String, QuantParams> params = new HashMap<>();
        for (LayerGraph.Input in : graph.inputs()) {
            QuantType t = inputType(graph, in.name(), types, defaultType);
            params.put(in.name(), paramsFor(in.name(), t, ranges, paramOverrides));
        }
        Map<String, QuantizedTensor> weights = new HashMap<>();
        Map<String, QuantizedTensor> biases = new HashMap<>();
        for (Layer l : graph.layers()) {
            QuantType t = types.get(l.name());
            for (String o : l.outputs()) {
                QuantParams p;
                if (!t.isQuantized()) {
                    p = QuantParams.FLOAT;
                } else if (l.valuePreserving() && !overrides.containsKey(l.name()) && !l.inputs().isEmpty()
                        && !paramOverrides.containsKey(o)) {
                    p = params.getOrDefault(l.inputs().get(0), QuantParams.FLOAT);
                } else {
                    p = paramsFor(o, t, ranges, paramOverrides);
                }
                params.put(o, p);
            }
            if (t == QuantType.FLOAT16) {
                // an fp16 layer rounds its constants whatever its neighbours are; no int32 bias
                if (l.weight() != null) {
                    weights.put(l.name(), weightQuantizer.half(l.weight(), constant(graph, l.weight())));
                }
                if (l.bias() != null) {
                    biases.put(l.name(), weightQuantizer.half(l.bias(), constant(graph, l.bias())));
                }
            } else if (t.isInteger() && l.weight() != null) {
                QuantParams handSet = paramOverrides.get(l.weight());
                QuantizedTensor w = handSet != null && handSet.type() == t
                        ? weightQuantizer.weight(l.weight(), constant(graph, l.weight()), handSet)
                        : perChannel && l.weightAxis() >= 0
                                ? weightQuantizer.weightPerChannel(l.weight(), constant(graph, l.weight()), t, l.weightAxis())
                                : weightQuantizer.weight(l.weight(), constant(graph, l.weight()), t);
                weights.put(l.name(), w);
                QuantParams in = l.inputs().isEmpty() ? QuantParams.FLOAT : params.getOrDefault(l.inputs().get(0), QuantParams.FLOAT);
                if (l.bias() != null && in.type().isInteger()) {
                    QuantParams biasSet = paramOverrides.get(l.bias());
                    biases.put(l.name(), biasSet != null
                            ? weightQuantizer.bias(l.bias(), constant(graph, l.bias()), t, biasSet.scale(), 1f)
                            : w.perChannel() && FloatTensor.elementCount(graph.initializerShape(l.bias())) % w.channels().length == 0
                                    ? weightQuantizer.biasPerChannel(l.bias(), constant(graph, l.bias()), t, in.scale(), w.channels())
                                    : weightQuantizer.bias(l.bias(), constant(graph, l.bias()), t, in.scale(), w.params().scale()));
                }
            }
        }
        return new QuantPlan(defaultType, types, overrides, params, weights, biases, perChannel);
    }

    private static QuantType inputType(LayerGraph graph, String input, Map<String, QuantType> types, QuantType dflt) {
        QuantType agreed = null;
        for (Layer l : graph.layers()) {
            if (l.inputs().contains(input)) {
                QuantType t = types.get(l.name());
                if (agreed == null) {
                    agreed = t;
                } else if (agreed != t) {
                    return dflt;
                }
            }
        }
        return agreed == null ? dflt : agreed;
    }

    private static QuantParams paramsFor(String tensor, QuantType t, Map<String, TensorRange> ranges,
            Map<String, QuantParams> paramOverrides) {
        if (t == QuantType.FLOAT16) {
            return QuantParams.HALF;
        }
        QuantParams given = paramOverrides.get(tensor);
        if (given != null) {
            return given;
        }
        if (!t.isQuantized()) {
            return QuantParams.FLOAT;
        }
        TensorRange r = ranges.get(tensor);
        if (r == null) {
            throw new IllegalArgumentException("no calibrated range for tensor '" + tensor + "'");
        }
        return QuantParams.forRange(t, r.min(), r.max());
    }

    /** True when weights are quantized per output channel. */
    public boolean perChannel() {
        return perChannel;
    }

    public QuantType defaultType() {
        return defaultType;
    }

    /** Type of every layer, in graph order. */
    public Map<String, QuantType> layerTypes() {
        return layerTypes;
    }

    public QuantType typeOf(String layer) {
        return layerTypes.get(layer);
    }

    /** The per-layer types the plan was made with (hybrid picks). */
    public Map<String, QuantType> overrides() {
        return overrides;
    }

    /** Parameters of a quantization tensor; {@link QuantParams#FLOAT} when it is not quantized. */
    public QuantParams params(String tensor) {
        return tensorParams.getOrDefault(tensor, QuantParams.FLOAT);
    }

    /** Quantized weight of a layer, or {@code null} when it has none or is float32. */
    public QuantizedTensor weight(String layer) {
        return weights.get(layer);
    }

    public QuantizedTensor bias(String layer) {
        return biases.get(layer);
    }

    /**
     * Whether {@code other} builds the same fake-quantized model as this plan: the same type per
     * layer, the same parameters per tensor and the very same quantized weights and biases (the
     * weight quantizer's cached objects, so equal values made apart count as different). A
     * hybrid planned without picks is the normal plan over again; its outputs are the normal
     * model's, and need no session of their own. False negatives only cost that session.
     */
    public boolean buildsSameModelAs(QuantPlan other) {
        return other == this || other != null && layerTypes.equals(other.layerTypes)
                && tensorParams.equals(other.tensorParams) && sameObjects(weights, other.weights)
                && sameObjects(biases, other.biases);
    }

    private static boolean sameObjects(Map<String, QuantizedTensor> a, Map<String, QuantizedTensor> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, QuantizedTensor> e : a.entrySet()) {
            if (e.getValue() != b.get(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** Names of the layers not in the default type. */
    public List<String> promotedLayers() {
        return layerTypes.entrySet().stream().filter(e -> e.getValue() != defaultType).map(Map.Entry::getKey).toList();
    }

    /** A weight or bias as the quantizer reads it: its dimensions, and its values (a view) when asked. */
    private static WeightQuantizer.Constant constant(LayerGraph graph, String name) {
        return new WeightQuantizer.Constant(graph.initializerShape(name), () -> graph.initializerValues(name));
    }
}
