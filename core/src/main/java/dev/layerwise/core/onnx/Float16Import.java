package dev.layerwise.core.onnx;

import com.google.protobuf.ByteString;
import dev.layerwise.core.onnx.proto.Onnx.AttributeProto.AttributeType;
import dev.layerwise.core.onnx.proto.Onnx.AttributeProto;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.TypeProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import dev.layerwise.core.tensor.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns a float16 model into the float32 model the engine calibrates and quantizes: float16
 * initializers and Constant values become float32 (every half value is exactly representable),
 * float16 graph inputs, outputs and value infos are declared float32, and casts to float16 cast to
 * float32 instead. The float reference of the analysis is this float32 graph, which computes in
 * float32 where the original rounded to half precision. Stateless; thread-safe.
 */
public final class Float16Import {

    private static final int F16 = TensorProto.DataType.FLOAT16_VALUE;
    private static final int F32 = TensorProto.DataType.FLOAT_VALUE;

    private Float16Import() {
    }

    /** The conversion's outcome: the model and how many tensors, values and casts changed (0: no float16 found). */
    public record Result(ModelProto model, int converted) {
    }

    public static Result toFloat32(ModelProto m) {
        int[] count = {0};
        GraphProto g = graph(m.getGraph(), count);
        return new Result(count[0] == 0 ? m : m.toBuilder().setGraph(g).build(), count[0]);
    }

    private static GraphProto graph(GraphProto src, int[] count) {
        GraphProto.Builder g = src.toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getDataType() == F16) {
                g.setInitializer(i, tensor(g.getInitializer(i)));
                count[0]++;
            }
        }
        for (int i = 0; i < g.getInputCount(); i++) {
            g.setInput(i, valueInfo(g.getInput(i), count));
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            g.setOutput(i, valueInfo(g.getOutput(i), count));
        }
        for (int i = 0; i < g.getValueInfoCount(); i++) {
            g.setValueInfo(i, valueInfo(g.getValueInfo(i), count));
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            g.setNode(i, node(g.getNode(i), count));
        }
        return g.build();
    }

    private static NodeProto node(NodeProto n, int[] count) {
        NodeProto.Builder b = null;
        for (int k = 0; k < n.getAttributeCount(); k++) {
            AttributeProto a = n.getAttribute(k);
            AttributeProto changed = null;
            if (a.getType() == AttributeType.TENSOR && a.getT().getDataType() == F16) {
                changed = a.toBuilder().setT(tensor(a.getT())).build();
            } else if (a.getType() == AttributeType.INT && a.getI() == F16
                    && (a.getName().equals("to") || a.getName().equals("dtype"))) {
                changed = a.toBuilder().setI(F32).build();
            } else if (a.getType() == AttributeType.GRAPH) {
                int[] inner = {0};
                GraphProto sub = graph(a.getG(), inner);
                if (inner[0] > 0) {
                    changed = a.toBuilder().setG(sub).build();
                    count[0] += inner[0] - 1;
                }
            }
            if (changed != null) {
                if (b == null) {
                    b = n.toBuilder();
                }
                b.setAttribute(k, changed);
                count[0]++;
            }
        }
        return b == null ? n : b.build();
    }

    private static ValueInfoProto valueInfo(ValueInfoProto v, int[] count) {
        TypeProto t = v.getType();
        if (!t.hasTensorType() || t.getTensorType().getElemType() != F16) {
            return v;
        }
        count[0]++;
        return v.toBuilder().setType(t.toBuilder().setTensorType(t.getTensorType().toBuilder().setElemType(F32))).build();
    }

    /** A float16 tensor as float32 (raw little-endian halves, or halves stored in int32_data). */
    static TensorProto tensor(TensorProto t) {
        float[] out;
        if (t.hasRawData()) {
            ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            out = new float[bb.remaining() / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = Half.fromBits(bb.getShort());
            }
        } else {
            out = new float[t.getInt32DataCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Half.fromBits((short) t.getInt32Data(i));
            }
        }
        ByteBuffer bb = ByteBuffer.allocate(out.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(out);
        return t.toBuilder().setDataType(F32).clearInt32Data().setRawData(ByteString.copyFrom(bb.array())).build();
    }
}
