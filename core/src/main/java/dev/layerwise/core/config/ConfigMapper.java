package dev.layerwise.core.config;

import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.QuantizedTensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Translates between a {@link QuantPlan} and RKNN's cfg: writes every tensor's parameters and
 * the user's per-layer types, and reads an edited or vendor-made cfg back into per-layer types
 * and hand-set parameters. Nothing in a cfg is dropped silently: every entry is applied or
 * listed in {@link Applied#notes()}. Stateless.
 */
public final class ConfigMapper {

    private ConfigMapper() {
    }

    /**
     * What a cfg means for a model.
     *
     * @param overrides per-layer types from {@code customized_quantize_layers}, by our layer name
     * @param paramOverrides hand-edited parameters by tensor name (outputs, weights, biases)
     * @param vendorNames our layer name to the name the cfg used, where they differ (for export): a
     *     Toolkit 1 vendor layer name or a Toolkit2 tensor name; each layout writes back the ones it can
     * @param notes one line per entry that was applied with an effect, mapped, or not applied, and why
     */
    public record Applied(Map<String, QuantType> overrides, Map<String, QuantParams> paramOverrides,
            Map<String, String> vendorNames, List<String> notes) {
        public Applied {
            overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
            paramOverrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(paramOverrides));
            vendorNames = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vendorNames));
            notes = List.copyOf(notes);
        }
    }

    /**
     * The cfg of a plan: {@code customized_quantize_layers} holds the plan's overrides (under the
     * vendor's names where known), {@code quantize_parameters} every quantization point.
     *
     * @param comments comment lines for the header (e.g. why layers were suggested); empty for RKNN's
     * @param vendorNames our layer name to a vendor name, to write picks back in the vendor's naming
     */
    public static QuantConfig toConfig(LayerGraph graph, QuantPlan plan, List<String> comments, Map<String, String> vendorNames) {
        Map<String, String> custom = new LinkedHashMap<>();
        for (Map.Entry<String, QuantType> e : plan.overrides().entrySet()) {
            String vendor = vendorNames.get(e.getKey());
            // a Toolkit2 tensor name from an imported cfg does not name the layer in this layout
            String key = vendor != null && e.getKey().equals(resolve(vendor, graph)) ? vendor : e.getKey();
            custom.put(key, e.getValue().configName());
        }
        Map<String, TensorEntry> params = new LinkedHashMap<>();
        for (LayerGraph.Input in : graph.inputs()) {
            params.put(QuantConfig.key(in.name(), "out0"), entry(plan.params(in.name()), "layer"));
        }
        for (Layer l : graph.layers()) {
            for (int k = 0; k < l.outputs().size(); k++) {
                params.put(QuantConfig.key(l.name(), "out" + k), entry(plan.params(l.outputs().get(k)), "layer"));
            }
            QuantizedTensor w = plan.weight(l.name());
            if (w != null) {
                params.put(QuantConfig.key(l.name(), "weight"), w.perChannel() ? channelEntry(w) : entry(w.params(), "layer"));
            }
            QuantizedTensor b = plan.bias(l.name());
            if (b != null && b.params().type() == QuantType.FLOAT16) {
                params.put(QuantConfig.key(l.name(), "bias"), entry(b.params(), "layer"));
            } else if (b != null) {
                QuantParams p = b.params();
                List<Double> scales = b.perChannel()
                        ? java.util.Arrays.stream(b.channels()).map(c -> (double) c.scale()).toList()
                        : List.of((double) p.scale());
                List<Long> zps = b.perChannel() ? java.util.Collections.nCopies(scales.size(), 0L) : List.of(0L);
                params.put(QuantConfig.key(l.name(), "bias"), new TensorEntry(p.type().dtype(), b.perChannel() ? "channel" : "layer",
                        List.of(), List.of(), zps, scales, "i32", List.of()));
            }
        }
        List<String> header = new ArrayList<>(List.of(QuantConfig.VENDOR_COMMENT));
        header.addAll(comments);
        return new QuantConfig(custom, params, header);
    }

    /**
     * As {@link #toConfig(LayerGraph, QuantPlan, List, Map)} in the layout of {@code toolkit}.
     *
     * @throws ConfigException when a pick has no name in that toolkit (Toolkit2 has no float32 or
     *     dynamic_fixed_point-i8 layers)
     */
    public static QuantConfig toConfig(LayerGraph graph, QuantPlan plan, List<String> comments, Map<String, String> vendorNames,
            Toolkit toolkit) throws ConfigException {
        QuantConfig t1 = toConfig(graph, plan, comments, vendorNames);
        return toolkit == Toolkit.TOOLKIT1 ? t1 : Toolkit2Layout.toToolkit2(t1, graph, vendorNames);
    }

    /**
     * Calibrated ranges recorded in a cfg written by Layerwise (or edited from one): the min and
     * max of every {@code out} entry of our layers and graph inputs. Entries of a vendor cfg are
     * left out, as are tensors without both values.
     */
    public static Map<String, dev.layerwise.core.quant.TensorRange> ranges(QuantConfig cfg, LayerGraph graph) {
        Map<String, dev.layerwise.core.quant.TensorRange> out = new LinkedHashMap<>();
        if (cfg.toolkit() == Toolkit.TOOLKIT2) {
            java.util.Set<String> points = new java.util.HashSet<>(graph.quantTensors());
            if (Toolkit2Layout.writtenByLayerwise(cfg)) {
                for (Map.Entry<String, TensorEntry> e : cfg.parameters().entrySet()) {
                    TensorEntry t = e.getValue();
                    boolean quantPoint = points.contains(e.getKey());
                    if (quantPoint && !t.minValue().isEmpty() && !t.maxValue().isEmpty()) {
                        out.put(e.getKey(), new dev.layerwise.core.quant.TensorRange((float) (double) t.minValue().get(0),
                                (float) (double) t.maxValue().get(0)));
                    }
                }
            }
            return out;
        }
        for (Map.Entry<String, TensorEntry> e : cfg.parameters().entrySet()) {
            String layerName = QuantConfig.layerOf(e.getKey());
            String port = QuantConfig.portOf(e.getKey());
            if (!port.startsWith("out") || e.getValue().minValue().isEmpty() || e.getValue().maxValue().isEmpty()) {
                continue;
            }
            boolean isInput = graph.inputs().stream().anyMatch(i -> i.name().equals(layerName));
            Layer l = graph.layer(layerName);
            if (l == null && !isInput) {
                continue;
            }
            String tensor = tensorOf(graph, l, isInput ? layerName : null, port);
            if (tensor != null) {
                out.put(tensor, new dev.layerwise.core.quant.TensorRange((float) (double) e.getValue().minValue().get(0),
                        (float) (double) e.getValue().maxValue().get(0)));
            }
        }
        return out;
    }

    /** A per-channel weight entry: one value per output channel in every list. */
    static TensorEntry channelEntry(QuantizedTensor w) {
        QuantParams[] ch = w.channels();
        QuantParams p = w.params();
        List<Double> max = new ArrayList<>();
        List<Double> min = new ArrayList<>();
        List<Long> zp = new ArrayList<>();
        List<Double> scale = new ArrayList<>();
        List<Long> fl = new ArrayList<>();
        for (QuantParams c : ch) {
            max.add((double) c.max());
            min.add((double) c.min());
            if (p.type().isDynamicFixedPoint()) {
                fl.add((long) c.fl());
            } else {
                zp.add((long) c.zeroPoint());
                scale.add((double) c.scale());
            }
        }
        return new TensorEntry(p.type().dtype(), "channel", max, min, zp, scale, p.type().qtype(), fl);
    }

    static TensorEntry entry(QuantParams p, String method) {
        if (!p.type().isQuantized()) {
            return new TensorEntry("None", null, List.of(), List.of(), List.of(), List.of(), null, List.of());
        }
        if (!p.type().isInteger()) {
            // half precision has no grid to write down
            return new TensorEntry(p.type().dtype(), null, List.of(), List.of(), List.of(), List.of(), p.type().qtype(), List.of());
        }
        if (p.type().isDynamicFixedPoint()) {
            return new TensorEntry(p.type().dtype(), method, List.of((double) p.max()), List.of((double) p.min()), List.of(),
                    List.of(), p.type().qtype(), List.of((long) p.fl()));
        }
        return new TensorEntry(p.type().dtype(), method, List.of((double) p.max()), List.of((double) p.min()),
                List.of((long) p.zeroPoint()), List.of((double) p.scale()), p.type().qtype(), List.of());
    }

    /**
     * Reads a cfg against a model.
     *
     * @param normal the plan the model gets without the cfg (every layer in the default type)
     * @param planner makes the plan for a set of per-layer types; entries are compared with the
     *     plan of the cfg's own types, so values that follow from a promotion (a promoted layer's
     *     neighbours, a consumer's bias scale) are not mistaken for hand edits
     * @param source the cfg's text (for line numbers) and {@code name} its file
     * @throws ConfigException listing every unknown layer (with the closest names) and every
     *     unknown dtype (with the allowed ones), each with its line
     */
    public static Applied fromConfig(QuantConfig cfg, LayerGraph graph, QuantPlan normal,
            java.util.function.Function<Map<String, QuantType>, QuantPlan> planner, String source, String name)
            throws ConfigException {
        if (cfg.toolkit() == Toolkit.TOOLKIT2) {
            Toolkit2Layout.Translated t = Toolkit2Layout.toToolkit1(cfg, graph, source, name);
            Applied inner;
            try {
                inner = fromConfig(t.cfg(), graph, normal, planner, source, name);
            } catch (ConfigException e) {
                throw new ConfigException(t.inFileTerms(e.getMessage(), source, name), e);
            }
            Map<String, String> names = new LinkedHashMap<>(t.vendorNames());
            names.putAll(inner.vendorNames());
            List<String> allNotes = new ArrayList<>(t.notes());
            inner.notes().forEach(n -> allNotes.add(t.inFileTerms(n, source, name)));
            return new Applied(inner.overrides(), inner.paramOverrides(), names, allNotes);
        }
        Picks picks = picksOf(cfg, graph, normal.defaultType(), source, name);
        Map<String, QuantType> overrides = picks.types();
        Map<String, String> vendorNames = picks.vendorNames();
        List<String> notes = new ArrayList<>(picks.notes());
        QuantPlan computed = overrides.isEmpty() ? normal : planner.apply(overrides);

        Map<String, QuantParams> params = new LinkedHashMap<>();
        int unchanged = 0;
        for (Map.Entry<String, TensorEntry> e : cfg.parameters().entrySet()) {
            String key = e.getKey();
            String layerName = QuantConfig.layerOf(key);
            String port = QuantConfig.portOf(key);
            String ours = resolve(layerName, graph);
            boolean isInput = graph.inputs().stream().anyMatch(i -> i.name().equals(layerName));
            if (ours == null && !isInput) {
                notes.add("not applied: " + key + " (line " + ConfigFile.lineOf(source, key) + ") names no layer of the model");
                continue;
            }
            String tensor = tensorOf(graph, isInput ? null : graph.layer(ours), isInput ? layerName : null, port);
            if (tensor == null) {
                notes.add("not applied: " + key + ": " + (isInput ? "input " + layerName : "layer " + ours) + " has no port '"
                        + port + "'");
                continue;
            }
            if (ours != null && !ours.equals(layerName)) {
                // a vendor cfg: its parameters come from the vendor's calibration, ours from our own
                notes.add("not applied: " + key + ": parameters of a vendor cfg are not imported (Layerwise calibrates itself)");
                continue;
            }
            QuantParams current = paramsOf(computed, ours, port, tensor);
            QuantParams before = paramsOf(normal, ours, port, tensor);
            TensorEntry t = e.getValue();
            String written = t.dtype() == null || t.dtype().equals("None") ? QuantType.FLOAT32.dtype() : t.dtype();
            if (!written.equals(current.type().dtype())) {
                if (written.equals(before.type().dtype())) {
                    // the entry describes the tensor before the cfg's own type changes reached it
                    notes.add("recomputed: " + key + ": now " + current.type() + " after the type changes in "
                            + "customized_quantize_layers" + (port.startsWith("out") && current.type().isInteger()
                                    ? " (range kept)" : ""));
                    continue;
                }
                throw new ConfigException(where(name, ConfigFile.lineOf(source, key)) + key + ": dtype '" + t.dtype()
                        + "' differs from the layer's " + current.type().dtype()
                        + "; change the layer's type in customized_quantize_layers instead");
            }
            QuantizedTensor constant = port.equals("weight") ? computed.weight(ours) : port.equals("bias") ? computed.bias(ours) : null;
            if (constant != null && constant.perChannel() || "channel".equals(t.method())) {
                TensorEntry now = port.equals("weight") && constant != null && constant.perChannel() ? channelEntry(constant) : null;
                if (now != null && now.equals(t) || port.equals("bias")) {
                    unchanged++;
                } else {
                    notes.add("not applied: " + key + ": per-channel parameters are recomputed from the weights; edit per-tensor "
                            + "entries or pick the layer's type instead");
                }
                continue;
            }
            QuantParams edited;
            try {
                edited = edited(t, current);
                if (edited != null && !before.equals(current) && edited(t, before) == null) {
                    // written for the normal plan; a type change elsewhere moved it (e.g. a bias
                    // whose input scale changed): it follows the types, it is not a hand edit
                    notes.add("recomputed: " + key + ": follows the type changes in customized_quantize_layers");
                    continue;
                }
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(where(name, ConfigFile.lineOf(source, key)) + key + ": " + ex.getMessage());
            }
            if (edited == null) {
                unchanged++;
                continue;
            }
            params.put(tensor, edited);
            notes.add("applied: " + key + " hand-edited: scale " + current.scale() + " -> " + edited.scale() + ", zero_point "
                    + current.zeroPoint() + " -> " + edited.zeroPoint() + (edited.type().isDynamicFixedPoint()
                            ? ", fl " + current.fl() + " -> " + edited.fl() : ""));
        }
        if (unchanged > 0) {
            notes.add(unchanged + " parameter entries match the calibration and need no change");
        }
        return new Applied(overrides, params, vendorNames, notes);
    }

    /**
     * The per-layer types a cfg asks for, in Toolkit 1 terms.
     *
     * @param types our layer name to its type; layers given the default type are left out
     * @param vendorNames our layer name to the name the cfg used, where they differ
     * @param notes names that were mapped, and picks that change nothing
     */
    public record Picks(Map<String, QuantType> types, Map<String, String> vendorNames, List<String> notes) {
        public Picks {
            types = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(types));
            vendorNames = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vendorNames));
            notes = List.copyOf(notes);
        }
    }

    /**
     * Reads only the picks of a cfg of either layout (its {@code customized_quantize_layers} or
     * {@code custom_quantize_layers}), without calibration: what a hand-off to the vendor's
     * toolkit needs.
     *
     * @param defaultType the model-wide type: picks of that type change nothing and are noted
     * @throws ConfigException listing every unknown layer or tensor (with the closest names) and
     *     every unknown dtype, each with its line
     */
    public static Picks picks(QuantConfig cfg, LayerGraph graph, QuantType defaultType, String source, String name)
            throws ConfigException {
        if (cfg.toolkit() == Toolkit.TOOLKIT2) {
            Toolkit2Layout.Translated t = Toolkit2Layout.toToolkit1(cfg, graph, source, name);
            Picks inner = picksOf(t.cfg(), graph, defaultType, source, name);
            Map<String, String> names = new LinkedHashMap<>(t.vendorNames());
            names.putAll(inner.vendorNames());
            List<String> notes = new ArrayList<>(t.notes());
            notes.addAll(inner.notes());
            return new Picks(inner.types(), names, notes);
        }
        return picksOf(cfg, graph, defaultType, source, name);
    }

    private static Picks picksOf(QuantConfig cfg, LayerGraph graph, QuantType defaultType, String source, String name)
            throws ConfigException {
        List<String> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, QuantType> overrides = new LinkedHashMap<>();
        Map<String, String> vendorNames = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : cfg.customizedLayers().entrySet()) {
            String given = e.getKey();
            int line = ConfigFile.lineOf(source, given + ":");
            String ours = resolve(given, graph);
            QuantType type = null;
            try {
                type = QuantType.parse(e.getValue());
            } catch (IllegalArgumentException ex) {
                errors.add(where(name, line) + "layer '" + given + "': unknown dtype '" + e.getValue() + "'; allowed: "
                        + QuantType.allowedNames());
            }
            if (ours == null) {
                errors.add(where(name, line) + "no layer named '" + given + "' in the model; closest: "
                        + String.join(", ", closest(given, graph.layerNames(), 3)));
                continue;
            }
            if (type == null) {
                continue;
            }
            if (!ours.equals(given)) {
                vendorNames.put(ours, given);
                notes.add("'" + given + "' mapped to layer " + ours);
            }
            if (overrides.containsKey(ours) && overrides.get(ours) != type) {
                errors.add(where(name, line) + "layer " + ours + " is given twice with different dtypes ("
                        + overrides.get(ours) + ", " + type + ")");
                continue;
            }
            if (type == defaultType) {
                notes.add(ours + ": " + type + " is the default type; nothing to change");
                continue;
            }
            overrides.put(ours, type);
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(String.join("; ", errors));
        }
        return new Picks(overrides, vendorNames, notes);
    }

    private static QuantParams paramsOf(QuantPlan plan, String layer, String port, String tensor) {
        return port.equals("weight") ? weightParams(plan, layer) : port.equals("bias") ? biasParams(plan, layer) : plan.params(tensor);
    }

    private static QuantParams weightParams(QuantPlan plan, String layer) {
        QuantizedTensor w = plan.weight(layer);
        return w == null ? QuantParams.FLOAT : w.params();
    }

    private static QuantParams biasParams(QuantPlan plan, String layer) {
        QuantizedTensor b = plan.bias(layer);
        return b == null ? QuantParams.FLOAT : b.params();
    }

    private static String tensorOf(LayerGraph graph, Layer l, String input, String port) {
        if (input != null) {
            return port.equals("out0") ? input : null;
        }
        if (port.startsWith("out")) {
            try {
                int k = Integer.parseInt(port.substring(3));
                return k < l.outputs().size() ? l.outputs().get(k) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return switch (port) {
            case "weight" -> l.weight();
            case "bias" -> l.bias();
            default -> null;
        };
    }

    /**
     * The parameters an entry asks for, or {@code null} when it equals {@code current}. A changed
     * scale, zero point or fl is taken as given; a changed min or max alone recomputes the
     * parameters from the new range.
     */
    static QuantParams edited(TensorEntry t, QuantParams current) {
        if (!current.type().isInteger() || t.dtype() == null || t.dtype().equals("None")) {
            return null;
        }
        if (!t.dtype().equals(current.type().dtype())) {
            throw new IllegalArgumentException("dtype '" + t.dtype() + "' differs from the layer's " + current.type().dtype()
                    + "; change the layer's type in customized_quantize_layers instead");
        }
        Float min = first(t.minValue());
        Float max = first(t.maxValue());
        boolean rangeChanged = min != null && min != current.min() || max != null && max != current.max();
        if (current.type().isDynamicFixedPoint()) {
            Long fl = t.fl().isEmpty() ? null : t.fl().get(0);
            if (fl != null && fl != current.fl()) {
                if (fl < -64 || fl > 64) {
                    throw new IllegalArgumentException("fl " + fl + " is out of range; fraction lengths lie within [-64, 64]");
                }
                return new QuantParams(current.type(), (float) Math.scalb(1.0, (int) -fl), 0, (int) (long) fl,
                        min == null ? current.min() : min, max == null ? current.max() : max);
            }
        } else {
            Float scale = first(t.scale());
            Long zp = t.zeroPoint().isEmpty() ? null : t.zeroPoint().get(0);
            boolean scaleChanged = scale != null && scale != current.scale();
            boolean zpChanged = zp != null && zp != current.zeroPoint();
            if (scaleChanged || zpChanged) {
                float s = scale == null ? current.scale() : scale;
                if (!(s > 0) || !Float.isFinite(s)) {
                    throw new IllegalArgumentException("scale must be a positive number, got " + s);
                }
                long z = zp == null ? current.zeroPoint() : zp;
                if (current.type() == QuantType.ASYMMETRIC_AFFINE_U8 && (z < 0 || z > 255)) {
                    throw new IllegalArgumentException("zero_point must be in [0, 255] for u8, got " + z);
                }
                return new QuantParams(current.type(), s, (int) z, 0, min == null ? current.min() : min,
                        max == null ? current.max() : max);
            }
        }
        if (rangeChanged) {
            float lo = min == null ? current.min() : min;
            float hi = max == null ? current.max() : max;
            if (lo > hi) {
                throw new IllegalArgumentException("min_value " + lo + " is above max_value " + hi);
            }
            return QuantParams.forRange(current.type(), lo, hi);
        }
        return null;
    }

    private static Float first(List<Double> v) {
        return v.isEmpty() ? null : (float) (double) v.get(0);
    }

    /**
     * Our layer for a name in a cfg: the name itself, or — for names the vendor's toolkit wrote,
     * such as {@code Conv_Conv_434_142} — the longest layer name embedded in it between
     * underscores (or slashes). {@code null} when nothing matches.
     */
    public static String resolve(String given, LayerGraph graph) {
        if (graph.layer(given) != null) {
            return given;
        }
        String best = null;
        for (String n : graph.layerNames()) {
            if (n.length() > given.length() || best != null && n.length() <= best.length()) {
                continue;
            }
            int from = 0;
            while (true) {
                int i = given.indexOf(n, from);
                if (i < 0) {
                    break;
                }
                int end = i + n.length();
                boolean startOk = i == 0 || isSeparator(given.charAt(i - 1));
                boolean endOk = end == given.length() || isSeparator(given.charAt(end));
                if (startOk && endOk) {
                    best = n;
                    break;
                }
                from = i + 1;
            }
        }
        return best;
    }

    private static boolean isSeparator(char c) {
        return c == '_' || c == '/' || c == ':' || c == '.';
    }

    /** Up to {@code k} names closest to {@code given} by edit distance. */
    public static List<String> closest(String given, List<String> names, int k) {
        // among equally distant names, the one sharing the longest start is the likelier typo
        return names.stream().sorted(Comparator.comparingInt((String n) -> distance(given, n))
                .thenComparing(n -> -commonPrefix(given, n)).thenComparing(n -> n)).limit(k).collect(Collectors.toList());
    }

    private static int commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String where(String name, int line) {
        return name + (line > 0 ? " line " + line : "") + ": ";
    }
}
