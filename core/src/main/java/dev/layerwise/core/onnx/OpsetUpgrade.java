package dev.layerwise.core.onnx;

import dev.layerwise.core.onnx.proto.Onnx.AttributeProto;
import dev.layerwise.core.onnx.proto.Onnx.AttributeProto.AttributeType;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.OperatorSetIdProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raises a model's default ({@code ai.onnx}) opset to {@value #TARGET} when it is older, rewriting
 * the operators whose signature or meaning changed between opset 7 and 13 so that the float
 * outputs stay bit-for-bit the same (see docs/decisions/0009). The quantized graphs need it: ONNX
 * Runtime fuses our QuantizeLinear/DequantizeLinear pairs into default-domain {@code QLinearConv}
 * and friends, which do not exist below opset 10 (per-axis scales below 13).
 *
 * <p>Rewritten: Upsample and Resize-10 (to Resize-13, asymmetric coordinates), Slice, Pad, Clip,
 * TopK, Split, Squeeze, Unsqueeze and ReduceSum (attributes to inputs), Dropout (ratio to an input,
 * the unused mask dropped), BatchNormalization ({@code spatial=1} and {@code is_test} dropped),
 * Softmax / LogSoftmax / Hardmax (the pre-13 "coerce to 2-D" meaning kept with Flatten and Reshape
 * when the axis is not the last) and ImageScaler (Mul + Add). An operator outside the known set is
 * refused with its node and op named. Stateless; thread-safe.
 */
public final class OpsetUpgrade {

    /** The opset the engine works at: per-axis QuantizeLinear/DequantizeLinear exist from here. */
    public static final long TARGET = 13;
    /** The oldest opset that can be upgraded (older ones use pre-broadcast Add/Mul attributes). */
    public static final long OLDEST = 7;
    /** Prefix of every initializer and node the upgrade adds. */
    public static final String PREFIX = "lw.opset/";

    /** Ops whose opset 7–12 signature and meaning opset 13 keeps unchanged. */
    private static final Set<String> UNCHANGED = Set.of("Abs", "Acos", "Acosh", "Add", "And", "ArgMax", "ArgMin", "Asin",
            "Asinh", "Atan", "Atanh", "AveragePool", "BitShift", "Cast", "Ceil", "Celu", "Compress", "Concat", "Constant",
            "ConstantOfShape", "Conv", "ConvInteger", "ConvTranspose", "Cos", "Cosh", "CumSum", "DepthToSpace",
            "DequantizeLinear", "Det", "Div", "Einsum", "Elu", "Equal", "Erf", "Exp", "Expand", "EyeLike", "Flatten",
            "Floor", "GRU", "Gather", "GatherElements", "GatherND", "Gemm", "GlobalAveragePool", "GlobalLpPool",
            "GlobalMaxPool", "Greater", "GreaterOrEqual", "HardSigmoid", "Identity", "InstanceNormalization", "IsInf",
            "IsNaN", "LRN", "LSTM", "LeakyRelu", "Less", "LessOrEqual", "Log", "LpNormalization", "LpPool", "MatMul",
            "MatMulInteger", "Max", "MaxPool", "MaxRoiPool", "MaxUnpool", "Mean", "MeanVarianceNormalization", "Min", "Mod",
            "Mul", "Neg", "NonMaxSuppression", "NonZero", "Not", "OneHot", "Or", "PRelu", "Pow", "QLinearConv",
            "QLinearMatMul", "QuantizeLinear", "RNN", "Range", "Reciprocal", "ReduceL1", "ReduceL2", "ReduceLogSum",
            "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSumSquare", "Relu", "Reshape",
            "ReverseSequence", "RoiAlign", "Round", "ScatterElements", "ScatterND", "Selu", "Shape", "Shrink", "Sigmoid",
            "Sign", "Sin", "Sinh", "Size", "Softplus", "Softsign", "SpaceToDepth", "Sqrt", "Sub", "Sum", "Tan", "Tanh",
            "ThresholdedRelu", "Tile", "Transpose", "Unique", "Where", "Xor");

