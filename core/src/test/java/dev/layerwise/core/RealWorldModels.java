package dev.layerwise.core;

import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Half;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Models shaped like the ones users bring (old exporters, float16, dynamic sizes, detectors and
 * segmenters), built in code with seeded random weights. Run {@link #main} to write them as files:
 * {@code java -cp core/target/test-classes:core/target/classes:DEPS dev.layerwise.core.RealWorldModels DIR}.
 */
public final class RealWorldModels {

    private RealWorldModels() {
    }

    /**
     * Opset 7, IR 3, as a 2018 exporter wrote it: Conv, BatchNormalization with {@code spatial},
     * Clip, Pad and Slice with attributes, Upsample with attribute scales, Dropout with a ratio,
     * Flatten + Gemm and a Softmax on axis 1. Input {@code data} 1x3x32x32, output {@code prob} 1x10.
     */
    public static OnnxModel opset7Classifier() {
        TestModels.Builder b = new TestModels.Builder(7).input("data", 1, 3, 32, 32);
        String x = b.conv("conv1", "data", 3, 8, 3, 1, 1, "conv1_out");
        x = b.batchNorm("bn1", x, 8, "bn1_out", Nodes.attr("spatial", 1L), Nodes.attr("epsilon", 1e-5f));
        x = b.op("Clip", "relu6_1", List.of(x), "relu6_1_out", Nodes.attr("min", 0f), Nodes.attr("max", 6f));
        x = b.op("Pad", "pad1", List.of(x), "pad1_out", Nodes.attr("pads", 0L, 0L, 1L, 1L, 0L, 0L, 1L, 1L));
        x = b.op("MaxPool", "pool1", List.of(x), "pool1_out", Nodes.attr("kernel_shape", 2L, 2L), Nodes.attr("strides", 2L, 2L));
        x = b.conv("conv2", x, 8, 16, 3, 1, 1, "conv2_out");
        x = b.op("Relu", "relu2", List.of(x), "relu2_out");
        x = b.op("Upsample", "up1", List.of(x), "up1_out", Nodes.attr("mode", "nearest"), Nodes.attrFloats("scales", 1, 1, 2, 2));
        x = b.op("Slice", "crop1", List.of(x), "crop1_out", Nodes.attr("starts", 1L, 1L), Nodes.attr("ends", 31L, 31L),
                Nodes.attr("axes", 2L, 3L));
        x = b.op("Dropout", "drop1", List.of(x), "drop1_out", Nodes.attr("ratio", 0.3f));
        x = b.op("GlobalAveragePool", "gap", List.of(x), "gap_out");
        x = b.op("Flatten", "flat", List.of(x), "flat_out", Nodes.attr("axis", 1L));
        x = b.gemm("fc", x, 16, 10, "fc_out");
        b.op("Softmax", "prob", List.of(x), "prob");
        return b.output("prob").build(7);
    }

    /**
     * An MNIST-like 1-channel classifier at opset 8 (as the ONNX-zoo MNIST): input {@code Input3}
     * 1x1x28x28, Conv, Relu, MaxPool twice, Reshape and a MatMul + Add head. Output
     * {@code Plus214_Output_0} 1x10.
     */
    public static OnnxModel grayClassifier() {
        TestModels.Builder b = new TestModels.Builder(28).input("Input3", 1, 1, 28, 28);
        String x = b.conv("Convolution28", "Input3", 1, 8, 5, 1, 1, "Convolution28_Output_0");
        x = b.op("Relu", "ReLU32", List.of(x), "ReLU32_Output_0");
        x = b.op("MaxPool", "Pooling66", List.of(x), "Pooling66_Output_0", Nodes.attr("kernel_shape", 2L, 2L),
                Nodes.attr("strides", 2L, 2L));
        x = b.conv("Convolution110", x, 8, 16, 5, 1, 1, "Convolution110_Output_0");
        x = b.op("Relu", "ReLU114", List.of(x), "ReLU114_Output_0");
        x = b.op("MaxPool", "Pooling160", List.of(x), "Pooling160_Output_0", Nodes.attr("kernel_shape", 3L, 3L),
                Nodes.attr("strides", 3L, 3L));
        x = b.op("Reshape", "Times212_reshape0", List.of(x, b.longs(1, 256)), "Pooling160_Output_0_reshape0");
        String w = b.init(new long[] {256, 10}, b.random(2560, 0.06));
        x = b.op("MatMul", "Times212", List.of(x, w), "Times212_Output_0");
        String bias = b.init(new long[] {1, 10}, b.random(10, 0.1));
        b.op("Add", "Plus214", List.of(x, bias), "Plus214_Output_0");
        return b.output("Plus214_Output_0").build(8);
    }

    /**
     * Opset 8: ImageScaler in front, BatchNormalization, LeakyRelu, reflect Pad, Clip with only a
     * max, bilinear Upsample, Max with broadcasting, Dropout, Flatten + Gemm. Output {@code logits} 1x6.
     */
    public static OnnxModel opset8Classifier() {
        TestModels.Builder b = new TestModels.Builder(8).input("image", 1, 3, 24, 24);
        String x = b.op("ImageScaler", "scaler", List.of("image"), "scaled", Nodes.attr("scale", 0.017f),
                Nodes.attrFloats("bias", -2.1f, -2.0f, -1.8f));
        x = b.conv("conv_a", x, 3, 8, 3, 2, 1, "conv_a_out");
        x = b.batchNorm("bn_a", x, 8, "bn_a_out");
        x = b.op("LeakyRelu", "lrelu_a", List.of(x), "lrelu_a_out", Nodes.attr("alpha", 0.1f));
        x = b.op("Pad", "pad_a", List.of(x), "pad_a_out", Nodes.attr("mode", "reflect"),
                Nodes.attr("pads", 0L, 0L, 1L, 1L, 0L, 0L, 1L, 1L));
        x = b.conv("conv_b", x, 8, 8, 3, 1, 8, "conv_b_out");
        x = b.op("Clip", "clip_b", List.of(x), "clip_b_out", Nodes.attr("max", 4f));
        x = b.op("Upsample", "up_b", List.of(x), "up_b_out", Nodes.attr("mode", "linear"), Nodes.attrFloats("scales", 1, 1, 2, 2));
        String floor = b.init(new long[] {1, 8, 1, 1}, b.random(8, 0.1));
        x = b.op("Max", "max_b", List.of(x, floor), "max_b_out");
        x = b.op("Dropout", "drop_b", List.of(x), "drop_b_out", Nodes.attr("ratio", 0.5f));
        x = b.op("GlobalAveragePool", "gap_b", List.of(x), "gap_b_out");
        x = b.op("Flatten", "flat_b", List.of(x), "flat_b_out");
        b.gemm("fc_b", x, 8, 6, "logits");
        return b.output("logits").build(8);
    }

    /**
     * Opset 9, like a PyTorch 1.2 face detector: Upsample with scales from a Constant, Slice, Pad
     * and Clip with attributes, Dropout, BatchNormalization, Squeeze/Unsqueeze/Split/ReduceSum with
     * attribute axes, a Softmax on axis 1 of a 4-D tensor (the pre-13 "flatten" meaning), and
     * Flatten + Gemm. Input {@code input.1} 1x3x32x32; outputs {@code conf} 1x2x8x8, {@code loc}
     * 1x8x8x4 and {@code score} 1x3.
     */
    public static OnnxModel opset9Detector() {
        TestModels.Builder b = new TestModels.Builder(9).input("input.1", 1, 3, 32, 32);
        String x = b.conv("Conv_0", "input.1", 3, 8, 3, 2, 1, "10");
        x = b.batchNorm("BatchNormalization_1", x, 8, "11");
        x = b.op("Clip", "Clip_2", List.of(x), "12", Nodes.attr("min", 0f), Nodes.attr("max", 6f));
        String c4 = b.conv("Conv_3", x, 8, 16, 3, 2, 1, "13");
        c4 = b.op("Relu", "Relu_4", List.of(c4), "14");
        String c8 = b.conv("Conv_5", c4, 16, 16, 3, 2, 1, "15");
        c8 = b.op("Relu", "Relu_6", List.of(c8), "16");
        b.op("Constant", "Constant_7", List.of(), "17", constantFloats("value", 1, 1, 2, 2));
        String up = b.op("Upsample", "Upsample_8", List.of(c8, "17"), "18", Nodes.attr("mode", "nearest"));
        String fused = b.op("Add", "Add_9", List.of(up, c4), "19");
        fused = b.op("Pad", "Pad_10", List.of(fused), "20", Nodes.attr("pads", 0L, 0L, 1L, 1L, 0L, 0L, 1L, 1L),
                Nodes.attr("value", 0f));
        fused = b.op("Slice", "Slice_11", List.of(fused), "21", Nodes.attr("starts", 1L, 1L), Nodes.attr("ends", 9L, 9L),
                Nodes.attr("axes", 2L, 3L));
        fused = b.op("Dropout", "Dropout_12", List.of(fused), "22");
        String conf = b.conv("Conv_13", fused, 16, 2, 1, 1, 1, "23");
        b.op("Softmax", "Softmax_14", List.of(conf), "conf", Nodes.attr("axis", 1L));
        String loc = b.conv("Conv_15", fused, 16, 4, 1, 1, 1, "25");
        b.op("Transpose", "Transpose_16", List.of(loc), "loc", Nodes.attr("perm", 0L, 2L, 3L, 1L));
        String parts = b.op("ReduceSum", "ReduceSum_17", List.of(c8), "27", Nodes.attr("axes", 2L, 3L), Nodes.attr("keepdims", 1L));
        parts = b.op("Squeeze", "Squeeze_18", List.of(parts), "28", Nodes.attr("axes", 2L, 3L));
        parts = b.op("Unsqueeze", "Unsqueeze_19", List.of(parts), "29", Nodes.attr("axes", new long[] {1}));
        b.node("Split", "Split_20", List.of(parts), List.of("30", "30b"), Nodes.attr("axis", 2L), Nodes.attr("split", 8L, 8L));
        String half = b.op("Flatten", "Flatten_21", List.of("30"), "31", Nodes.attr("axis", 1L));
        b.gemm("Gemm_22", half, 8, 3, "score");
        return b.output("conf", 1, 2, 8, 8).output("loc", 1, 8, 8, 4).output("score", 1, 3).build(9);
    }

    /**
     * An NHWC segmenter as tf2onnx writes it at opset 9: input {@code ImageTensor:0} 1xHxWx3,
     * Transpose to NCHW, an encoder, a bilinear Upsample by 4, class logits, Transpose back and a
     * Softmax on the last axis. Output {@code SemanticPredictions:0} 1xHxWx{@code classes}.
     */
    public static OnnxModel nhwcSegmenter(int h, int w, int classes) {
        TestModels.Builder b = new TestModels.Builder(31).input("ImageTensor:0", 1, h, w, 3);
        String x = b.op("Transpose", "to_nchw", List.of("ImageTensor:0"), "nchw", Nodes.attr("perm", 0L, 3L, 1L, 2L));
        x = b.conv("encoder/conv1", x, 3, 16, 3, 2, 1, "enc1");
        x = b.batchNorm("encoder/bn1", x, 16, "enc1_bn");
        x = b.op("Relu", "encoder/relu1", List.of(x), "enc1_relu");
        x = b.conv("encoder/conv2", x, 16, 32, 3, 2, 1, "enc2");
        x = b.op("Relu", "encoder/relu2", List.of(x), "enc2_relu");
        x = b.conv("encoder/conv3", x, 32, 32, 3, 1, 32, "enc3");
        x = b.op("Clip", "encoder/relu6_3", List.of(x), "enc3_relu6", Nodes.attr("min", 0f), Nodes.attr("max", 6f));
        x = b.conv("decoder/logits", x, 32, classes, 1, 1, 1, "logits");
        b.op("Constant", "decoder/scales", List.of(), "up_scales", constantFloats("value", 1, 1, 4, 4));
        x = b.op("Upsample", "decoder/upsample", List.of(x, "up_scales"), "logits_up", Nodes.attr("mode", "linear"));
        x = b.op("Transpose", "to_nhwc", List.of(x), "logits_nhwc", Nodes.attr("perm", 0L, 2L, 3L, 1L));
        b.op("Softmax", "SemanticPredictions", List.of(x), "SemanticPredictions:0", Nodes.attr("axis", 3L));
        return b.output("SemanticPredictions:0", 1, h, w, classes).build(9);
    }

    /**
     * A ResNet18-shaped classifier as torch exports it (batch norms folded into the convolutions):
     * input {@code input} 1x3x224x224, a 7x7 stem and max pool, four stages of two basic blocks
     * (64, 128, 256, 512 channels; a 1x1 strided projection where a stage halves the size), global
     * average pool, flatten and a 512x1000 Gemm to {@code output} 1x1000. 11.7 M weights (47 MB),
     * the size of model issue 12 measures peak memory on. Random weights: for speed and memory only.
     */
    public static OnnxModel resnet18() {
        TestModels.Builder b = new TestModels.Builder(18).input("input", 1, 3, 224, 224);
        String x = b.conv("conv1", "input", 3, 64, 7, 2, 1, "conv1_out");
        x = b.op("Relu", "relu", List.of(x), "relu_out");
        x = b.op("MaxPool", "maxpool", List.of(x), "maxpool_out", Nodes.attr("kernel_shape", 3L, 3L),
                Nodes.attr("strides", 2L, 2L), Nodes.attr("pads", 1L, 1L, 1L, 1L));
        int ch = 64;
        for (int stage = 1; stage <= 4; stage++) {
            int out = 64 << (stage - 1);
            for (int block = 0; block < 2; block++) {
                String p = "layer" + stage + "." + block;
                int stride = stage > 1 && block == 0 ? 2 : 1;
                String y = b.conv(p + ".conv1", x, ch, out, 3, stride, 1, p + ".conv1_out");
                y = b.op("Relu", p + ".relu1", List.of(y), p + ".relu1_out");
                y = b.conv(p + ".conv2", y, out, out, 3, 1, 1, p + ".conv2_out");
                String shortcut = stride == 1 && ch == out ? x : b.conv(p + ".downsample", x, ch, out, 1, stride, 1, p + ".down_out");
                y = b.op("Add", p + ".add", List.of(y, shortcut), p + ".add_out");
                x = b.op("Relu", p + ".relu2", List.of(y), p + ".relu2_out");
                ch = out;
            }
        }
        x = b.op("GlobalAveragePool", "avgpool", List.of(x), "avgpool_out");
        x = b.op("Flatten", "flatten", List.of(x), "flatten_out", Nodes.attr("axis", 1L));
        b.gemm("fc", x, 512, 1000, "output");
        return b.output("output", 1, 1000).build(13);
    }

    /**
     * A three-output detector head at opset 11 (YOLO/SCRFD-like): a stride-8 backbone, then class
     * scores (Sigmoid) 1x{@code 3*classes}xH/8xW/8, boxes reshaped to 1xNx4, and objectness
     * 1x3xH/8xW/8. Input {@code images} 1x3x{@code h}x{@code w}; {@code h} or {@code w} 0 makes
     * that dimension dynamic.
     */
    public static OnnxModel detector(int h, int w, int classes) {
        TestModels.Builder b = new TestModels.Builder(11).dynamicInput("images", 1, 3, h > 0 ? h : "height", w > 0 ? w : "width");
        String x = b.conv("stem", "images", 3, 16, 3, 2, 1, "stem_out");
        x = b.op("Relu", "stem_relu", List.of(x), "stem_relu_out");
        x = b.conv("stage2", x, 16, 32, 3, 2, 1, "stage2_out");
        x = b.op("Relu", "stage2_relu", List.of(x), "stage2_relu_out");
        x = b.conv("stage3", x, 32, 32, 3, 2, 1, "stage3_out");
        x = b.op("HardSigmoid", "stage3_act", List.of(x), "stage3_act_out");
        String cls = b.conv("head/cls", x, 32, 3 * classes, 1, 1, 1, "cls_logits");
        b.op("Sigmoid", "head/cls_sigmoid", List.of(cls), "scores");
        String box = b.conv("head/box", x, 32, 12, 1, 1, 1, "box_raw");
        box = b.op("Reshape", "head/box_reshape", List.of(box, b.longs(1, 4, -1)), "box_r");
        b.op("Transpose", "head/box_transpose", List.of(box), "boxes", Nodes.attr("perm", 0L, 2L, 1L));
        String obj = b.conv("head/obj", x, 32, 3, 1, 1, 1, "obj_logits");
        b.op("Sigmoid", "head/obj_sigmoid", List.of(obj), "objectness");
        return b.output("scores").output("boxes").output("objectness").build(11);
    }

    /**
     * A detector whose post-processing is control flow, as torchvision and Paddle exports write it
     * (opset 13): a stride-4 backbone; the class scores from an If on the data (Sigmoid of the
     * logits when their largest value is positive, the logits scaled down otherwise), its branches
     * reading the logits from outside; the boxes refined in a Loop of three rounds whose body
     * reads the raw box regression and the backbone's feature mean from outside. Input
     * {@code images} 1x3x48x64; outputs {@code scores} 1x8x12x16 and {@code boxes} 1x4x12x16.
     */
    public static OnnxModel controlFlowDetector() {
        TestModels.Builder b = new TestModels.Builder(13).input("images", 1, 3, 48, 64);
        String x = b.conv("backbone/conv1", "images", 3, 16, 3, 2, 1, "f1");
        x = b.op("Relu", "backbone/relu1", List.of(x), "f1r");
        x = b.conv("backbone/conv2", x, 16, 32, 3, 2, 1, "f2");
        x = b.op("Relu", "backbone/relu2", List.of(x), "f2r");
        String cls = b.conv("head/cls", x, 32, 8, 1, 1, 1, "cls_logits");
        String box = b.conv("head/box", x, 32, 4, 1, 1, 1, "box_raw");
        String feat = b.op("ReduceMean", "head/feat_mean", List.of(x), "feat_mean", Nodes.attr("axes", new long[] {1}),
                Nodes.attr("keepdims", 1L));
        String peak = b.op("ReduceMax", "post/peak", List.of(cls), "peak", Nodes.attr("keepdims", 0L));
        String zero = b.init(new long[0], new float[] {0f});
        String positive = b.op("Greater", "post/positive", List.of(peak, zero), "positive");
        String tenth = b.init(new long[0], new float[] {0.1f});
        int f = TensorProto.DataType.FLOAT_VALUE;
        GraphProto sigmoid = GraphProto.newBuilder().setName("post/sigmoid_branch")
                .addNode(Nodes.node("Sigmoid", "post/sigmoid", List.of(cls), List.of("sig"))).addOutput(Nodes.valueInfo("sig", f, 1, 8, 12, 16))
                .build();
        GraphProto scaled = GraphProto.newBuilder().setName("post/scaled_branch")
                .addNode(Nodes.node("Mul", "post/scale", List.of(cls, tenth), List.of("scaled")))
                .addOutput(Nodes.valueInfo("scaled", f, 1, 8, 12, 16)).build();
        b.op("If", "post/if", List.of(positive), "scores", Nodes.attr("then_branch", sigmoid), Nodes.attr("else_branch", scaled));
        GraphProto body = GraphProto.newBuilder().setName("post/refine_body")
                .addInput(Nodes.valueInfo("round", TensorProto.DataType.INT64_VALUE))
                .addInput(Nodes.valueInfo("go", TensorProto.DataType.BOOL_VALUE))
                .addInput(Nodes.valueInfo("acc", f, 1, 4, 12, 16))
                .addNode(Nodes.node("Mul", "post/refine_gate", List.of(box, feat), List.of("gated")))
                .addNode(Nodes.node("Add", "post/refine_add", List.of("acc", "gated"), List.of("acc_next")))
                .addNode(Nodes.node("Identity", "post/refine_go", List.of("go"), List.of("go_next")))
                .addOutput(Nodes.valueInfo("go_next", TensorProto.DataType.BOOL_VALUE))
                .addOutput(Nodes.valueInfo("acc_next", f, 1, 4, 12, 16)).build();
        String rounds = b.longs(3);
        String start = b.init(new long[] {1, 4, 12, 16}, new float[4 * 12 * 16]);
        b.node("Loop", "post/refine", List.of(rounds, "", start), List.of("boxes"), Nodes.attr("body", body));
        return b.output("scores").output("boxes").build(13);
    }

    /**
     * An OCR-detector-like model with dynamic height and width (opset 11): convs down by 4, a
     * nearest Resize back up, a probability map 1x1xHxW. Input {@code x} 1x3x?x?.
     */
    public static OnnxModel dynamicSizeDetector() {
        TestModels.Builder b = new TestModels.Builder(12).dynamicInput("x", 1, 3, "h", "w");
        String y = b.conv("backbone/conv1", "x", 3, 8, 3, 2, 1, "b1");
        y = b.op("Relu", "backbone/relu1", List.of(y), "b1r");
        y = b.conv("backbone/conv2", y, 8, 16, 3, 2, 1, "b2");
        y = b.op("Relu", "backbone/relu2", List.of(y), "b2r");
        String scales = b.init(new long[] {4}, new float[] {1, 1, 4, 4});
        String roi = b.init(new long[] {0}, new float[0]);
        y = b.op("Resize", "neck/resize", List.of(y, roi, scales), "up", Nodes.attr("mode", "nearest"));
        y = b.conv("head/conv", y, 16, 1, 3, 1, 1, "maps");
        b.op("Sigmoid", "head/sigmoid", List.of(y), "sigmoid_0.tmp_0");
        return b.output("sigmoid_0.tmp_0").build(11);
    }

    /**
     * A SqueezeNet-1.1-like classifier stored in float16 throughout at opset 7 (input, weights and
     * output half precision), ending in GlobalAveragePool and a Softmax on a 1xCx1x1 tensor.
     * Input {@code data_0} 1x3x32x32; output {@code softmaxout_1} 1x10x1x1.
     */
    public static OnnxModel float16Classifier() {
        return toFloat16(float16ClassifierAsFloat32());
    }

    /** {@link #float16Classifier} before the conversion to half: float32, weights already rounded to half. */
    public static OnnxModel float16ClassifierAsFloat32() {
        TestModels.Builder b = new TestModels.Builder(16).input("data_0", 1, 3, 32, 32);
        String x = b.conv("conv1", "data_0", 3, 16, 3, 2, 1, "conv1_1");
        x = b.op("Relu", "relu_conv1", List.of(x), "conv1_2");
        x = b.op("MaxPool", "pool1", List.of(x), "pool1_1", Nodes.attr("kernel_shape", 3L, 3L), Nodes.attr("strides", 2L, 2L));
        String sq = b.conv("fire2/squeeze1x1", x, 16, 8, 1, 1, 1, "fire2/squeeze1x1_1");
        sq = b.op("Relu", "fire2/relu_squeeze1x1", List.of(sq), "fire2/squeeze1x1_2");
        String e1 = b.conv("fire2/expand1x1", sq, 8, 16, 1, 1, 1, "fire2/expand1x1_1");
        e1 = b.op("Relu", "fire2/relu_expand1x1", List.of(e1), "fire2/expand1x1_2");
        String e3 = b.conv("fire2/expand3x3", sq, 8, 16, 3, 1, 1, "fire2/expand3x3_1");
        e3 = b.op("Relu", "fire2/relu_expand3x3", List.of(e3), "fire2/expand3x3_2");
        x = b.op("Concat", "fire2/concat", List.of(e1, e3), "fire2/concat_1", Nodes.attr("axis", 1L));
        x = b.op("Dropout", "drop9", List.of(x), "fire9/concat_2", Nodes.attr("ratio", 0.5f));
        x = b.conv("conv10", x, 32, 10, 1, 1, 1, "conv10_1");
        x = b.op("Relu", "relu_conv10", List.of(x), "conv10_2");
        x = b.op("GlobalAveragePool", "pool10", List.of(x), "pool10_1");
        b.op("Softmax", "softmaxout", List.of(x), "softmaxout_1");
        OnnxModel m = b.output("softmaxout_1", 1, 10, 1, 1).build(7);
        GraphProto.Builder g = m.graph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            g.setInitializer(i, roundToHalf(g.getInitializer(i)));
        }
        return OnnxModel.of(m.proto().toBuilder().setGraph(g).build());
    }

    /** Every float32 initializer, input and output of {@code m} stored as float16. */
    public static OnnxModel toFloat16(OnnxModel m) {
        GraphProto.Builder g = m.graph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                float[] f = dev.layerwise.core.onnx.Tensors.toFloat(t).data();
                ByteBuffer bb = ByteBuffer.allocate(f.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : f) {
                    bb.putShort(Half.toBits(v));
                }
                g.setInitializer(i, t.toBuilder().setDataType(TensorProto.DataType.FLOAT16_VALUE)
                        .setRawData(com.google.protobuf.ByteString.copyFrom(bb.array())).build());
            }
        }
        for (int i = 0; i < g.getInputCount(); i++) {
            g.setInput(i, half(g.getInput(i)));
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            g.setOutput(i, half(g.getOutput(i)));
        }
        return OnnxModel.of(m.proto().toBuilder().setGraph(g).build());
    }

    private static ValueInfoProto half(ValueInfoProto v) {
        if (!v.getType().hasTensorType()) {
            // outputs declared by name only: give them a type so the graph says float16
            return v.toBuilder().setType(dev.layerwise.core.onnx.proto.Onnx.TypeProto.newBuilder().setTensorType(
                    dev.layerwise.core.onnx.proto.Onnx.TypeProto.Tensor.newBuilder()
                            .setElemType(TensorProto.DataType.FLOAT16_VALUE))).build();
        }
        var t = v.getType().getTensorType();
        if (t.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            return v;
        }
        return v.toBuilder().setType(v.getType().toBuilder().setTensorType(t.toBuilder()
                .setElemType(TensorProto.DataType.FLOAT16_VALUE))).build();
    }

    private static TensorProto roundToHalf(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            return t;
        }
        FloatTensor f = dev.layerwise.core.onnx.Tensors.toFloat(t);
        float[] r = new float[f.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = Half.round(f.data()[i]);
        }
        return dev.layerwise.core.onnx.Tensors.floats(t.getName(), f.shape(), r);
    }

    private static dev.layerwise.core.onnx.proto.Onnx.AttributeProto constantFloats(String name, float... v) {
        return dev.layerwise.core.onnx.proto.Onnx.AttributeProto.newBuilder().setName(name)
                .setType(dev.layerwise.core.onnx.proto.Onnx.AttributeProto.AttributeType.TENSOR)
                .setT(dev.layerwise.core.onnx.Tensors.floats("", new long[] {v.length}, v)).build();
    }

    /** A deterministic pseudo-image of {@code shape}, values roughly in [-2, 2]. */
    public static FloatTensor input(long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (Math.sin(i * 0.37 + seed) * 1.5 + (r.nextDouble() - 0.5));
        }
        return new FloatTensor(shape, d);
    }

    /**
     * Writes {@code model} as {@code name} into {@code dir}, with {@code count} inputs of {@code shape}
     * ({@link #input} seeded 0, 1, …) as {@code 0.npy}, {@code 1.npy}, … and a {@code dataset.txt}
     * listing them, as a user's model folder looks.
     *
     * @return the model file
     */
    public static Path writeWithDataset(Path dir, String name, OnnxModel model, int count, long... shape) throws IOException {
        Path file = Files.write(dir.resolve(name), model.toBytes());
        StringBuilder ds = new StringBuilder();
        for (int i = 0; i < count; i++) {
            dev.layerwise.core.tensor.Npy.write(dir.resolve(i + ".npy"), input(i, shape));
            ds.append(i).append(".npy\n");
        }
        Files.writeString(dir.resolve("dataset.txt"), ds);
        return file;
    }

    /** Writes every model into {@code args[0]}, including the large bench inputs. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "real-world-models");
        Files.createDirectories(dir);
        write(dir, "opset7_classifier", opset7Classifier());
        write(dir, "opset8_classifier", opset8Classifier());
        write(dir, "gray_classifier", grayClassifier());
        write(dir, "opset9_detector", opset9Detector());
        write(dir, "nhwc_segmenter", nhwcSegmenter(64, 96, 5));
        write(dir, "detector3", detector(64, 64, 4));
        write(dir, "dynamic_hw", dynamicSizeDetector());
        write(dir, "control_flow_detector", controlFlowDetector());
        write(dir, "float16_classifier", float16Classifier());
        write(dir, "segmenter_896x512", nhwcSegmenter(512, 896, 21));
        write(dir, "detector_640x640", detector(640, 640, 80));
        write(dir, "resnet18", resnet18());
    }

    /** Writes {@code NAME.onnx} and, when the import changes it, {@code NAME.imported.onnx}: what the engine works on. */
    private static void write(Path dir, String name, OnnxModel m) throws IOException {
        ModelProto p = m.proto();
        Files.write(dir.resolve(name + ".onnx"), p.toByteArray());
        try {
            OnnxModel imported = dev.layerwise.core.runtime.ModelImport.prepare(m, dev.layerwise.core.onnx.InputShapes.NONE, w -> { });
            if (imported != m) {
                Files.write(dir.resolve(name + ".imported.onnx"), imported.toBytes());
            }
        } catch (dev.layerwise.core.onnx.ModelLoadException e) {
            // a dynamic model needs sizes first; its file alone is what the tests use
        }
    }
}
