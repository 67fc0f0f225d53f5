package dev.layerwise.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.GraphEdits;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Depthwise convolutions with per-channel weights whose zero points differ, written for ONNX
 * Runtime's float kernel: checked bit for bit against the plain QuantizeLinear / DequantizeLinear
 * graph that ONNX Runtime runs on its integer kernel, and against the integer arithmetic done here.
 */
class IntegerDepthwiseTest {

    /** Written for the float kernel in the quantized network and in their individual copies. */
    private static final List<String> REWRITTEN = List.of("Dw_plain", "Dw_relu", "Dw_clip", "Dw_multiplier", "Dw_big_bias", "one");
    /**
     * Left as they are in the quantized network, whose input reaches them through a layer that only
     * moves values (ONNX Runtime fuses such a layer behind a MaxPool, not behind a Split); their
     * individual copies, fed by a QuantizeLinear / DequantizeLinear pair of their own, are written.
     */
    private static final List<String> INDIVIDUAL_ONLY = List.of("Dw_pooled", "Dw_split_a", "Dw_split_b");

    private Project project;
    private Calibration cal;
    private final List<FloatTensor> inputs = List.of(TestModels.smallInput(3), TestModels.smallInput(11), TestModels.smallInput(19));

    /**
     * Input 1x3x16x16: conv+relu to 8 channels; depthwise 3x3 without activation; depthwise 3x3
     * stride 2 + Relu; MaxPool, then depthwise; depthwise + Clip(0, 6); depthwise with two filters per
     * channel; depthwise with a bias far larger than its weights (int32 sums past float32's exact
     * integers); a depthwise layer named {@code one}; a depthwise layer whose bias comes from a
     * Constant node; Split into two depthwise layers and Concat; pointwise conv, pool, gemm.
     */
    private static OnnxModel depthwiseNet() {
        TestModels.Builder b = new TestModels.Builder(5).input("input", 1, 3, 16, 16);
        String x = b.conv("Conv_0", "input", 3, 8, 3, 1, 1, "c0");
        x = b.op("Relu", "Relu_0", List.of(x), "r0");
        x = b.conv("Dw_plain", x, 8, 8, 3, 1, 8, "dw1");
        x = b.conv("Dw_relu", x, 8, 8, 3, 2, 8, "dw2");
        x = b.op("Relu", "Relu_dw2", List.of(x), "r2");
        x = b.op("MaxPool", "MaxPool_3", List.of(x), "m3", Nodes.attr("kernel_shape", 2L, 2L), Nodes.attr("strides", 1L, 1L));
        x = b.conv("Dw_pooled", x, 8, 8, 3, 1, 8, "dw4");
        x = b.conv("Dw_clip", x, 8, 8, 3, 1, 8, "dw45");
        x = b.op("Clip", "Clip_dw45", List.of(x, b.init(new long[0], new float[] {0f}), b.init(new long[0], new float[] {6f})), "k45");
        x = b.conv("Dw_multiplier", x, 8, 16, 3, 1, 8, "dw5");
        float[] tiny = b.random(16 * 9, 1e-4);
        float[] big = b.random(16, 1.0);
        for (int i = 0; i < big.length; i++) {
            big[i] = 3f + Math.abs(big[i]);
        }
        b.op("Conv", "Dw_big_bias", List.of(x, b.init(new long[] {16, 1, 3, 3}, tiny), b.init(new long[] {16}, big)), "dw6",
                Nodes.attr("kernel_shape", 3L, 3L), Nodes.attr("strides", 1L, 1L), Nodes.attr("pads", 1L, 1L, 1L, 1L),
                Nodes.attr("group", 16L));
        x = b.conv("one", "dw6", 16, 16, 3, 1, 16, "dw7");
        b.op("Constant", "Constant_bias", List.of(), "cb", dev.layerwise.core.onnx.proto.Onnx.AttributeProto.newBuilder()
                .setName("value").setType(dev.layerwise.core.onnx.proto.Onnx.AttributeProto.AttributeType.TENSOR)
                .setT(dev.layerwise.core.onnx.Tensors.floats("", new long[] {16}, b.random(16, 0.5))).build());
        b.op("Conv", "Dw_const_bias", List.of(x, b.init(new long[] {16, 1, 3, 3}, b.random(16 * 9, 0.3)), "cb"), "dw8",
                Nodes.attr("kernel_shape", 3L, 3L), Nodes.attr("strides", 1L, 1L), Nodes.attr("pads", 1L, 1L, 1L, 1L),
                Nodes.attr("group", 16L));
        b.node("Split", "Split_9", List.of("dw8"), List.of("s9a", "s9b"), Nodes.attr("axis", 1L));
        String a = b.conv("Dw_split_a", "s9a", 8, 8, 3, 1, 8, "dwa");
        String c = b.conv("Dw_split_b", "s9b", 8, 8, 3, 1, 8, "dwb");
        x = b.op("Concat", "Concat_10", List.of(a, c), "cat", Nodes.attr("axis", 1L));
        x = b.conv("Conv_11", x, 16, 8, 1, 1, 1, "c11");
        x = b.op("GlobalAveragePool", "GlobalAveragePool_12", List.of(x), "g12");
        x = b.op("Flatten", "Flatten_13", List.of(x), "f13", Nodes.attr("axis", 1L));
        b.gemm("Gemm_14", x, 8, 10, "output");
        return b.output("output").build(13);
    }

