package dev.layerwise.core.quant;

import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.GraphCut;
import dev.layerwise.core.onnx.GraphEdits;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.Tensors;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.OperatorSetIdProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Builds ONNX graphs with QuantizeLinear/DequantizeLinear pairs ({@code com.microsoft} domain, so
 * uint8, int8 and int16 all work whatever the model's opset) from a {@link QuantPlan}:
 * <ul>
 *   <li>{@link #fakeQuantized}: the quantized model users export and run in any ONNX Runtime;</li>
 *   <li>{@link #analysis}: one graph holding the float model, the quantized model (tensors
 *       suffixed {@value #ENTIRE}) and, for every quantized layer, a quantized copy fed by
 *       fake-quantized float inputs (suffixed {@value #INDIVIDUAL}). One run per image gives
 *       every layer's float, entire and individual outputs.</li>
 * </ul>
 * Weights are stored quantized with a DequantizeLinear node; biases as int32. A float16 layer gets
 * Cast-to-float16-and-back pairs on its activation inputs and outputs and half weights with a Cast,
 * so the exported model computes what an fp16 path would. Dynamic fixed point
 * gets a {@code Max} before QuantizeLinear so the low end saturates at {@code -(2^(bw-1) - 1)}
 * like the formula, not at ORT's {@code -2^(bw-1)}. Not thread-safe; one builder per graph.
 */
public final class QuantGraphBuilder {

    /** Suffix of the quantized model's tensors inside the analysis graph ({@link GraphEdits#ENTIRE}). */
    public static final String ENTIRE = GraphEdits.ENTIRE;
    /** Suffix of the individual quantized layer outputs inside the analysis graph ({@link GraphEdits#INDIVIDUAL}). */
    public static final String INDIVIDUAL = GraphEdits.INDIVIDUAL;
    static final String HALF_SUFFIX = GraphEdits.HALF;
    static final String HALF_INPUT_SUFFIX = GraphEdits.HALF_INPUT;

    private final LayerGraph graph;
    private final QuantPlan plan;
    private final GraphProto.Builder out = GraphProto.newBuilder();
    private final Set<String> initializers = new HashSet<>();
    private final Map<String, String> fakeQuantizedFloat = new LinkedHashMap<>();
    private final Map<String, String> halfInputs = new LinkedHashMap<>();
    /** Dequantized tensors by name with the parameters of their integer tensor ({@code name + INTEGER}). */
    private final Map<String, QuantParams> integers = new java.util.HashMap<>();
    /** Graphs for ONNX Runtime only: layers its integer kernels run slowly are written as {@link IntegerDepthwise}. */
    private final boolean integerKernels;

    private QuantGraphBuilder(LayerGraph graph, QuantPlan plan, boolean integerKernels) {
        this.graph = graph;
        this.plan = plan;
        this.integerKernels = integerKernels;
    }

    /** The quantized model: same inputs and outputs as the float model, plain QuantizeLinear / DequantizeLinear. */
    public static ModelProto fakeQuantized(LayerGraph graph, QuantPlan plan) {
        return fakeQuantized(graph, plan, false);
    }

    /**
     * The quantized model for an ONNX Runtime session of this process: the outputs of
     * {@link #fakeQuantized} bit for bit, with the layers ONNX Runtime's integer kernels run slowly
     * written as {@link IntegerDepthwise} (not for export: other runtimes would run its float ops as floats).
     */
    public static ModelProto fakeQuantizedForSession(LayerGraph graph, QuantPlan plan) {
        return fakeQuantized(graph, plan, true);
    }

    private static ModelProto fakeQuantized(LayerGraph graph, QuantPlan plan, boolean integerKernels) {
        QuantGraphBuilder b = new QuantGraphBuilder(graph, plan, integerKernels);
        GraphProto src = graph.model().graph();
        Map<String, String> names = new LinkedHashMap<>();
        b.emitInputs(names, GraphEdits.ENTIRE);
        b.emitNetwork(names, "", true);
        GraphProto.Builder g = src.toBuilder().clearNode().addAllNode(b.out.getNodeList());
        return b.finish(g, List.of());
    }

    /**
     * The analysis graph. Its outputs are, for every layer output {@code o}: {@code o} (float),
     * {@code o + ENTIRE} (quantized model) and, for quantized layers, {@code o + INDIVIDUAL}.
     */
    public static ModelProto analysis(LayerGraph graph, QuantPlan plan) {
        return analysis(graph, plan, true);
    }

    /**
     * The analysis graph, its slow integer layers written for ONNX Runtime's fast kernels
     * ({@code integerKernels}, what {@link #analysis(LayerGraph, QuantPlan)} builds) or left as
     * plain QuantizeLinear / DequantizeLinear (tests compare the two).
     */
    public static ModelProto analysis(LayerGraph graph, QuantPlan plan, boolean integerKernels) {
        QuantGraphBuilder b = new QuantGraphBuilder(graph, plan, integerKernels);
        GraphProto src = graph.model().graph();
        b.out.addAllNode(src.getNodeList());
        Map<String, String> names = new LinkedHashMap<>();
        b.emitInputs(names, ENTIRE);
        b.emitNetwork(names, ENTIRE, false);
        for (Layer l : graph.layers()) {
            if (plan.typeOf(l.name()).isQuantized()) {
                b.emitLayer(l, b::fakeQuantizedFloat, o -> o + INDIVIDUAL, INDIVIDUAL);
            }
        }
        List<String> outputs = new java.util.ArrayList<>();
        for (Layer l : graph.layers()) {
            for (String o : l.outputs()) {
                outputs.add(o);
                outputs.add(o + ENTIRE);
                if (plan.typeOf(l.name()).isQuantized()) {
                    outputs.add(o + INDIVIDUAL);
                }
            }
        }
        GraphProto.Builder g = src.toBuilder().clearNode().addAllNode(b.out.getNodeList());
        return b.finish(g, outputs);
    }

    /**
     * The analysis graph without its float network, as {@code count} models of about equal size (a
     * session each, created on threads of their own): together their outputs are the quantized
     * network's ({@code o + ENTIRE} for every layer output, then {@code o + INDIVIDUAL} for those of
     * quantized layers), split in that order. A part takes the float layer outputs it reads (the
     * individual copies' inputs) as graph inputs, from a session on {@link #floatLayers}. Each part
     * holds the analysis graph's own nodes unchanged, so ONNX Runtime computes what it computes
     * inside the whole graph (decision 0025).
     *
     * @param floatShapes every layer output, with its shape: the float tensors a part may take as inputs
     * @param count how many parts, at least 1; fewer when there are fewer outputs
     */
    public static List<ModelProto> analysisParts(LayerGraph graph, QuantPlan plan, Map<String, long[]> floatShapes,
            int count) {
        List<String> outputs = new java.util.ArrayList<>();
        List<String> individual = new java.util.ArrayList<>();
        for (Layer l : graph.layers()) {
            boolean quantized = plan.typeOf(l.name()).isQuantized();
            for (String o : l.outputs()) {
                outputs.add(o + ENTIRE);
                if (quantized) {
                    individual.add(o + INDIVIDUAL);
                }
            }
        }
        outputs.addAll(individual);
        GraphCut cut = new GraphCut(analysis(graph, plan), floatShapes);
        // ORT's creation time follows the node count: each part is the shortest prefix of what is
        // left whose nodes are at least those of one of the parts after it (shared nodes, such as
        // a weight's DequantizeLinear, count in every part that needs them)
        List<ModelProto> parts = new java.util.ArrayList<>();
        int from = 0;
        for (int k = count; k > 1 && outputs.size() - from > 1; k--) {
            List<String> rest = outputs.subList(from, outputs.size());
            int lo = 1;
            int hi = rest.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if ((long) cut.nodeCount(rest.subList(0, mid)) * (k - 1) < cut.nodeCount(rest.subList(mid, rest.size()))) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            parts.add(cut.part(List.copyOf(rest.subList(0, lo))));
            from += lo;
        }
        parts.add(cut.part(List.copyOf(outputs.subList(from, outputs.size()))));
        return parts;
    }

    /**
     * The float model with every layer output exposed, in layer order (the float network of the
     * analysis graph): it depends on no plan, so one session on it serves every analysis of the graph.
     */
    public static ModelProto floatLayers(LayerGraph graph) {
        List<String> outputs = new java.util.ArrayList<>();
        for (Layer l : graph.layers()) {
            outputs.addAll(l.outputs());
        }
        return new GraphCut(graph.model().proto(), Map.of()).part(outputs);
    }

    private ModelProto finish(GraphProto.Builder g, List<String> extraOutputs) {
        for (TensorProto t : out.getInitializerList()) {
            g.addInitializer(t);
        }
        Set<String> have = new HashSet<>();
        for (ValueInfoProto o : g.getOutputList()) {
            have.add(o.getName());
        }
        for (String o : extraOutputs) {
            if (have.add(o)) {
                g.addOutput(Nodes.output(o));
            }
        }
        // drop float weights the quantized copies replaced
        Set<String> used = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            used.addAll(dev.layerwise.core.onnx.Subgraphs.reads(n));
        }
        for (ValueInfoProto o : g.getOutputList()) {
            used.add(o.getName());
        }
        List<TensorProto> kept = g.getInitializerList().stream().filter(t -> used.contains(t.getName())).toList();
        g.clearInitializer().addAllInitializer(kept);
        ModelProto.Builder m = graph.model().proto().toBuilder().setGraph(g);
        boolean hasMs = m.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals(Nodes.MS_DOMAIN));
        if (!hasMs) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(Nodes.MS_DOMAIN).setVersion(1));
        }
        return m.build();
    }

    private void emitInputs(Map<String, String> names, String suffix) {
        for (LayerGraph.Input in : graph.inputs()) {
            QuantParams p = plan.params(in.name());
            if (p.type().isQuantized()) {
                String dst = in.name() + suffix;
                emitFakeQuant(in.name(), dst, p);
                names.put(in.name(), dst);
                fakeQuantizedFloat.put(in.name(), dst);
            }
        }
    }

    /** Emits every layer (and, for export, the nodes outside layers) in graph order. */
    private void emitNetwork(Map<String, String> names, String suffix, boolean withNonLayerNodes) {
        Set<NodeProto> nonLayer = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        nonLayer.addAll(graph.nonLayerNodes());
        Map<NodeProto, Layer> firstNode = new java.util.IdentityHashMap<>();
        for (Layer l : graph.layers()) {
            firstNode.put(graph.node(l.nodes().get(0)), l);
        }
        UnaryOperator<String> in = t -> names.getOrDefault(t, t);
        for (NodeProto n : graph.model().graph().getNodeList()) {
            if (nonLayer.contains(n)) {
                if (withNonLayerNodes) {
                    out.addNode(n);
                }
                continue;
            }
            Layer l = firstNode.get(n);
            if (l == null) {
                continue;
            }
            emitLayer(l, in, o -> o + suffix, suffix);
            for (String o : l.outputs()) {
                names.put(o, o + suffix);
            }
        }
    }

    /**
     * Emits a copy of a layer's nodes.
     *
     * @param input name of an activation input inside the copy
     * @param output name of a layer output after its quantization point
     * @param suffix added to node names and to tensors internal to the layer
     */
    private void emitLayer(Layer l, UnaryOperator<String> input, UnaryOperator<String> output, String suffix) {
        QuantizedTensor w = plan.weight(l.name());
        QuantizedTensor b = plan.bias(l.name());
        Set<String> internal = new HashSet<>();
        List<String[]> pendingFq = new java.util.ArrayList<>();
        boolean halfLayer = plan.typeOf(l.name()) == QuantType.FLOAT16;
        for (String memberName : l.nodes()) {
            NodeProto m = graph.node(memberName);
            // only on an input straight from a QuantizeLinear / DequantizeLinear pair, which ONNX Runtime always
            // fuses with the Conv; through layers that only move values it may not (a Split), and the numbers would differ
            String xInteger = integerKernels && memberName.equals(l.nodes().get(0)) && !l.inputs().isEmpty()
                    ? integerInput(input.apply(m.getInput(0)), l.inputs().get(0)) : null;
            if (xInteger != null && IntegerDepthwise.appliesTo(l, m, plan)) {
                String y;
                if (l.activation() == null) {
                    y = output.apply(m.getOutput(0));
                    integers.put(y, plan.params(m.getOutput(0)));
                } else {
                    y = outputName(l, m.getOutput(0), output, suffix, internal, pendingFq);
                }
                IntegerDepthwise.emit(out, initializers, l, m, plan, xInteger, y, this::quantParams);
                continue;
            }
            NodeProto.Builder nb = m.toBuilder().setName(m.getName().isEmpty() ? memberName + suffix : m.getName() + suffix);
            UnaryOperator<String> mapped = t -> {
                if (t.isEmpty() || graph.isConstant(t) && !(w != null && t.equals(l.weight())) && !(b != null && t.equals(l.bias()))) {
                    return t;
                } else if (w != null && t.equals(l.weight())) {
                    return constantDq(w);
                } else if (b != null && t.equals(l.bias())) {
                    return constantDq(b);
                } else if (internal.contains(t)) {
                    return t + suffix;
                }
                String in = input.apply(t);
                return halfLayer && l.inputs().contains(t) ? halfInput(t, in) : in;
            };
            for (int i = 0; i < m.getInputCount(); i++) {
                nb.setInput(i, mapped.apply(m.getInput(i)));
            }
            // a branch of an If (or a Loop's body) reads the copy's tensors as the node's inputs do
            dev.layerwise.core.onnx.Subgraphs.renameOuterReads(nb, mapped);
            for (int i = 0; i < m.getOutputCount(); i++) {
                String o = m.getOutput(i);
                if (!o.isEmpty()) {
                    nb.setOutput(i, outputName(l, o, output, suffix, internal, pendingFq));
                }
            }
            out.addNode(nb);
        }
        for (String[] fq : pendingFq) {
            emitFakeQuant(fq[0], fq[1], plan.params(fq[2]));
        }
    }

    /** The integer tensor the dequantized {@code mapped} was made from with the parameters of {@code original}, or null. */
    private String integerInput(String mapped, String original) {
        QuantParams p = integers.get(mapped);
        return p != null && p.equals(plan.params(original)) ? mapped + GraphEdits.INTEGER : null;
    }

    /**
     * The name a member node's output {@code o} gets inside the copy: a layer output that is
     * quantized is written raw and its QuantizeLinear / DequantizeLinear pair queued; an internal
     * tensor gets the suffix.
     */
    private String outputName(Layer l, String o, UnaryOperator<String> output, String suffix, Set<String> internal,
            List<String[]> pendingFq) {
        if (!l.outputs().contains(o)) {
            internal.add(o);
            return o + suffix;
        }
        String dst = output.apply(o);
        if (!needsFakeQuant(l, o)) {
            return dst;
        }
        String raw = dst + GraphEdits.RAW;
        pendingFq.add(new String[] {raw, dst, o});
        return raw;
    }

    private boolean needsFakeQuant(Layer l, String output) {
        QuantParams p = plan.params(output);
        if (!p.type().isQuantized()) {
            return false;
        }
        // quantizing again with the input's own parameters changes nothing
        return !(l.valuePreserving() && !l.inputs().isEmpty() && p.equals(plan.params(l.inputs().get(0))));
    }

    /** The float tensor {@code t} fake-quantized with its own parameters (emitted once). */
    private String fakeQuantizedFloat(String t) {
        String have = fakeQuantizedFloat.get(t);
        if (have != null) {
            return have;
        }
        QuantParams p = plan.params(t);
        if (!p.type().isQuantized()) {
            return t;
        }
        String dst = t + GraphEdits.FAKE_QUANT;
        emitFakeQuant(t, dst, p);
        fakeQuantizedFloat.put(t, dst);
        return dst;
    }

    private void emitFakeQuant(String src, String dst, QuantParams p) {
        if (p.type() == QuantType.FLOAT16) {
            emitHalf(src, dst);
            return;
        }
        String key = quantParams(p);
        String scale = key + GraphEdits.SCALE;
        String zp = key + GraphEdits.ZERO_POINT;
        String qIn = src;
        if (p.type().isDynamicFixedPoint()) {
            String lo = key + GraphEdits.LOW;
            if (initializers.add(lo)) {
                out.addInitializer(Tensors.scalar(lo, -p.qmax() * p.scale()));
            }
            qIn = dst + GraphEdits.CLIPPED;
            out.addNode(Nodes.node("Max", GraphEdits.NODE_CLIP + dst, List.of(src, lo), List.of(qIn)));
        }
        integers.put(dst, p);
        out.addNode(ms(Nodes.node("QuantizeLinear", GraphEdits.NODE_QUANTIZE + dst, List.of(qIn, scale, zp), List.of(dst + GraphEdits.INTEGER))));
        out.addNode(ms(Nodes.node("DequantizeLinear", GraphEdits.NODE_DEQUANTIZE + dst, List.of(dst + GraphEdits.INTEGER, scale, zp), List.of(dst))));
    }

    /**
     * Makes the graph's shared scale and zero point initializers of {@code p} (once) and returns
     * their common prefix: the names are it + {@link GraphEdits#SCALE} and + {@link GraphEdits#ZERO_POINT}.
     */
    private String quantParams(QuantParams p) {
        String key = paramKey(p);
        if (initializers.add(key + GraphEdits.SCALE)) {
            out.addInitializer(Tensors.scalar(key + GraphEdits.SCALE, p.scale()));
            out.addInitializer(Tensors.ints(key + GraphEdits.ZERO_POINT, storage(p.type()), new long[0], new int[] {p.zeroPoint()}));
        }
        return key;
    }

    /** {@code dst = float32(float16(src))}: two standard Casts, which round to nearest even. */
    private void emitHalf(String src, String dst) {
        out.addNode(Nodes.node("Cast", GraphEdits.NODE_TO_HALF + dst, List.of(src), List.of(dst + HALF_SUFFIX),
                Nodes.attr("to", (long) DataType.FLOAT16_VALUE)));
        out.addNode(Nodes.node("Cast", GraphEdits.NODE_TO_FLOAT + dst, List.of(dst + HALF_SUFFIX), List.of(dst),
                Nodes.attr("to", (long) DataType.FLOAT_VALUE)));
    }

    /**
     * An activation input of a float16 layer, rounded to half precision as the fp16 path reads it
     * (once per tensor); unchanged when its producer already wrote halves.
     */
    private String halfInput(String original, String mapped) {
        if (plan.params(original).type() == QuantType.FLOAT16) {
            return mapped;
        }
        return halfInputs.computeIfAbsent(mapped, m -> {
            String dst = m + HALF_INPUT_SUFFIX;
            emitHalf(m, dst);
            return dst;
        });
    }

    /** Emits a quantized constant with its DequantizeLinear (once) and returns the float tensor name. */
    private String constantDq(QuantizedTensor c) {
        if (c.storage() == DataType.FLOAT16) {
            return halfConstant(c);
        }
        // a bias depends on its layer's input scale: its name tells the versions of one bias apart
        String tag = c.params().type().qtype() + (c.perChannel() ? "_pc" : "") + (c.storage() == DataType.INT32
                ? "_b" + Integer.toHexString(Float.floatToIntBits(c.params().scale())) + "_" + Integer.toHexString(c.valuesHash())
                : "");
        String q = c.name() + GraphEdits.SEPARATOR + tag;
        String dq = q + GraphEdits.DEQUANTIZED;
        if (initializers.add(q)) {
            out.addInitializer(Tensors.raw(q, c.storage(), c.shape(), c.data()));
            String scale = q + GraphEdits.SCALE;
            String zp = q + GraphEdits.ZERO_POINT;
            if (c.perChannel()) {
                int n = c.channels().length;
                float[] scales = new float[n];
                int[] zps = new int[n];
                for (int i = 0; i < n; i++) {
                    scales[i] = c.channels()[i].scale();
                    zps[i] = c.channels()[i].zeroPoint();
                }
                out.addInitializer(Tensors.floats(scale, new long[] {n}, scales));
                out.addInitializer(Tensors.ints(zp, c.storage(), new long[] {n}, zps));
                out.addNode(ms(Nodes.node("DequantizeLinear", GraphEdits.NODE_DEQUANTIZE + q, List.of(q, scale, zp), List.of(dq),
                        Nodes.attr("axis", (long) c.axis()))));
            } else {
                out.addInitializer(Tensors.scalar(scale, c.params().scale()));
                out.addInitializer(Tensors.ints(zp, c.storage(), new long[0], new int[] {c.params().zeroPoint()}));
                out.addNode(ms(Nodes.node("DequantizeLinear", GraphEdits.NODE_DEQUANTIZE + q, List.of(q, scale, zp), List.of(dq))));
            }
        }
        return dq;
    }

    /** A float16 constant stored as half bits with a Cast back to float32 (once). */
    private String halfConstant(QuantizedTensor c) {
        String h = c.name() + GraphEdits.HALF_CONSTANT + HALF_SUFFIX;
        String f = h + GraphEdits.BACK_TO_FLOAT;
        if (initializers.add(h)) {
            out.addInitializer(Tensors.raw(h, DataType.FLOAT16, c.shape(), c.data()));
            out.addNode(Nodes.node("Cast", GraphEdits.NODE_TO_FLOAT + h, List.of(h), List.of(f), Nodes.attr("to", (long) DataType.FLOAT_VALUE)));
        }
        return f;
    }

    private static String paramKey(QuantParams p) {
        return GraphEdits.QUANT_PARAMS + p.type().qtype() + "_" + Integer.toHexString(Float.floatToIntBits(p.scale())) + "_" + p.zeroPoint();
    }

    private static DataType storage(QuantType t) {
        return switch (t) {
            case ASYMMETRIC_AFFINE_U8 -> DataType.UINT8;
            case DYNAMIC_FIXED_POINT_I8 -> DataType.INT8;
            case DYNAMIC_FIXED_POINT_I16 -> DataType.INT16;
            case FLOAT16, FLOAT32 -> throw new IllegalArgumentException(t + " has no integer storage");
        };
    }

    private static NodeProto ms(NodeProto n) {
        return n.toBuilder().setDomain(Nodes.MS_DOMAIN).build();
    }
}
