package dev.layerwise.core.runtime;

import dev.layerwise.core.onnx.Float16Import;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.OpsetUpgrade;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one place a user's model becomes the float model the engine works on: float16 stored as
 * float32, the user's input sizes fixed, and the default opset raised to {@link OpsetUpgrade#TARGET}.
 * A change that alters numbers (float16 to float32) is reported as one warning line. Stateless; call from
 * any thread. It lives beside the runtime because raising the opset needs one run of the model
 * (tensor ranks), and the graph model in {@code onnx} must not depend on ONNX Runtime.
 */
public final class ModelImport {

    private ModelImport() {
    }

    /** Reads {@code file} and prepares it; see {@link #prepare}. */
    public static OnnxModel open(Path file, InputShapes shapes, Consumer<String> warnings) throws ModelLoadException {
        return prepare(OnnxModel.load(file), shapes, warnings);
    }

    /**
     * Prepares a loaded model.
     *
     * @param shapes sizes for dynamic inputs ({@link InputShapes#NONE} for none)
     * @param warnings receives one line per change that alters numbers (float16 converted)
     * @throws ModelLoadException when an input stays dynamic, a shape does not fit, or an operator
     *     cannot be carried to the target opset
     */
    public static OnnxModel prepare(OnnxModel model, InputShapes shapes, Consumer<String> warnings) throws ModelLoadException {
        String label = model.label();
        ModelProto m = model.proto();
        String quantized = alreadyQuantized(m.getGraph());
        if (quantized != null) {
            warnings.accept(label + ": " + quantized + "; Layerwise quantizes a float model, so these numbers measure a second"
                    + " quantization on top of that one: give it the float export");
        }
        Float16Import.Result half = Float16Import.toFloat32(m);
        if (half.converted() > 0) {
            m = half.model();
            warnings.accept(label + ": float16 model loaded as float32 (" + half.converted()
                    + " tensors, values and casts converted); the float reference is this float32 graph");
        }
        m = shapes.apply(m, label);
        if (OpsetUpgrade.needed(m)) {
            // no warning: the float outputs are unchanged, and most models below 13 would print one
            m = OpsetUpgrade.upgrade(m, label, ranks(m, OpsetUpgrade.tensorsNeedingRank(m), label));
        }
        return m == model.proto() ? model : new OnnxModel(m, model.source());
    }

    /** Operators only a quantized export holds (ONNX's and ONNX Runtime's contrib ones). */
    private static final Set<String> QUANTIZED_OPS = Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
            "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger", "QLinearAdd", "QLinearMul", "QLinearConcat",
            "QLinearGlobalAveragePool", "QLinearSigmoid", "QLinearLeakyRelu", "QLinearAveragePool", "QLinearSoftmax", "QGemm",
            "DynamicQuantizeMatMul", "MatMulIntegerToFloat");

    /**
     * How a model already holds quantization, e.g. {@code "already quantized: 12 QuantizeLinear,
     * DequantizeLinear nodes (the first 'x_q')"}; {@code null} for a float model. A user who hands
     * over the quantized export of another tool would otherwise get plausible numbers for the wrong
     * question.
     */
    static String alreadyQuantized(GraphProto g) {
        int count = 0;
        String first = null;
        Set<String> ops = new java.util.TreeSet<>();
        for (var n : g.getNodeList()) {
            if (QUANTIZED_OPS.contains(n.getOpType())) {
                count++;
                ops.add(n.getOpType());
                if (first == null) {
                    first = n.getName().isEmpty() ? n.getOpType() : n.getName();
                }
            }
        }
        return count == 0 ? null : "already quantized: " + count + " " + String.join(", ", ops) + " node" + (count == 1 ? "" : "s")
                + " (the first '" + first + "')";
    }

    /**
     * Ranks of the named tensors: from the model's declared shapes where it has them (a
     * Softmax-family output has its input's rank), else as ONNX Runtime infers them ({@link ShapeProbe}).
     */
    private static Map<String, Integer> ranks(ModelProto m, Set<String> tensors, String label) throws ModelLoadException {
        Map<String, Integer> out = new HashMap<>();
        Map<String, Integer> declared = new HashMap<>();
        GraphProto src = m.getGraph();
        for (List<ValueInfoProto> list : List.of(src.getInputList(), src.getOutputList(), src.getValueInfoList())) {
            for (ValueInfoProto v : list) {
                if (v.getType().getTensorType().hasShape()) {
                    declared.put(v.getName(), v.getType().getTensorType().getShape().getDimCount());
                }
            }
        }
        for (var n : src.getNodeList()) {
            if (n.getInputCount() > 0 && tensors.contains(n.getInput(0)) && OpsetUpgrade.SOFTMAX_FAMILY.contains(n.getOpType())) {
                Integer r = declared.getOrDefault(n.getInput(0), declared.get(n.getOutput(0)));
                if (r != null) {
                    out.put(n.getInput(0), r);
                }
            }
        }
        if (out.keySet().containsAll(tensors)) {
            return out;
        }
        GraphProto.Builder g = m.getGraph().toBuilder();
        Set<String> exposed = new java.util.HashSet<>();
        g.getOutputList().forEach(o -> exposed.add(o.getName()));
        for (String t : tensors) {
            if (exposed.add(t)) {
                g.addOutput(Nodes.output(t));
            }
        }
        Set<String> inits = new java.util.HashSet<>();
        g.getInitializerList().forEach(t -> inits.add(t.getName()));
        Map<String, long[]> feeds = new LinkedHashMap<>();
        for (ValueInfoProto vi : g.getInputList()) {
            if (inits.contains(vi.getName()) || vi.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            var dims = vi.getType().getTensorType().getShape().getDimList();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).hasDimValue() && dims.get(i).getDimValue() > 0 ? dims.get(i).getDimValue() : 1;
            }
            feeds.put(vi.getName(), shape);
        }
        try (OnnxSession s = OnnxSession.create(m.toBuilder().setGraph(g).build(), label,
                ai.onnxruntime.OrtSession.SessionOptions.OptLevel.NO_OPT)) {
            ShapeProbe.floatShapes(s, feeds).forEach((k, v) -> {
                if (tensors.contains(k)) {
                    out.put(k, v.length);
                }
            });
        }
        return out;
    }
}
