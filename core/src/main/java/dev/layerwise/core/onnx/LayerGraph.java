package dev.layerwise.core.onnx;

import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model cut into NPU layers (DESIGN.md fusion rules), with the type and shape of every tensor
 * from one probe ({@link Probe}; ONNX Runtime's is {@code runtime.ShapeProbe}). Immutable once built; safe to share between threads.
 */
public final class LayerGraph {

    /** Activations the NPU fuses into the preceding compute op. */
    public static final Set<String> ACTIVATIONS =
            Set.of("Relu", "Clip", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "HardSwish");

    /** Ops that only move or select values; they keep their input's quantization. */
    public static final Set<String> VALUE_PRESERVING = Set.of("Reshape", "Transpose", "Flatten", "Squeeze",
            "Unsqueeze", "Identity", "Slice", "Split", "MaxPool", "Dropout");

    private static final Set<String> WEIGHTED = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");

    /** A float graph input. */
    public record Input(String name, long[] shape) {
    }

    /**
     * Refuses an input too large to feed before anything is allocated for it: one Java array
     * holds at most 2^31-1 values, and the input with the tensors computed from it must fit the
     * heap.
     */
    static void requireFeedable(String label, String input, long[] shape) throws ModelLoadException {
        String tooLarge = FloatTensor.tooLargeToFeed(shape);
        if (tooLarge != null) {
            throw new ModelLoadException(label + ": input '" + input + "' is " + tooLarge + ". Fix a smaller input size first");
        }
    }

    private final OnnxModel model;
    private final List<Layer> layers;
    private final Map<String, Layer> byName;
    private final Map<String, Layer> producer;
    /** Weights and biases of layers, as stored in the model (decoded to float only when asked). */
    private final Map<String, TensorProto> initializers;
    private final Set<String> constants;
    private final List<Input> inputs;
    private final List<String> outputs;
    private final Map<String, NodeProto> nodes;
    private final List<NodeProto> nonLayerNodes;
    private final Map<String, long[]> shapes;

    private LayerGraph(OnnxModel model, List<Layer> layers, Map<String, TensorProto> initializers, Set<String> constants,
            List<Input> inputs, List<String> outputs, Map<String, NodeProto> nodes, List<NodeProto> nonLayerNodes,
            Map<String, long[]> shapes) {
        this.shapes = Collections.unmodifiableMap(shapes);
        this.model = model;
        this.layers = List.copyOf(layers);
        this.initializers = Collections.unmodifiableMap(initializers);
        this.constants = Set.copyOf(constants);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.nodes = Collections.unmodifiableMap(nodes);
        this.nonLayerNodes = List.copyOf(nonLayerNodes);
        Map<String, Layer> n = new LinkedHashMap<>();
        Map<String, Layer> p = new HashMap<>();
        for (Layer l : layers) {
            n.put(l.name(), l);
            for (String o : l.outputs()) {
                p.put(o, l);
            }
        }
        this.byName = Collections.unmodifiableMap(n);
        this.producer = Collections.unmodifiableMap(p);
    }

    /**
     * What a probe tells about the tensors: which are float, and their shapes (batch 1).
     * Immutable.
     *
     * @param types for every tensor the probe saw, whether it is float
     * @param shapes shapes of the float tensors the probe computed
     */
    public record Probed(Map<String, Boolean> types, Map<String, long[]> shapes) {
        public Probed {
            types = Map.copyOf(types);
            shapes = Map.copyOf(shapes);
        }

        boolean isFloat(String tensor) {
            return Boolean.TRUE.equals(types.get(tensor));
        }

        /** Graph inputs and constants the probe did not report count as float. */
        boolean notKnownNonFloat(String tensor) {
            return types.getOrDefault(tensor, Boolean.TRUE);
        }
    }

    /**
     * Learns every tensor's type and shape, e.g. as ONNX Runtime infers them
     * ({@code runtime.ShapeProbe}). A seam so that the graph model needs no native library.
     */
    @FunctionalInterface
    public interface Probe {
        /**
         * @param inputs the float graph inputs, fixed sizes
         * @param tensors every node output to report on, in graph order
         */
        Probed probe(OnnxModel model, List<Input> inputs, List<String> tensors) throws ModelLoadException;
    }

    /**
     * Cuts {@code model} into layers; {@code probe} supplies every tensor's type and shape.
     *
     * @throws ModelLoadException when the model has non-float inputs, cannot be loaded by ORT, or
     *     its nodes are not in topological order
     */
    public static LayerGraph build(OnnxModel model, Probe probe) throws ModelLoadException {
        String label = model.label();
        GraphProto g = model.graph();
        Map<String, TensorProto> inits = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        List<Input> inputs = floatInputs(label, g, inits.keySet());
        List<String> graphOutputs = g.getOutputList().stream().map(ValueInfoProto::getName).toList();
        NodeScan nodes = NodeScan.of(label, g, inits.keySet());
        List<String> probeTensors = new ArrayList<>();
        for (NodeProto n : nodes.list()) {
            for (String o : n.getOutputList()) {
                if (!o.isEmpty()) {
                    probeTensors.add(o);
                }
            }
        }
        Probed probed = probe.probe(model, inputs, probeTensors);
        Cut cut = cut(nodes, inits, graphOutputs, probed);
        Map<String, TensorProto> floatInits = new LinkedHashMap<>();
        for (Layer l : cut.layers()) {
            for (String c : java.util.Arrays.asList(l.weight(), l.bias())) {
                if (c != null) {
                    TensorProto t = inits.get(c);
                    if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                        // refused here, when the model is opened, as when weights were decoded at once
                        Tensors.toFloat(t);
                    }
                    floatInits.put(c, t);
                }
            }
        }
        Map<String, long[]> shapes = new HashMap<>(probed.shapes());
        for (Input in : inputs) {
            shapes.put(in.name(), in.shape());
        }
        return new LayerGraph(model, cut.layers(), floatInits, nodes.constants(), inputs, graphOutputs, nodes.byName(),
                cut.nonLayer(), shapes);
    }

    /** The float graph inputs with fixed sizes (a dynamic batch becomes 1); anything else is refused by name. */
    static List<Input> floatInputs(String label, GraphProto g, Set<String> initializers) throws ModelLoadException {
        List<Input> inputs = new ArrayList<>();
        for (ValueInfoProto vi : g.getInputList()) {
            if (initializers.contains(vi.getName())) {
                continue;
            }
            int elem = vi.getType().getTensorType().getElemType();
            if (elem != TensorProto.DataType.FLOAT_VALUE) {
                throw new ModelLoadException(label + ": input '" + vi.getName() + "' is " + Tensors.typeName(elem)
                        + "; only float32 inputs are supported");
            }
            var dims = vi.getType().getTensorType().getShape().getDimList();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                var d = dims.get(i);
                if (d.hasDimValue() && d.getDimValue() > 0) {
                    shape[i] = d.getDimValue();
                } else if (i == 0) {
                    // a dynamic batch runs with batch 1, as every sample is one image
                    shape[i] = 1;
                } else {
                    throw new ModelLoadException(label + ": input '" + vi.getName() + "' has a dynamic dimension "
                            + (d.hasDimParam() && !d.getDimParam().isEmpty() ? "'" + d.getDimParam() + "' " : "") + "at position "
                            + i + "; quantization needs fixed sizes: give them with " + InputShapes.OPTION + " "
                            + vi.getName() + "=…");
                }
            }
            requireFeedable(label, vi.getName(), shape);
            inputs.add(new Input(vi.getName(), shape));
        }
        if (inputs.isEmpty()) {
            throw new ModelLoadException(label + ": the model has no float input");
        }
        return inputs;
    }

    /**
     * The nodes in graph order under unique names, and the tensors that are constant (folded away
     * by the NPU compiler: initializers, Constant nodes and nodes fed only by constants).
     */
    private record NodeScan(List<NodeProto> list, Map<String, NodeProto> byName, Set<String> constants) {

        static NodeScan of(String label, GraphProto g, Set<String> initializers) throws ModelLoadException {
            Set<String> constants = new HashSet<>(initializers);
            Set<String> produced = new HashSet<>();
            for (ValueInfoProto vi : g.getInputList()) {
                produced.add(vi.getName());
            }
            produced.addAll(initializers);
            List<NodeProto> nodeList = new ArrayList<>();
            Map<String, NodeProto> nodeByName = new LinkedHashMap<>();
            Map<String, Integer> seenNames = new HashMap<>();
            for (NodeProto n : g.getNodeList()) {
                List<String> reads = Subgraphs.reads(n);
                for (String in : reads) {
                    if (!in.isEmpty() && !produced.contains(in)) {
                        throw new ModelLoadException(label + ": node '" + n.getName() + "' (" + n.getOpType() + ") reads '" + in
                                + "' before any node writes it; the graph is not in topological order");
                    }
                }
                produced.addAll(n.getOutputList());
                boolean constant = n.getOpType().equals("Constant")
                        || reads.stream().allMatch(i -> i.isEmpty() || constants.contains(i));
                if (constant) {
                    constants.addAll(n.getOutputList());
                }
                String base = !n.getName().isEmpty() ? n.getName() : n.getOutputCount() > 0 ? n.getOutput(0) : n.getOpType();
                int k = seenNames.merge(base, 1, Integer::sum);
                String unique = k == 1 ? base : base + "_" + k;
                nodeList.add(n);
                nodeByName.put(unique, n);
            }
            return new NodeScan(nodeList, nodeByName, constants);
        }
    }

    /** The layers and the nodes outside every layer. */
    private record Cut(List<Layer> layers, List<NodeProto> nonLayer) {
    }

    /** Groups nodes into NPU layers: a compute op, a MatMul's bias Add, a fused activation. */
    private static Cut cut(NodeScan nodes, Map<String, TensorProto> inits, List<String> graphOutputs, Probed probed) {
        List<NodeProto> nodeList = nodes.list();
        Set<String> constants = nodes.constants();
        Map<String, Integer> consumers = new HashMap<>();
        Map<String, NodeProto> consumerOf = new HashMap<>();
        for (NodeProto n : nodeList) {
            for (String in : Subgraphs.reads(n)) {
                consumers.merge(in, 1, Integer::sum);
                consumerOf.putIfAbsent(in, n);
            }
        }
        for (String o : graphOutputs) {
            consumers.merge(o, 1, Integer::sum);
        }
        // each node's own position, by identity: a message's hashCode walks all its fields through
        // protobuf's reflection (~0.15 s of CPU on a cold start for the sample's nodes), and two equal
        // nodes cannot both be valid, as each would write the other's output tensors
        Map<NodeProto, Integer> position = new java.util.IdentityHashMap<>();
        for (int i = 0; i < nodeList.size(); i++) {
            position.putIfAbsent(nodeList.get(i), i);
        }
        List<Layer> layers = new ArrayList<>();
        List<NodeProto> nonLayer = new ArrayList<>();
        Set<NodeProto> fused = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<String> uniqueNames = new ArrayList<>(nodes.byName().keySet());
        for (int i = 0; i < nodeList.size(); i++) {
            NodeProto n = nodeList.get(i);
            if (fused.contains(n)) {
                continue;
            }
            boolean floatOut = n.getOutputList().stream().anyMatch(probed::isFloat);
            if (!floatOut || constants.contains(n.getOutput(0))) {
                nonLayer.add(n);
                continue;
            }
            List<NodeProto> members = new ArrayList<>(List.of(n));
            List<String> memberNames = new ArrayList<>(List.of(uniqueNames.get(i)));
            String op = n.getOpType();
            String weight = null;
            String bias = null;
            int axis = -1;
            if (WEIGHTED.contains(op) && n.getInputCount() > 1 && isFloatInit(inits, n.getInput(1))) {
                weight = n.getInput(1);
                axis = weightAxis(n, inits.get(weight).getDimsCount());
                if (n.getInputCount() > 2 && isFloatInit(inits, n.getInput(2))) {
                    bias = n.getInput(2);
                }
            }
            NodeProto last = n;
            // MatMul + Add(bias) is one layer on the NPU
            if (op.equals("MatMul") && weight != null && singleConsumer(last, consumers, graphOutputs)) {
                NodeProto next = consumerOf.get(last.getOutput(0));
                if (next != null && next.getOpType().equals("Add")) {
                    String other = next.getInput(0).equals(last.getOutput(0)) ? next.getInput(1) : next.getInput(0);
                    if (isFloatInit(inits, other)) {
                        bias = other;
                        members.add(next);
                        memberNames.add(uniqueNames.get(position.get(next)));
                        last = next;
                    }
                }
            }
            String activation = null;
            if (!VALUE_PRESERVING.contains(op) && !ACTIVATIONS.contains(op) && last.getOutputCount() == 1
                    && singleConsumer(last, consumers, graphOutputs)) {
                NodeProto next = consumerOf.get(last.getOutput(0));
                if (next != null && ACTIVATIONS.contains(next.getOpType()) && next.getInput(0).equals(last.getOutput(0))) {
                    activation = next.getOpType();
                    members.add(next);
                    memberNames.add(uniqueNames.get(position.get(next)));
                    last = next;
                }
            }
            fused.addAll(members);
            List<String> layerInputs = layerInputs(members, constants, probed);
            List<String> outs = last.getOutputList().stream().filter(o -> !o.isEmpty() && probed.isFloat(o)).toList();
            long[] shape = probed.shapes().getOrDefault(outs.get(0), new long[0]);
            layers.add(new Layer(layers.size(), memberNames.get(0), op, activation, memberNames, layerInputs, outs, weight,
                    bias, axis, VALUE_PRESERVING.contains(op), shape));
        }
        return new Cut(layers, nonLayer);
    }

    /** The axis of a weight that holds the output channels (per-channel quantization). */
    private static int weightAxis(NodeProto n, int rank) {
        return switch (n.getOpType()) {
            case "Conv" -> 0;
            case "ConvTranspose" -> 1;
            case "Gemm" -> Nodes.intAttr(n, "transB", 0) != 0 ? 0 : 1;
            default -> rank - 1;
        };
    }

    /** The float tensors a layer reads from outside itself, in order, constants left out. */
    private static List<String> layerInputs(List<NodeProto> members, Set<String> constants, Probed probed) {
        Set<String> internal = new HashSet<>();
        List<String> layerInputs = new ArrayList<>();
        for (NodeProto m : members) {
            for (String in : Subgraphs.reads(m)) {
                if (!in.isEmpty() && !constants.contains(in) && !internal.contains(in) && !layerInputs.contains(in)
                        && probed.notKnownNonFloat(in)) {
                    layerInputs.add(in);
                }
            }
            internal.addAll(m.getOutputList());
        }
        return layerInputs;
    }

    private static boolean isFloatInit(Map<String, TensorProto> inits, String name) {
        TensorProto t = inits.get(name);
        return t != null && t.getDataType() == TensorProto.DataType.FLOAT_VALUE;
    }

    private static boolean singleConsumer(NodeProto n, Map<String, Integer> consumers, List<String> graphOutputs) {
        String o = n.getOutput(0);
        return consumers.getOrDefault(o, 0) == 1 && !graphOutputs.contains(o);
    }

    public OnnxModel model() {
        return model;
    }

    public List<Layer> layers() {
        return layers;
    }

    public Layer layer(String name) {
        return byName.get(name);
    }

    /** Layer names in graph order. */
    public List<String> layerNames() {
        return List.copyOf(byName.keySet());
    }

    /** The layer that writes {@code tensor}, or {@code null} for graph inputs and constants. */
    public Layer producer(String tensor) {
        return producer.get(tensor);
    }

    /** Shape of a float tensor (batch 1) from the probe, or {@code null} if unknown. */
    public long[] shapeOf(String tensor) {
        long[] s = shapes.get(tensor);
        return s == null ? null : s.clone();
    }

    public List<Input> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    /**
     * The outputs the analysis and comparisons judge a model by: every graph output that a layer
     * writes (a float tensor), in the graph's output order. Integer outputs such as ArgMax indices
     * are skipped.
     *
     * @throws IllegalStateException when no graph output is a float layer output
     */
    public List<String> finalOutputs() {
        List<String> out = outputs.stream().filter(producer::containsKey).toList();
        if (out.isEmpty()) {
            throw new IllegalStateException("no graph output of the model is a float tensor written by a layer; outputs: "
                    + outputs);
        }
        return out;
    }

    /** {@link #finalOutputs()} with their shapes (batch 1), in order. */
    public Map<String, long[]> finalOutputShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String o : finalOutputs()) {
            out.put(o, shapeOf(o));
        }
        return out;
    }

    /** The ONNX node under its unique name. */
    public NodeProto node(String uniqueName) {
        return nodes.get(uniqueName);
    }

    /** Nodes that are not part of any layer: constants and shape arithmetic. */
    public List<NodeProto> nonLayerNodes() {
        return nonLayerNodes;
    }

    /**
     * Weight or bias initializer as float, decoded from the model on each call (a new array the
     * caller owns): keeping a float copy of every weight beside the model's own bytes doubled the
     * weights' memory (47 MB on a ResNet18), and the weight quantizer caches what it makes.
     */
    public FloatTensor initializer(String name) {
        TensorProto t = initializers.get(name);
        return t == null ? null : Tensors.toFloat(t);
    }

    /**
     * The values of a weight or bias initializer without copying them where the model stores raw
     * data (a read-only little-endian view of the model's bytes; absolute reads only).
     */
    public java.nio.FloatBuffer initializerValues(String name) {
        TensorProto t = initializers.get(name);
        if (t.hasRawData()) {
            return t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        }
        return java.nio.FloatBuffer.wrap(Tensors.toFloat(t).data());
    }

    /** The dimensions of a weight or bias initializer, without decoding it. */
    public long[] initializerShape(String name) {
        return initializers.get(name).getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    public boolean isConstant(String tensor) {
        return constants.contains(tensor);
    }

    /**
     * Every tensor a layer writes — its outputs and the tensors inside it (a Conv's output before
     * its fused Relu) — to the layer's name, in graph order. Vendor tools name layers by such tensors.
     */
    public Map<String, String> tensorOwners() {
        Map<String, String> owner = new LinkedHashMap<>();
        for (Layer l : layers) {
            for (String o : l.outputs()) {
                owner.put(o, l.name());
            }
            for (String member : l.nodes()) {
                for (String o : node(member).getOutputList()) {
                    if (!o.isEmpty()) {
                        owner.putIfAbsent(o, l.name());
                    }
                }
            }
        }
        return owner;
    }

    /** Every tensor that gets a quantization point: graph inputs, then layer outputs in graph order. */
    public List<String> quantTensors() {
        List<String> out = new ArrayList<>();
        for (Input in : inputs) {
            out.add(in.name());
        }
        for (Layer l : layers) {
            out.addAll(l.outputs());
        }
        return out;
    }

    /** Multiply-accumulates of a layer for batch 1 (0 for layers without weights). */
    public long macs(Layer l) {
        if (l.weight() == null) {
            return 0;
        }
        long[] w = initializerShape(l.weight());
        long outElems = FloatTensor.elementCount(l.shape());
        long wElems = FloatTensor.elementCount(w);
        return switch (l.op()) {
            case "Conv" -> {
                long outCh = w[0];
                long perOut = outCh == 0 ? 0 : wElems / outCh;
                yield outElems * perOut;
            }
            case "Gemm", "MatMul" -> wElems * Math.max(1, outElems / Math.max(1, w[l.weightAxis()]));
            default -> outElems * Math.max(1, wElems / Math.max(1, w[Math.max(0, l.weightAxis())]));
        };
    }
}
