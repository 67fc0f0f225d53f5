package dev.layerwise.core;

import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.Tensors;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.OperatorSetIdProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.List;
import java.util.SplittableRandom;

/** Small ONNX models built in code for tests. */
public final class TestModels {

    private TestModels() {
    }

    /** Builder of a graph with seeded random weights. */
    public static final class Builder {
        private final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
        private final SplittableRandom rnd;
        private int counter;

        public Builder(long seed) {
            rnd = new SplittableRandom(seed);
        }

        public Builder input(String name, long... shape) {
            g.addInput(Nodes.valueInfo(name, TensorProto.DataType.FLOAT_VALUE, shape));
            return this;
        }

        public Builder output(String name) {
            g.addOutput(Nodes.output(name));
            return this;
        }

        /** A float output declared with its shape, as most exporters write it. */
        public Builder output(String name, long... shape) {
            g.addOutput(Nodes.valueInfo(name, TensorProto.DataType.FLOAT_VALUE, shape));
            return this;
        }

        public float[] random(int n, double std) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (gaussian() * std);
            }
            return a;
        }

        private double gaussian() {
            double u = 1 - rnd.nextDouble();
            double v = rnd.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }

        public String init(long[] shape, float[] data) {
            String name = "w" + counter++;
            g.addInitializer(Tensors.floats(name, shape, data));
            return name;
        }

        /** Conv with bias; groups 1 or depthwise. Returns the output tensor. */
        public String conv(String name, String in, int inCh, int outCh, int k, int stride, int group, String out) {
            int perGroup = inCh / group;
            float[] w = random(outCh * perGroup * k * k, Math.sqrt(2.0 / (perGroup * k * k)));
            String wn = init(new long[] {outCh, perGroup, k, k}, w);
            String bn = init(new long[] {outCh}, random(outCh, 0.1));
            g.addNode(Nodes.node("Conv", name, List.of(in, wn, bn), List.of(out), Nodes.attr("kernel_shape", k, k),
                    Nodes.attr("strides", stride, stride), Nodes.attr("pads", k / 2, k / 2, k / 2, k / 2),
                    Nodes.attr("group", (long) group)));
            return out;
        }

        public String op(String op, String name, List<String> in, String out, dev.layerwise.core.onnx.proto.Onnx.AttributeProto... attrs) {
            g.addNode(Nodes.node(op, name, in, List.of(out), attrs));
            return out;
        }

        /** A node with several outputs. */
        public void node(String op, String name, List<String> in, List<String> out,
                dev.layerwise.core.onnx.proto.Onnx.AttributeProto... attrs) {
            g.addNode(Nodes.node(op, name, in, out, attrs));
        }

        public String gemm(String name, String in, int inF, int outF, String out) {
            String wn = init(new long[] {outF, inF}, random(outF * inF, Math.sqrt(1.0 / inF)));
            String bn = init(new long[] {outF}, random(outF, 0.1));
            g.addNode(Nodes.node("Gemm", name, List.of(in, wn, bn), List.of(out), Nodes.attr("transB", 1L)));
            return out;
        }

        /** Declares an input with named dynamic dimensions where {@code shape} holds a name instead of a size. */
        public Builder dynamicInput(String name, Object... shape) {
            var sb = dev.layerwise.core.onnx.proto.Onnx.TensorShapeProto.newBuilder();
            for (Object d : shape) {
                var dim = dev.layerwise.core.onnx.proto.Onnx.TensorShapeProto.Dimension.newBuilder();
                sb.addDim(d instanceof Number n ? dim.setDimValue(n.longValue()) : dim.setDimParam(d.toString()));
            }
            g.addInput(dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto.newBuilder().setName(name).setType(
                    dev.layerwise.core.onnx.proto.Onnx.TypeProto.newBuilder().setTensorType(
                            dev.layerwise.core.onnx.proto.Onnx.TypeProto.Tensor.newBuilder()
                                    .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(sb))));
            return this;
        }

        /** An int64 initializer (shapes, axes). */
        public String longs(long... v) {
            String name = "w" + counter++;
            g.addInitializer(Tensors.longs(name, new long[] {v.length}, v));
            return name;
        }

        /** BatchNormalization with random statistics (positive variance); extra attributes as given. */
        public String batchNorm(String name, String in, int ch, String out, dev.layerwise.core.onnx.proto.Onnx.AttributeProto... attrs) {
            float[] var = random(ch, 0.3);
            for (int i = 0; i < ch; i++) {
                var[i] = 0.5f + var[i] * var[i];
            }
            float[] scale = random(ch, 0.2);
            for (int i = 0; i < ch; i++) {
                scale[i] += 1;
            }
            List<String> ins = List.of(in, init(new long[] {ch}, scale), init(new long[] {ch}, random(ch, 0.1)),
                    init(new long[] {ch}, random(ch, 0.2)), init(new long[] {ch}, var));
            g.addNode(Nodes.node("BatchNormalization", name, ins, List.of(out), attrs));
            return out;
        }

        public OnnxModel build() {
            return build(11);
        }

        /** The model at default-domain opset {@code opset} (IR version 3 below opset 8, as old exporters wrote). */
        public OnnxModel build(long opset) {
            if (opset < 8) {
                // IR 3 lists every initializer as a graph input too
                for (TensorProto t : g.getInitializerList()) {
                    long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
                    g.addInput(Nodes.valueInfo(t.getName(), t.getDataType(), dims));
                }
            }
            ModelProto m = ModelProto.newBuilder().setIrVersion(opset < 8 ? 3 : opset < 10 ? 4 : 7).setProducerName("layerwise-tests")
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
            return OnnxModel.of(m);
        }
    }

    /**
     * A small CNN, input {@code input} 1x3x16x16, output {@code output} 1x10: conv+relu, depthwise
     * conv+relu, pointwise conv, residual add+relu, maxpool, global pool, flatten, gemm.
     */
    public static OnnxModel smallCnn() {
        Builder b = new Builder(42).input("input", 1, 3, 16, 16);
        String x = b.conv("Conv_0", "input", 3, 8, 3, 1, 1, "c0");
        x = b.op("Relu", "Relu_1", List.of(x), "r1");
        String y = b.conv("Conv_2", x, 8, 8, 3, 1, 8, "c2");
        y = b.op("Relu", "Relu_3", List.of(y), "r3");
        y = b.conv("Conv_4", y, 8, 8, 1, 1, 1, "c4");
        String s = b.op("Add", "Add_5", List.of(x, y), "a5");
        s = b.op("Relu", "Relu_6", List.of(s), "r6");
        s = b.op("MaxPool", "MaxPool_7", List.of(s), "m7", Nodes.attr("kernel_shape", 2L, 2L), Nodes.attr("strides", 2L, 2L));
        s = b.conv("Conv_8", s, 8, 16, 1, 1, 1, "c8");
        s = b.op("Relu", "Relu_9", List.of(s), "r9");
        s = b.op("GlobalAveragePool", "GlobalAveragePool_10", List.of(s), "g10");
        s = b.op("Flatten", "Flatten_11", List.of(s), "f11", Nodes.attr("axis", 1L));
        b.gemm("Gemm_12", s, 16, 10, "output");
        return b.output("output").build();
    }

    /** Classes of {@link #heavyTailedClassifier}. */
    public static final int CLASSES = 100;
    /** Log-normal sigma of the class scales of {@link #heavyTailedClassifier}. */
    private static final double HEAVY_TAIL_SIGMA = 1.2;

    /**
     * A classifier whose logits are heavy-tailed, as a trained network's are: input {@code input}
     * 1x3x16x16; conv+relu, global pool, flatten, gemm+relu (16 features), gemm to
     * {@value #CLASSES} logits (tensor {@code logits}), Softmax output {@code probabilities}. Each
     * class's weight row has a log-normal scale, so a few classes answer far louder than the rest:
     * the logits' histogram is a tall bulk with a long thin tail, and that tail decides the class.
     */
    public static OnnxModel heavyTailedClassifier() {
        Builder b = new Builder(7).input("input", 1, 3, 16, 16);
        String x = b.conv("Conv_0", "input", 3, 8, 3, 1, 1, "c0");
        x = b.op("Relu", "Relu_1", List.of(x), "r1");
        x = b.op("GlobalAveragePool", "GlobalAveragePool_2", List.of(x), "g2");
        x = b.op("Flatten", "Flatten_3", List.of(x), "f3", Nodes.attr("axis", 1L));
        x = b.gemm("Gemm_4", x, 8, 16, "h4");
        x = b.op("Relu", "Relu_5", List.of(x), "r5");
        float[] w = b.random(CLASSES * 16, 0.25);
        float[] scale = b.random(CLASSES, HEAVY_TAIL_SIGMA);
        for (int i = 0; i < w.length; i++) {
            w[i] *= (float) Math.exp(scale[i / 16]);
        }
        String wn = b.init(new long[] {CLASSES, 16}, w);
        String bn = b.init(new long[] {CLASSES}, b.random(CLASSES, 0.1));
        b.op("Gemm", "Gemm_6", List.of(x, wn, bn), "logits", Nodes.attr("transB", 1L));
        b.op("Softmax", "Softmax_7", List.of("logits"), "probabilities", Nodes.attr("axis", 1L));
        return b.output("probabilities").build();
    }

    /** The repository's root: the first folder above the working directory that holds {@code sample-models/}. */
    public static java.nio.file.Path repoRoot() {
        java.nio.file.Path p = java.nio.file.Path.of("").toAbsolutePath();
        while (p != null && !java.nio.file.Files.isDirectory(p.resolve("sample-models"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no sample-models/ folder above " + java.nio.file.Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** A deterministic pseudo-image input for {@link #smallCnn}, values roughly in [-2, 2]. */
    public static FloatTensor smallInput(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[3 * 16 * 16];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (Math.sin(i * 0.37 + seed) * 1.5 + (r.nextDouble() - 0.5));
        }
        return new FloatTensor(new long[] {1, 3, 16, 16}, d);
    }
}
