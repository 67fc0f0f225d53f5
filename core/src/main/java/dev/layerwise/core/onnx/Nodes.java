package dev.layerwise.core.onnx;

import dev.layerwise.core.onnx.proto.Onnx.AttributeProto;
import dev.layerwise.core.onnx.proto.Onnx.AttributeProto.AttributeType;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorShapeProto;
import dev.layerwise.core.onnx.proto.Onnx.TypeProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import java.util.List;

/** Small factories for ONNX nodes, attributes and value infos. Stateless. */
public final class Nodes {

    /** Domain of ONNX Runtime's contrib operators, where QuantizeLinear accepts int16. */
    public static final String MS_DOMAIN = "com.microsoft";

    private Nodes() {
    }

    public static NodeProto node(String op, String name, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    public static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
    }

    public static AttributeProto attr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(v).build();
    }

    public static AttributeProto attr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    public static AttributeProto attr(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    /** A graph attribute: an If's branch, a Loop's or Scan's body. */
    public static AttributeProto attr(String name, dev.layerwise.core.onnx.proto.Onnx.GraphProto g) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.GRAPH).setG(g).build();
    }

    public static AttributeProto attrFloats(String name, float... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
        for (float x : v) {
            b.addFloats(x);
        }
        return b.build();
    }

    /** A value info with element type and shape; a negative dimension becomes a symbolic one. */
    public static ValueInfoProto valueInfo(String name, int elemType, long... shape) {
        TensorShapeProto.Builder sb = TensorShapeProto.newBuilder();
        for (long d : shape) {
            if (d < 0) {
                sb.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
            } else {
                sb.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(sb)))
                .build();
    }

    /** A value info with only a name; ONNX Runtime infers type and shape. */
    public static ValueInfoProto output(String name) {
        return ValueInfoProto.newBuilder().setName(name).build();
    }

    /** Integer attribute value, or {@code dflt} when absent. */
    public static long intAttr(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    public static long[] intsAttr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
        }
        return null;
    }
}