    /** Ops whose meaning of {@code axis} changed in 13; their output has their input's rank. */
    public static final Set<String> SOFTMAX_FAMILY = Set.of("Softmax", "LogSoftmax", "Hardmax");

    private OpsetUpgrade() {
    }

    /** True when the model's default opset is below {@value #TARGET}. */
    public static boolean needed(ModelProto m) {
        return defaultOpset(m) < TARGET;
    }

    /**
     * Tensors whose rank the upgrade must know: inputs of pre-13 Softmax-family nodes with an axis
     * other than -1. Empty for models at or above the target.
     */
    public static Set<String> tensorsNeedingRank(ModelProto m) {
        Set<String> out = new HashSet<>();
        if (!needed(m)) {
            return out;
        }
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (isDefault(n) && SOFTMAX_FAMILY.contains(n.getOpType()) && Nodes.intAttr(n, "axis", 1) != -1) {
                out.add(n.getInput(0));
            }
        }
        return out;
    }

    /**
     * The model at opset {@value #TARGET}; unchanged when already there.
     *
     * @param label what to call the model in errors (its file)
     * @param ranks rank of every tensor {@link #tensorsNeedingRank} named
     * @throws ModelLoadException for an opset below {@value #OLDEST}, a subgraph, or an operator
     *     whose conversion is not known, naming the node and op
     */
    public static ModelProto upgrade(ModelProto m, String label, Map<String, Integer> ranks) throws ModelLoadException {
        long from = defaultOpset(m);
        if (from >= TARGET) {
            return m;
        }
        if (from < OLDEST) {
            throw new ModelLoadException(label + ": opset " + from + " is older than " + OLDEST
                    + ", the oldest this tool can read; re-export the model with a newer exporter");
        }
        Rewriter r = new Rewriter(m.getGraph(), from, label, ranks);
        GraphProto g = r.run();
        ModelProto.Builder b = m.toBuilder().setGraph(g).clearOpsetImport();
        b.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(TARGET));
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (!o.getDomain().isEmpty() && !o.getDomain().equals("ai.onnx")) {
                b.addOpsetImport(o);
            }
        }
        // opset 13 needs IR 7. Below IR 4 every initializer was also listed as a graph input, which
        // from IR 4 on would make it an overridable input that ORT cannot treat as a constant.
        if (m.getIrVersion() < 4) {
            Set<String> inits = new HashSet<>();
            g.getInitializerList().forEach(t -> inits.add(t.getName()));
            GraphProto.Builder gb = b.getGraphBuilder();
            List<dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto> real = gb.getInputList().stream()
                    .filter(v -> !inits.contains(v.getName())).toList();
            gb.clearInput().addAllInput(real);
        }
        if (b.getIrVersion() < 7) {
            b.setIrVersion(7);
        }
        return b.build();
    }

    static long defaultOpset(ModelProto m) {
        return m.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OperatorSetIdProto::getVersion).findFirst().orElse(1);
    }

    private static boolean isDefault(NodeProto n) {
        return n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
    }

    /** One pass over a graph; collects the rewritten nodes and the initializers they need. */
    private static final class Rewriter {
        private final GraphProto src;
        private final long from;
        private final String label;
        private final Map<String, Integer> ranks;
        private final GraphProto.Builder out;
        private final Map<String, Integer> consumers = new HashMap<>();
        private final Set<String> names = new HashSet<>();

        Rewriter(GraphProto src, long from, String label, Map<String, Integer> ranks) {
            this.src = src;
            this.from = from;
            this.label = label;
            this.ranks = ranks;
            this.out = src.toBuilder().clearNode();
            for (NodeProto n : src.getNodeList()) {
                for (String i : n.getInputList()) {
                    consumers.merge(i, 1, Integer::sum);
                }
            }
            src.getOutputList().forEach(o -> consumers.merge(o.getName(), 1, Integer::sum));
            src.getInitializerList().forEach(t -> names.add(t.getName()));
        }

        GraphProto run() throws ModelLoadException {
            for (NodeProto n : src.getNodeList()) {
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.getType() == AttributeType.GRAPH || a.getType() == AttributeType.GRAPHS) {
                        throw refuse(n, "has a subgraph; models with control flow are upgraded only from opset 13 on");
                    }
                }
                if (!isDefault(n) || UNCHANGED.contains(n.getOpType())) {
                    out.addNode(n);
                    continue;
                }
                rewrite(n);
            }
            return out.build();
        }

        private void rewrite(NodeProto n) throws ModelLoadException {
            switch (n.getOpType()) {
                case "Upsample" -> upsample(n);
                case "Resize" -> resize(n);
                case "Slice" -> attrsToInputs(n, 10, List.of("starts", "ends", "axes"), List.of());
                case "Pad" -> pad(n);
                case "Clip" -> clip(n);
                case "TopK" -> attrsToInputs(n, 10, List.of("k"), List.of("axis"));
                case "Split" -> attrsToInputs(n, 13, List.of("split"), List.of("axis"));
                case "Squeeze", "Unsqueeze" -> attrsToInputs(n, 13, List.of("axes"), List.of());
                case "ReduceSum" -> attrsToInputs(n, 13, List.of("axes"), List.of("keepdims"));
                case "Dropout" -> dropout(n);
                case "BatchNormalization" -> batchNorm(n);
                case "Softmax", "LogSoftmax", "Hardmax" -> softmax(n);
                case "ImageScaler" -> imageScaler(n);
                default -> throw refuse(n, "is not known to keep its meaning from opset " + from + " to " + TARGET);
            }
        }

        /** Upsample (scales as attribute before 9, as input from 9) becomes Resize with Upsample's coordinates. */
        private void upsample(NodeProto n) throws ModelLoadException {
            String scales;
            if (from < 9) {
                float[] s = floats(n, "scales");
                if (s == null) {
                    throw refuse(n, "has no 'scales' attribute");
                }
                scales = init(n, "scales", Tensors.floats("", new long[] {s.length}, s));
            } else {
                scales = n.getInput(1);
            }
            String mode = string(n, "mode", "nearest");
            // ORT's Upsample accepts only scales >= 1 and then truncates the source coordinate
            emitResize(n, n.getInput(0), scales, mode, "floor");
        }

        private void resize(NodeProto n) throws ModelLoadException {
            if (from >= 11) {
                out.addNode(n);
                return;
            }
            String mode = string(n, "mode", "nearest");
            String rounding = "floor";
            float[] s = constantFloats(n.getInput(1));
            if (s != null && mode.equals("nearest")) {
                boolean down = false;
                boolean up = false;
                for (float v : s) {
                    down |= v < 1;
                    up |= v > 1;
                }
                if (down && up) {
                    throw refuse(n, "scales up one axis and down another in nearest mode; its opset 10 rounding "
                            + "cannot be expressed in opset 13");
                }
                // opset 10 rounds a downsampled source coordinate up and an upsampled one down
                rounding = down ? "ceil" : "floor";
            }
            emitResize(n, n.getInput(0), n.getInput(1), mode, rounding);
        }

        private void emitResize(NodeProto n, String x, String scales, String mode, String rounding) {
            NodeProto.Builder b = NodeProto.newBuilder().setOpType("Resize").setName(n.getName()).setDomain(n.getDomain())
                    .addAllInput(List.of(x, "", scales)).addAllOutput(n.getOutputList())
                    .addAttribute(Nodes.attr("mode", mode))
                    .addAttribute(Nodes.attr("coordinate_transformation_mode", "asymmetric"));
            if (mode.equals("nearest")) {
                b.addAttribute(Nodes.attr("nearest_mode", rounding));
            }
            out.addNode(b);
        }

        /**
         * Moves integer-list attributes to int64 inputs, in order, for nodes older than
         * {@code since}; an absent attribute becomes an empty input (trailing ones are dropped).
         */
        private void attrsToInputs(NodeProto n, long since, List<String> moved, List<String> kept) throws ModelLoadException {
            if (from >= since) {
                out.addNode(n);
                return;
            }
            NodeProto.Builder b = n.toBuilder().clearAttribute();
            List<String> extra = new ArrayList<>();
            for (String name : moved) {
                AttributeProto a = attr(n, name);
                if (a == null) {
                    extra.add("");
                    continue;
                }
                long[] v = a.getType() == AttributeType.INT ? new long[] {a.getI()}
                        : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                extra.add(init(n, name, Tensors.longs("", new long[] {v.length}, v)));
            }
            while (!extra.isEmpty() && extra.get(extra.size() - 1).isEmpty()) {
                extra.remove(extra.size() - 1);
            }
            b.addAllInput(extra);
            for (AttributeProto a : n.getAttributeList()) {
                if (moved.contains(a.getName())) {
                    continue;
                }
                if (!kept.contains(a.getName())) {
                    throw refuse(n, "has attribute '" + a.getName() + "', which opset " + TARGET + " does not know");
                }
                b.addAttribute(a);
            }
            out.addNode(b);
        }

        private void pad(NodeProto n) throws ModelLoadException {
            if (from >= 11) {
                out.addNode(n);
                return;
            }
            long[] pads = ints(n, "pads");
            if (pads == null) {
                throw refuse(n, "has no 'pads' attribute");
            }
            NodeProto.Builder b = n.toBuilder().clearAttribute().addInput(init(n, "pads", Tensors.longs("", new long[] {pads.length},
                    pads)));
            String mode = string(n, "mode", "constant");
            float value = floatAttr(n, "value", 0f);
            if (value != 0f) {
                b.addInput(init(n, "value", Tensors.scalar("", value)));
            }
            if (!mode.equals("constant")) {
                b.addAttribute(Nodes.attr("mode", mode));
            }
            out.addNode(b);
        }

        private void clip(NodeProto n) {
            if (from >= 11) {
                out.addNode(n);
                return;
            }
            NodeProto.Builder b = n.toBuilder().clearAttribute();
            AttributeProto min = attr(n, "min");
            AttributeProto max = attr(n, "max");
            b.addInput(min == null ? "" : init(n, "min", Tensors.scalar("", min.getF())));
            if (max != null) {
                b.addInput(init(n, "max", Tensors.scalar("", max.getF())));
            }
            out.addNode(b);
        }

        /** Inference-time Dropout is the identity; its mask changed type in 10, so it must be unused. */
        private void dropout(NodeProto n) throws ModelLoadException {
            if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && consumers.containsKey(n.getOutput(1))) {
                throw refuse(n, "has its mask output '" + n.getOutput(1) + "' read by another node");
            }
            NodeProto.Builder b = n.toBuilder().clearAttribute().clearOutput().addOutput(n.getOutput(0));
            AttributeProto ratio = attr(n, "ratio");
            if (from < 12 && ratio != null) {
                b.addInput(init(n, "ratio", Tensors.scalar("", ratio.getF())));
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (!a.getName().equals("ratio") && !a.getName().equals("is_test")) {
                    b.addAttribute(a);
                }
            }
            out.addNode(b);
        }

        private void batchNorm(NodeProto n) throws ModelLoadException {
            if (from < 9 && Nodes.intAttr(n, "spatial", 1) == 0) {
                throw refuse(n, "uses spatial=0 (statistics per activation), which opset 9 and later dropped");
            }
            for (int i = 1; i < n.getOutputCount(); i++) {
                if (!n.getOutput(i).isEmpty()) {
                    throw refuse(n, "has training outputs (running mean/variance); export the model in inference mode");
                }
            }
            NodeProto.Builder b = n.toBuilder().clearAttribute().clearOutput().addOutput(n.getOutput(0));
            for (AttributeProto a : n.getAttributeList()) {
                if (!a.getName().equals("spatial") && !a.getName().equals("is_test") && !a.getName().equals("consumed_inputs")) {
                    b.addAttribute(a);
                }
            }
            out.addNode(b);
        }

        /**
         * Before 13 these ops flatten the input to 2-D at {@code axis} (default 1) and normalise each
         * row; from 13 they work along one axis (default -1). The same when the axis is the last;
         * otherwise Flatten, the op on the last axis, and Reshape back give the old result.
         */
        private void softmax(NodeProto n) throws ModelLoadException {
            long axis = Nodes.intAttr(n, "axis", 1);
            NodeProto.Builder b = n.toBuilder().clearAttribute().addAttribute(Nodes.attr("axis", -1L));
            if (axis == -1) {
                out.addNode(b);
                return;
            }
            Integer rank = ranks.get(n.getInput(0));
            if (rank == null) {
                throw refuse(n, "reads '" + n.getInput(0) + "', whose rank is unknown");
            }
            long a = axis < 0 ? axis + rank : axis;
            if (a == rank - 1) {
                out.addNode(b);
                return;
            }
            String base = baseName(n);
            String flat = PREFIX + base + "/flat";
            String shape = PREFIX + base + "/shape";
            String y = PREFIX + base + "/y";
            out.addNode(Nodes.node("Shape", PREFIX + base + "/Shape", List.of(n.getInput(0)), List.of(shape)));
            out.addNode(Nodes.node("Flatten", PREFIX + base + "/Flatten", List.of(n.getInput(0)), List.of(flat),
                    Nodes.attr("axis", a)));
            out.addNode(b.setInput(0, flat).setOutput(0, y));
            out.addNode(Nodes.node("Reshape", PREFIX + base + "/Reshape", List.of(y, shape), List.of(n.getOutput(0))));
        }

        /** The experimental ImageScaler (gone in opset 10): {@code y = scale * x + bias[c]}. */
        private void imageScaler(NodeProto n) {
            float scale = floatAttr(n, "scale", 1f);
            float[] bias = floats(n, "bias");
            String base = baseName(n);
            String scaled = PREFIX + base + "/scaled";
            out.addNode(Nodes.node("Mul", PREFIX + base + "/Mul", List.of(n.getInput(0), init(n, "scale",
                    Tensors.scalar("", scale))), List.of(bias == null ? n.getOutput(0) : scaled)));
            if (bias != null) {
                out.addNode(Nodes.node("Add", n.getName().isEmpty() ? PREFIX + base + "/Add" : n.getName(), List.of(scaled,
                        init(n, "bias", Tensors.floats("", new long[] {1, bias.length, 1, 1}, bias))), List.of(n.getOutput(0))));
            }
        }

        /** Adds an initializer named after the node and returns its name. */
        private String init(NodeProto n, String what, TensorProto t) {
            String name = PREFIX + baseName(n) + "/" + what;
            for (int k = 2; !names.add(name); k++) {
                name = PREFIX + baseName(n) + "/" + what + "_" + k;
            }
            out.addInitializer(t.toBuilder().setName(name));
            return name;
        }

        private float[] constantFloats(String tensor) {
            for (TensorProto t : src.getInitializerList()) {
                if (t.getName().equals(tensor) && t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                    return Tensors.toFloat(t).data();
                }
            }
            for (NodeProto c : src.getNodeList()) {
                if (c.getOpType().equals("Constant") && c.getOutput(0).equals(tensor)) {
                    AttributeProto v = attr(c, "value");
                    if (v != null && v.getT().getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                        return Tensors.toFloat(v.getT()).data();
                    }
                }
            }
            return null;
        }

        private ModelLoadException refuse(NodeProto n, String why) {
            return new ModelLoadException(label + ": node '" + baseName(n) + "' (" + n.getOpType() + ") " + why
                    + "; the model's opset " + from + " must be raised to " + TARGET + " for quantization");
        }
    }

    private static String baseName(NodeProto n) {
        return !n.getName().isEmpty() ? n.getName() : n.getOutputCount() > 0 ? n.getOutput(0) : n.getOpType();
    }

    private static AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static String string(NodeProto n, String name, String dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    private static float floatAttr(NodeProto n, String name, float dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getF();
    }

    private static long[] ints(NodeProto n, String name) {
        return Nodes.intsAttr(n, name);
    }

    private static float[] floats(NodeProto n, String name) {
        AttributeProto a = attr(n, name);
        if (a == null) {
            return null;
        }
        float[] f = new float[a.getFloatsCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.getFloats(i);
        }
        return f;
    }
}
