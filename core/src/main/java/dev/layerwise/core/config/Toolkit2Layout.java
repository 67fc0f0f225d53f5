package dev.layerwise.core.config;

import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a cfg between RKNN-Toolkit2's layout (keys are tensor names, types {@code int8} /
 * {@code int16} / {@code float16}, asymmetric int8 entries) and RKNN-Toolkit 1's (keys are layer
 * names and {@code @layer:port}, Layerwise's type names), so that one {@link ConfigMapper} serves
 * both. Against a model: tensor names resolve to the layer that writes them, including tensors
 * inside a fused layer (a Conv's output before its Relu). Stateless.
 */
public final class Toolkit2Layout {

    /** Toolkit2's {@code dtype} for asymmetric int8 (and its int32 biases). */
    static final String ASYMMETRIC = "asymmetric_quantized";
    /** u8 and Toolkit2's int8 hold the same values: {@code q8 = q - 128}, {@code zp8 = zp - 128}. */
    static final long INT8_SHIFT = 128;

    private Toolkit2Layout() {
    }

    /**
     * A Toolkit2 cfg in Toolkit 1 terms.
     *
     * @param cfg the same picks keyed by our layer names ({@code @layer:port} for parameters)
     * @param vendorNames our layer name to the tensor name the cfg used for it
     * @param notes what was mapped or left out, one line each
     * @param tensorOfKey each {@code @layer:port} key of {@code cfg} to the tensor name the file used
     */
    public record Translated(QuantConfig cfg, Map<String, String> vendorNames, List<String> notes,
            Map<String, String> tensorOfKey) {
        public Translated {
            vendorNames = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vendorNames));
            notes = List.copyOf(notes);
            tensorOfKey = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensorOfKey));
        }

        /**
         * A message about the translated cfg in the terms of the user's Toolkit2 file: its tensor
         * names (with their line in {@code source}) instead of {@code @layer:port} keys, and its
         * section {@code custom_quantize_layers}.
         */
        public String inFileTerms(String message, String source, String name) {
            String m = message;
            for (Map.Entry<String, String> e : tensorOfKey.entrySet()) {
                int line = ConfigFile.lineOf(source, e.getValue() + ":");
                m = m.replace(name + ": " + e.getKey() + ":", name + (line > 0 ? " line " + line : "") + ": " + e.getValue() + ":");
                m = m.replace(e.getKey() + ":", e.getValue() + ":");
            }
            return m.replace(Toolkit.TOOLKIT1.section(), Toolkit.TOOLKIT2.section());
        }
    }

    /**
     * Reads a Toolkit2 cfg against a model.
     *
     * @param source the cfg's text (for line numbers); {@code name} its file
     * @throws ConfigException naming every tensor that is not in the model (with the closest
     *     tensor names) and every unknown type, each with its line
     */
    public static Translated toToolkit1(QuantConfig t2, LayerGraph graph, String source, String name) throws ConfigException {
        Map<String, String> owner = graph.tensorOwners();
        List<String> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> layers = new LinkedHashMap<>();
        Map<String, String> vendorNames = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : t2.customizedLayers().entrySet()) {
            String tensor = e.getKey();
            int line = ConfigFile.lineOf(source, tensor + ":");
            String where = name + (line > 0 ? " line " + line : "") + ": ";
            QuantType type = null;
            try {
                type = Toolkit2Types.layerType(e.getValue());
            } catch (IllegalArgumentException ex) {
                errors.add(where + "tensor '" + tensor + "': " + ex.getMessage());
            }
            String layer = layerOf(tensor, owner, graph);
            if (layer == null) {
                errors.add(where + "no tensor named '" + tensor + "' in the model; closest: "
                        + String.join(", ", ConfigMapper.closest(tensor, new ArrayList<>(owner.keySet()), 3)));
                continue;
            }
            if (type == null) {
                continue;
            }
            String previous = layers.get(layer);
            if (previous != null && !previous.equals(type.configName())) {
                errors.add(where + "'" + tensor + "' and '" + vendorNames.get(layer) + "' are both in layer " + layer
                        + " but are given different types (" + type + ", " + previous + ")");
                continue;
            }
            layers.put(layer, type.configName());
            vendorNames.putIfAbsent(layer, tensor);
            if (tensorLayer(tensor, owner) == null) {
                // no tensor has this name (often a typo of one): say so rather than pass it off as a fused tensor
                notes.add(where + "no tensor named '" + tensor + "'; it contains the node name of layer " + layer
                        + ", so that layer takes " + e.getValue() + " (closest tensors: "
                        + String.join(", ", ConfigMapper.closest(tensor, new ArrayList<>(owner.keySet()), 3)) + ")");
            } else if (!graph.layer(layer).outputs().contains(tensor)) {
                notes.add("'" + tensor + "' is inside layer " + layer + " (fused with its activation); the whole layer takes "
                        + e.getValue());
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(String.join("; ", errors));
        }
        Map<String, TensorEntry> params = new LinkedHashMap<>();
        Map<String, String> tensorOfKey = new LinkedHashMap<>();
        if (writtenByLayerwise(t2)) {
            for (Map.Entry<String, TensorEntry> e : t2.parameters().entrySet()) {
                String key = toolkit1Key(e.getKey(), graph);
                if (key == null) {
                    notes.add("not applied: " + e.getKey() + " (line " + ConfigFile.lineOf(source, e.getKey() + ":")
                            + ") names no tensor of the model");
                    continue;
                }
                params.put(key, toToolkit1(e.getValue()));
                tensorOfKey.put(key, e.getKey());
            }
        } else if (!t2.parameters().isEmpty()) {
            notes.add("not applied: the " + t2.parameters().size() + " quantize_parameters entries of an RKNN-Toolkit2 cfg "
                    + "(Layerwise calibrates itself)");
        }
        List<String> comments = t2.comments().stream().filter(c -> !c.equals(QuantConfig.TOOLKIT2_COMMENT)).toList();
        return new Translated(new QuantConfig(layers, params, comments, Toolkit.TOOLKIT1), vendorNames, notes, tensorOfKey);
    }

    /**
     * A Toolkit 1 cfg (as {@link ConfigMapper#toConfig} writes it) in Toolkit2's layout.
     *
     * @param vendorNames our layer name to the tensor name to write for it (from an imported
     *     Toolkit2 cfg); other layers are written under their first output tensor. Picks are
     *     written in graph order.
     * @throws ConfigException when a pick has no Toolkit2 type (float32, dynamic_fixed_point-i8)
     */
    public static QuantConfig toToolkit2(QuantConfig t1, LayerGraph graph, Map<String, String> vendorNames) throws ConfigException {
        Map<String, String> custom = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        Map<String, String> owner = graph.tensorOwners();
        Map<String, Map.Entry<String, String>> byLayer = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : t1.customizedLayers().entrySet()) {
            String layer = ConfigMapper.resolve(e.getKey(), graph);
            Layer l = layer == null ? null : graph.layer(layer);
            if (l == null) {
                errors.add("no layer named '" + e.getKey() + "'");
                continue;
            }
            try {
                String vendor = vendorNames.get(layer);
                // a Toolkit 1 vendor name (Conv_Conv_434_142) is no tensor name: write the layer's output then
                String key = vendor != null && layer.equals(tensorLayer(vendor, owner)) ? vendor : l.output();
                byLayer.put(layer, Map.entry(key, Toolkit2Types.layerTypeName(QuantType.parse(e.getValue()))));
            } catch (IllegalArgumentException ex) {
                errors.add("layer " + layer + ": " + ex.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException("cannot write an RKNN-Toolkit2 cfg: " + String.join("; ", errors));
        }
        // graph order, so that the same picks always give the same file
        for (Layer l : graph.layers()) {
            Map.Entry<String, String> pick = byLayer.get(l.name());
            if (pick != null) {
                custom.put(pick.getKey(), pick.getValue());
            }
        }
        Map<String, TensorEntry> params = new LinkedHashMap<>();
        for (Map.Entry<String, TensorEntry> e : t1.parameters().entrySet()) {
            String tensor = tensorOf(e.getKey(), graph);
            if (tensor != null) {
                params.put(tensor, toToolkit2(e.getValue()));
            }
        }
        List<String> comments = new ArrayList<>(List.of(QuantConfig.TOOLKIT2_COMMENT));
        t1.comments().stream().filter(c -> !c.equals(QuantConfig.VENDOR_COMMENT)).forEach(comments::add);
        return new QuantConfig(custom, params, comments, Toolkit.TOOLKIT2);
    }

    /** True when the cfg carries Layerwise's Toolkit2 comment: its parameters are ours and may hold hand edits. */
    static boolean writtenByLayerwise(QuantConfig c) {
        return c.comments().contains(QuantConfig.TOOLKIT2_COMMENT);
    }

    /**
     * The layer of a Toolkit2 tensor name: an exact tensor, the same without a TensorFlow-style
     * {@code :0} suffix, or a layer name embedded in it (as for Toolkit 1's vendor names).
     */
    static String layerOf(String tensor, Map<String, String> owner, LayerGraph graph) {
        String l = tensorLayer(tensor, owner);
        return l != null ? l : ConfigMapper.resolve(tensor, graph);
    }

    /** The layer writing {@code tensor} (or the same name without a {@code :0} suffix), else null. */
    public static String tensorLayer(String tensor, Map<String, String> owner) {
        String l = owner.get(tensor);
        if (l == null && tensor.matches(".*:\\d+$")) {
            l = owner.get(tensor.substring(0, tensor.lastIndexOf(':')));
        }
        return l;
    }

    private static String toolkit1Key(String tensor, LayerGraph graph) {
        for (LayerGraph.Input in : graph.inputs()) {
            if (in.name().equals(tensor)) {
                return QuantConfig.key(tensor, "out0");
            }
        }
        for (Layer l : graph.layers()) {
            int k = l.outputs().indexOf(tensor);
            if (k >= 0) {
                return QuantConfig.key(l.name(), "out" + k);
            }
            if (tensor.equals(l.weight())) {
                return QuantConfig.key(l.name(), "weight");
            }
            if (tensor.equals(l.bias())) {
                return QuantConfig.key(l.name(), "bias");
            }
        }
        return null;
    }

    private static String tensorOf(String key, LayerGraph graph) {
        String layer = QuantConfig.layerOf(key);
        String port = QuantConfig.portOf(key);
        Layer l = graph.layer(layer);
        if (l == null) {
            boolean input = graph.inputs().stream().anyMatch(i -> i.name().equals(layer));
            return input && port.equals("out0") ? layer : null;
        }
        if (port.startsWith("out")) {
            int k = Integer.parseInt(port.substring(3));
            return k < l.outputs().size() ? l.outputs().get(k) : null;
        }
        return port.equals("weight") ? l.weight() : port.equals("bias") ? l.bias() : null;
    }

    /** Our u8 entry as Toolkit2's asymmetric int8; others keep their names. */
    static TensorEntry toToolkit2(TensorEntry t) {
        if (QuantType.ASYMMETRIC_AFFINE_U8.dtype().equals(t.dtype())) {
            boolean u8 = "u8".equals(t.qtype());
            List<Long> zp = u8 ? t.zeroPoint().stream().map(z -> z - INT8_SHIFT).toList() : t.zeroPoint();
            return new TensorEntry(ASYMMETRIC, t.method(), t.maxValue(), t.minValue(), zp, t.scale(), u8 ? "i8" : t.qtype(), t.fl());
        }
        return t;
    }

    /** The reverse of {@link #toToolkit2(TensorEntry)}. */
    static TensorEntry toToolkit1(TensorEntry t) {
        if (ASYMMETRIC.equals(t.dtype())) {
            boolean i8 = "i8".equals(t.qtype());
            List<Long> zp = i8 ? t.zeroPoint().stream().map(z -> z + INT8_SHIFT).toList() : t.zeroPoint();
            return new TensorEntry(QuantType.ASYMMETRIC_AFFINE_U8.dtype(), t.method(), t.maxValue(), t.minValue(), zp, t.scale(),
                    i8 ? "u8" : t.qtype(), t.fl());
        }
        return t;
    }
}
