package dev.layerwise.core.quant;

import dev.layerwise.core.onnx.GraphEdits;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.Tensors;
import dev.layerwise.core.onnx.proto.Onnx.AttributeProto;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType;
import java.util.List;
import java.util.Set;

/**
 * A depthwise convolution with per-channel u8 weights whose zero points differ, written for ONNX
 * Runtime's fast float depthwise kernel while computing exactly what its integer {@code QLinearConv}
 * computes (decision 0037). ONNX Runtime runs such a layer ~50x slower than one whose weight zero
 * points are equal (RKNN-Toolkit2's default per-channel weights hit it on every depthwise layer).
 *
 * <p>The arithmetic, per output channel {@code c}:
 * <pre>
 *   acc = sum (x_q - x_zp) * (w_q - w_zp[c])           every term and partial sum an integer below 2^24,
 *                                                      so float32 holds it exactly in any order
 *   r   = float(acc + bias[c]) * m[c]                  bias in the float sums while they stay exact, else
 *                                                      added in int32; m[c] = x_s * w_s[c] / y_s in float32
 *   q   = clamp(round_half_even(r) + y_zp, 0, 255)     a QuantizeLinear with scale 1
 * </pre>
 * {@code x_q - x_zp} is a DequantizeLinear with scale 1 of the input's integer tensor, so a layer is
 * written only where its input comes straight from a QuantizeLinear / DequantizeLinear pair: the
 * pattern ONNX Runtime always fuses with the Conv in the plain graph. The float Conv pads with 0,
 * which is {@code x_q = x_zp}, as the integer kernel pads. {@code acc} is cast to int32 and {@code r}
 * is a DequantizeLinear of it with per-channel scale {@code m}: a Mul right after the Conv would be
 * folded into its weights by ONNX Runtime. A Relu or Clip after the convolution reads {@code
 * round(r) * y_s}, grid values the output's QuantizeLinear maps back to the integer the fused kernel
 * gives when ONNX Runtime removes the activation.
 *
 * <p>Only in graphs that ONNX Runtime runs; exported models keep plain QuantizeLinear /
 * DequantizeLinear.
 */
final class IntegerDepthwise {

    /** Most products per output for which every float32 partial sum of 8-bit differences is exact. */
    static final int MAX_TERMS = (1 << 24) / (255 * 255);

    private static final String PREFIX = "lw.dw/";

    private IntegerDepthwise() {
    }

    /** True when {@code l}'s compute node is such a convolution and its quantization allows the rewrite. */
    static boolean appliesTo(Layer l, NodeProto compute, QuantPlan plan) {
        if (!"Conv".equals(l.op()) || plan.typeOf(l.name()) != QuantType.ASYMMETRIC_AFFINE_U8
                || l.nodes().size() != (l.activation() == null ? 1 : 2)
                || l.activation() != null && !l.activation().equals("Relu") && !l.activation().equals("Clip")) {
            return false;
        }
        QuantizedTensor w = plan.weight(l.name());
        if (w == null || !w.perChannel() || w.storage() != DataType.UINT8 || w.axis() != 0 || w.shape().length < 3
                || w.shape()[1] != 1 || !zeroPointsDiffer(w)) {
            return false;
        }
        long group = Nodes.intAttr(compute, "group", 1);
        QuantizedTensor b = plan.bias(l.name());
        // a bias the layer graph does not hold as its initializer (from a Constant node, say) stays in the plain graph
        boolean hasBiasInput = compute.getInputCount() > 2 && !compute.getInput(2).isEmpty();
        boolean biasOk = hasBiasInput ? l.bias() != null && b != null && b.storage() == DataType.INT32 : l.bias() == null;
        return group > 1 && w.shape()[0] % group == 0 && terms(w) <= MAX_TERMS && biasOk
                && compute.getInputCount() >= 2 && !l.inputs().isEmpty() && compute.getInput(0).equals(l.inputs().get(0))
                && plan.params(l.inputs().get(0)).type() == QuantType.ASYMMETRIC_AFFINE_U8
                && plan.params(l.output()).type() == QuantType.ASYMMETRIC_AFFINE_U8;
    }

    /** Products per output: the weight's elements per output channel. */
    private static long terms(QuantizedTensor w) {
        long terms = 1;
        for (int d = 1; d < w.shape().length; d++) {
            terms *= w.shape()[d];
        }
        return terms;
    }

    private static boolean zeroPointsDiffer(QuantizedTensor w) {
        int zp = w.channels()[0].zeroPoint();
        for (QuantParams c : w.channels()) {
            if (c.zeroPoint() != zp) {
                return true;
            }
        }
        return false;
    }