    @BeforeEach
    void calibrate() throws Exception {
        project = Project.of(depthwiseNet());
        cal = project.calibrate(SampleSource.of(List.of(Map.of("input", TestModels.smallInput(1)), Map.of("input", inputs.get(0)))),
                CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
    }

    private QuantPlan perChannel() {
        return project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of(), true);
    }

    private List<Map<String, FloatTensor>> run(ModelProto m) throws Exception {
        List<String> names = m.getGraph().getOutputList().stream().map(o -> o.getName()).toList();
        List<Map<String, FloatTensor>> out = new ArrayList<>();
        try (OnnxSession s = OnnxSession.create(m.toByteArray(), "test")) {
            for (FloatTensor x : inputs) {
                out.add(s.run(Map.of("input", x), names));
            }
        }
        return out;
    }

    private static long rewritten(ModelProto m, String layerOutput) {
        return m.getGraph().getNodeList().stream().map(NodeProto::getName)
                .filter(n -> n.startsWith(GraphEdits.NODE_INTEGER_DEPTHWISE + layerOutput)).count();
    }

    @Test
    void depthwiseLayersAreRewrittenWhereTheirInputIsAQuantizeDequantizePair() {
        QuantPlan plan = perChannel();
        ModelProto m = QuantGraphBuilder.analysis(project.graph(), plan, true);
        for (String name : REWRITTEN) {
            assertTrue(rewritten(m, convOutput(name) + QuantGraphBuilder.ENTIRE) > 0, name + " entire");
            assertTrue(rewritten(m, convOutput(name) + QuantGraphBuilder.INDIVIDUAL) > 0, name + " individual");
        }
        for (String name : INDIVIDUAL_ONLY) {
            assertEquals(0, rewritten(m, convOutput(name) + QuantGraphBuilder.ENTIRE), name + " entire");
            assertTrue(rewritten(m, convOutput(name) + QuantGraphBuilder.INDIVIDUAL) > 0, name + " individual");
        }
        // a bias that is not the layer's initializer stays with the plain graph
        assertEquals(0, rewritten(m, "dw8"));
        List<String> names = m.getGraph().getNodeList().stream().map(NodeProto::getName).toList();
        // the big bias is added in int32, the others join the float sums
        assertTrue(names.stream().anyMatch(n -> n.startsWith(GraphEdits.NODE_INTEGER_DEPTHWISE + "dw6") && n.endsWith("/bias")), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.startsWith(GraphEdits.NODE_INTEGER_DEPTHWISE + "dw1") && n.endsWith("/bias")));
        assertEquals(0, rewritten(m, "c0"));
        assertEquals(0, rewritten(m, "c11"));
        // exported models stay plain QuantizeLinear / DequantizeLinear
        ModelProto exported = QuantGraphBuilder.fakeQuantized(project.graph(), plan);
        assertFalse(exported.getGraph().getNodeList().stream().anyMatch(n -> n.getName().startsWith(GraphEdits.NODE_INTEGER_DEPTHWISE)));
        assertTrue(QuantGraphBuilder.fakeQuantizedForSession(project.graph(), plan).getGraph().getNodeList().stream()
                .anyMatch(n -> n.getName().startsWith(GraphEdits.NODE_INTEGER_DEPTHWISE)));
        // weights per tensor have one zero point: ONNX Runtime's integer kernel is fast, nothing is rewritten
        QuantPlan perTensor = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of());
        assertEquals(QuantGraphBuilder.analysis(project.graph(), perTensor, false), QuantGraphBuilder.analysis(project.graph(), perTensor, true));
    }

    private String convOutput(String layer) {
        // named after the convolution's output in the copy (the layer's output when it has no activation)
        return project.graph().node(project.graph().layer(layer).nodes().get(0)).getOutput(0);
    }

    @Test
    void everyOutputOfTheAnalysisIsBitForBitThatOfThePlainGraph() throws Exception {
        QuantPlan plan = perChannel();
        List<Map<String, FloatTensor>> plain = run(QuantGraphBuilder.analysis(project.graph(), plan, false));
        List<Map<String, FloatTensor>> written = run(QuantGraphBuilder.analysis(project.graph(), plan, true));
        assertSame(plain, written, 10_000);
        assertSame(run(QuantGraphBuilder.fakeQuantized(project.graph(), plan)),
                run(QuantGraphBuilder.fakeQuantizedForSession(project.graph(), plan)), 20);
    }

    @Test
    void aHybridWithADepthwiseLayerInInt16MatchesToo() throws Exception {
        QuantPlan plan = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of("Dw_relu", QuantType.DYNAMIC_FIXED_POINT_I16,
                "Conv_0", QuantType.FLOAT16), Map.of(), true);
        assertSame(run(QuantGraphBuilder.fakeQuantized(project.graph(), plan)),
                run(QuantGraphBuilder.fakeQuantizedForSession(project.graph(), plan)), 20);
        assertSame(run(QuantGraphBuilder.analysis(project.graph(), plan, false)), run(QuantGraphBuilder.analysis(project.graph(), plan, true)),
                10_000);
    }

    private static void assertSame(List<Map<String, FloatTensor>> expected, List<Map<String, FloatTensor>> got, int atLeast) {
        assertEquals(expected.size(), got.size());
        int compared = 0;
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).keySet(), got.get(i).keySet());
            for (Map.Entry<String, FloatTensor> e : expected.get(i).entrySet()) {
                float[] a = e.getValue().data();
                float[] b = got.get(i).get(e.getKey()).data();
                assertEquals(a.length, b.length, e.getKey());
                for (int k = 0; k < a.length; k++) {
                    if (Float.floatToIntBits(a[k]) != Float.floatToIntBits(b[k])) {
                        throw new AssertionError(e.getKey() + "[" + k + "] of input " + i + ": " + a[k] + " plain, " + b[k] + " rewritten");
                    }
                    compared++;
                }
            }
        }
        assertTrue(compared >= atLeast, "compared " + compared);
    }

    /**
     * The individual copy of each depthwise layer, from its float input, by integer arithmetic done
     * here: quantize the input, sum {@code (x_q - x_zp) * (w_q - w_zp[c])} in int64 with the input's
     * zero point as padding, add the int32 bias, requantize with {@code x_s * w_s[c] / y_s} in
     * float32, round half to even, clamp, apply the layer's Relu / Clip on the grid, dequantize.
     */
    @Test
    void theIndividualCopiesEqualIntegerArithmeticDoneHere() throws Exception {
        QuantPlan plan = perChannel();
        List<Map<String, FloatTensor>> outs = run(QuantGraphBuilder.analysis(project.graph(), plan, true));
        List<String> checked = new ArrayList<>(REWRITTEN);
        checked.addAll(INDIVIDUAL_ONLY);
        for (String name : checked) {
            Layer l = project.graph().layer(name);
            NodeProto conv = project.graph().node(l.nodes().get(0));
            for (Map<String, FloatTensor> out : outs) {
                FloatTensor in = out.get(l.inputs().get(0));
                float[] expected = integerDepthwise(in, plan, l, conv);
                float[] got = out.get(l.output() + QuantGraphBuilder.INDIVIDUAL).data();
                assertEquals(expected.length, got.length, name);
                for (int i = 0; i < got.length; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]), name + " at " + i + ": " + expected[i] + " " + got[i]);
                }
            }
        }
    }

    private static float[] integerDepthwise(FloatTensor input, QuantPlan plan, Layer l, NodeProto conv) {
        QuantParams pin = plan.params(l.inputs().get(0));
        QuantParams pout = plan.params(l.output());
        QuantizedTensor w = plan.weight(l.name());
        int[] wq = w.q();
        int[] bias = plan.bias(l.name()).q();
        long[] s = input.shape();
        int channels = (int) s[1];
        int h = (int) s[2];
        int wd = (int) s[3];
        int outCh = (int) w.shape()[0];
        int perGroup = outCh / channels;
        int k = (int) w.shape()[2];
        int stride = (int) Nodes.intsAttr(conv, "strides")[0];
        int pad = (int) Nodes.intsAttr(conv, "pads")[0];
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (wd + 2 * pad - k) / stride + 1;
        float[] x = input.data();
        float[] y = new float[outCh * oh * ow];
        for (int oc = 0; oc < outCh; oc++) {
            int ic = oc / perGroup;
            QuantParams wc = w.channels()[oc];
            float m = pin.scale() * wc.scale() / pout.scale();
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    long acc = 0;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * stride - pad + ky;
                            int ix = ox * stride - pad + kx;
                            int xq = iy < 0 || iy >= h || ix < 0 || ix >= wd ? pin.zeroPoint()
                                    : pin.quantize(x[(ic * h + iy) * wd + ix]);
                            acc += (long) (xq - pin.zeroPoint()) * (wq[(oc * k + ky) * k + kx] - wc.zeroPoint());
                        }
                    }
                    float r = (float) (int) (acc + bias[oc]) * m;
                    int q = (int) Math.max(0, Math.min(255, Math.rint(r) + pout.zeroPoint()));
                    float v = (q - pout.zeroPoint()) * pout.scale();
                    if ("Relu".equals(l.activation())) {
                        v = Math.max(v, 0f);
                    } else if ("Clip".equals(l.activation())) {
                        v = Math.min(Math.max(v, 0f), 6f);
                    }
                    y[(oc * oh + oy) * ow + ox] = pout.fakeQuantize(v);
                }
            }
        }
        return y;
    }
}