    /**
     * Emits the nodes that write the layer's convolution output inside one copy.
     *
     * @param xInteger the integer tensor the layer's input was dequantized from, with the input's parameters
     * @param y with no activation, the layer's dequantized output (its integer tensor
     *     {@code y + INTEGER} is written too, as {@code emitFakeQuant} would); with one, the
     *     convolution's output as grid values {@code k * y_s} for the activation to read
     * @param quantParams the graph's shared scale and zero point initializers of a parameter set, by
     *     their common prefix (made once, as the builder's own QuantizeLinear / DequantizeLinear use them)
     */
    static void emit(GraphProto.Builder out, Set<String> initializers, Layer l, NodeProto compute, QuantPlan plan,
            String xInteger, String y, java.util.function.Function<QuantParams, String> quantParams) {
        QuantizedTensor w = plan.weight(l.name());
        QuantParams in = plan.params(l.inputs().get(0));
        QuantParams outParams = plan.params(l.output());
        int channels = (int) w.shape()[0];
        long[] perChannel = new long[w.shape().length - 1];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[0] = channels;
        QuantizedTensor b = plan.bias(l.name());
        int[] bias = b == null ? new int[channels] : b.q();
        // the bias joins the float sums when those stay exact with it, else it is added in int32
        long largest = 0;
        for (int v : bias) {
            largest = Math.max(largest, Math.abs((long) v));
        }
        boolean biasInConv = largest + terms(w) * 255 * 255 < (1 << 24);

        // by the layer's index: names may hold slashes, and "a" and "a/m" must not share an initializer
        String key = PREFIX + l.index();
        String weight = key + "/w_minus_zp";
        String biasName = key + (biasInConv ? "/bias_f32" : "/bias_i32");
        String multiplier = key + "/m";
        String zeros = key + "/m_zero_point";
        String one = PREFIX + "unit_scale";
        if (initializers.add(one)) {
            out.addInitializer(Tensors.scalar(one, 1f));
        }
        if (initializers.add(key + "/")) {
            out.addInitializer(Tensors.floats(weight, w.shape(), centredWeights(w)));
            if (biasInConv) {
                float[] f = new float[channels];
                for (int c = 0; c < channels; c++) {
                    f[c] = bias[c];
                }
                out.addInitializer(Tensors.floats(biasName, new long[] {channels}, f));
            } else {
                out.addInitializer(Tensors.ints(biasName, DataType.INT32, perChannel, bias));
            }
            float[] m = new float[channels];
            for (int c = 0; c < channels; c++) {
                // the order of QLinearConv's own float32 products: (x_s * w_s) / y_s
                m[c] = in.scale() * w.channels()[c].scale() / outParams.scale();
            }
            out.addInitializer(Tensors.floats(multiplier, new long[] {channels}, m));
            out.addInitializer(Tensors.ints(zeros, DataType.INT32, new long[] {channels}, new int[channels]));
        }
        // the graph's shared scale and zero point initializers of the input's and the output's parameters
        String xZeroPoint = quantParams.apply(in) + GraphEdits.ZERO_POINT;
        String yScale = quantParams.apply(outParams) + GraphEdits.SCALE;
        String yZeroPoint = quantParams.apply(outParams) + GraphEdits.ZERO_POINT;
        String node = GraphEdits.NODE_INTEGER_DEPTHWISE + y + "/";
        String t = y + GraphEdits.SEPARATOR + "dw";
        String centred = t + "_x";
        // x_q - x_zp exactly: a DequantizeLinear with scale 1
        out.addNode(ms(Nodes.node("DequantizeLinear", node + "x", List.of(xInteger, one, xZeroPoint),
                List.of(centred))));
        NodeProto.Builder conv = NodeProto.newBuilder().setOpType("Conv").setName(node + "conv")
                .addInput(centred).addInput(weight).addOutput(t + "_acc");
        if (biasInConv) {
            conv.addInput(biasName);
        }
        for (AttributeProto a : compute.getAttributeList()) {
            conv.addAttribute(a);
        }
        out.addNode(conv.build());
        String acc = t + "_acc_i32";
        out.addNode(Nodes.node("Cast", node + "acc", List.of(t + "_acc"), List.of(acc), Nodes.attr("to", (long) DataType.INT32_VALUE)));
        if (!biasInConv) {
            out.addNode(Nodes.node("Add", node + "bias", List.of(acc, biasName), List.of(t + "_accb")));
            acc = t + "_accb";
        }
        // float(acc) * m[c], one float32 product per value as the integer kernel's requantization
        out.addNode(ms(Nodes.node("DequantizeLinear", node + "requantize", List.of(acc, multiplier, zeros), List.of(t + "_r"),
                Nodes.attr("axis", 1L))));
        if (l.activation() == null) {
            // round half to even, add the zero point, clamp to 0..255: a QuantizeLinear with scale 1
            out.addNode(ms(Nodes.node("QuantizeLinear", GraphEdits.NODE_QUANTIZE + y, List.of(t + "_r", one, yZeroPoint),
                    List.of(y + GraphEdits.INTEGER))));
            out.addNode(ms(Nodes.node("DequantizeLinear", GraphEdits.NODE_DEQUANTIZE + y,
                    List.of(y + GraphEdits.INTEGER, yScale, yZeroPoint), List.of(y))));
        } else {
            out.addNode(Nodes.node("Round", node + "round", List.of(t + "_r"), List.of(t + "_k")));
            out.addNode(Nodes.node("Mul", node + "grid", List.of(t + "_k", yScale), List.of(y)));
        }
    }

    private static NodeProto ms(NodeProto n) {
        return n.toBuilder().setDomain(Nodes.MS_DOMAIN).build();
    }

    /** {@code w_q - w_zp[c]} as float32: integers in [-255, 255]. */
    private static float[] centredWeights(QuantizedTensor w) {
        int[] q = w.q();
        int perChannel = q.length / w.channels().length;
        float[] f = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            f[i] = q[i] - w.channels()[i / perChannel].zeroPoint();
        }
        return f;
    }
}
