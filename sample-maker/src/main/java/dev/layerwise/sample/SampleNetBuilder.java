package dev.layerwise.sample;

import static dev.layerwise.core.onnx.Nodes.attr;

import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.Tensors;
import dev.layerwise.core.onnx.proto.Onnx.AttributeProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits ONNX nodes the way PyTorch's exporter names them ({@code Conv_0}, {@code Relu_1}, ...) and,
 * in the same step, runs each node in Java on every sample image. Running while building is what
 * lets each convolution get a batch-norm folded from the statistics of its own output on the sample
 * images, as in a trained network: activations stay at unit scale through any depth. Single use,
 * not thread-safe.
 */
final class SampleNetBuilder {

    /**
     * A tensor's values on every sample image.
     *
     * @param c channels, {@code h} x {@code w} spatial size (1 x 1 for vectors)
     * @param data one array per image, NCHW with batch 1
     */
    record Act(int c, int h, int w, float[][] data) {
        int plane() {
            return h * w;
        }
    }

    /** Mean of a folded batch-norm's beta before a Relu; negative makes some channels sparse. */
    private static final double RELU_BETA_MEAN = -0.15;

    /** Mean of a depthwise filter's taps, in units of their random spread. */
    private static final double DEPTHWISE_MEAN = 1.5;

    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final Map<String, Boolean> constantNames = new HashMap<>();
    private final Map<String, Act> values = new HashMap<>();
    private final Map<String, Double> outliers;
    private final SampleRandom random;
    private final int images;
    private int nodeIndex;
    private int valueIndex;
    private long parameters;

    /**
     * @param input the preprocessed sample images, stored under the graph input's name
     * @param outliers planted outlier magnitude by parameter prefix (see {@link #conv})
     */
    SampleNetBuilder(String inputName, Act input, SampleRandom random, Map<String, Double> outliers) {
        this.random = random;
        this.outliers = outliers;
        this.images = input.data().length;
        values.put(inputName, input);
    }

    List<NodeProto> nodes() {
        return nodes;
    }

    List<TensorProto> initializers() {
        return initializers;
    }

    Act value(String name) {
        return values.get(name);
    }

    long parameters() {
        return parameters;
    }

    /**
     * A convolution with its batch-norm folded in, plus a Relu when {@code relu}.
     *
     * <p>Weights start He-initialised; the folded batch-norm then maps each output channel to
     * {@code gamma * z + beta} where {@code z} is that channel centred over all sample images and
     * divided by its spread (at least the layer's median channel spread), {@code gamma} log-normal
     * around 1 and
     * {@code beta} a little negative on average before a Relu, so that some channels are sparse,
     * as in trained networks.
     *
     * <p>When {@code prefix} has a planted outlier magnitude {@code m}, two weights of the folded
     * kernel, in the column of the sparsest input channel, are set to {@code +m} and {@code -0.8 m}
     * times the kernel's RMS: a range that per-tensor 8-bit weights cannot share with the rest. Being
     * on a mostly-zero input they barely change the float output, which is how such weights survive
     * in trained networks.
     */
    String conv(String in, String prefix, int outC, int k, int stride, int groups, boolean relu) {
        Act x = values.get(in);
        int inC = x.c();
        int cpg = inC / groups;
        int pad = k / 2;
        int oh = JavaOps.outSize(x.h(), k, stride, pad);
        int ow = JavaOps.outSize(x.w(), k, stride, pad);
        float[] w = new float[outC * cpg * k * k];
        double he = StrictMath.sqrt(2.0 / (cpg * k * k));
        // depthwise filters get a positive mean (mostly blur, some edge), like trained ones; purely
        // random 3x3 filters are high-pass, and would amplify white quantization noise relative
        // to the smooth signal at every unit
        double dc = groups > 1 ? DEPTHWISE_MEAN : 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((dc + random.gaussian()) * he);
        }
        float[][] raw = new float[images][];
        for (int n = 0; n < images; n++) {
            raw[n] = JavaOps.conv(x.data()[n], inC, x.h(), x.w(), w, null, outC, k, stride, pad, groups);
        }
        double[][] stats = channelStats(raw, outC, oh * ow);
        // Channels are normalised by their own spread, but never by less than the layer's median
        // channel's: boosting weak channels (as plain batch-norm statistics of random weights
        // would) boosts their quantization noise too, and that compounds over 50 layers into an
        // error no trained network has. Means are removed per channel, so beta sets sparsity.
        double floor = Math.max(median(stats[1]), 1e-6);
        float[] bias = new float[outC];
        int per = cpg * k * k;
        for (int oc = 0; oc < outC; oc++) {
            double std = Math.max(stats[1][oc], floor);
            double gamma = StrictMath.exp(0.3 * random.gaussian());
            double beta = relu ? RELU_BETA_MEAN + 0.55 * random.gaussian() : 0.25 * random.gaussian();
            double a = gamma / std;
            for (int i = 0; i < per; i++) {
                w[oc * per + i] = (float) (w[oc * per + i] * a);
            }
            bias[oc] = (float) (beta - a * stats[0][oc]);
        }
        Double outlier = outliers.get(prefix);
        if (outlier != null) {
            if (k != 1 || groups != 1) {
                throw new IllegalArgumentException(prefix + ": outliers are planted in pointwise convolutions only");
            }
            plantOutliers(w, outC, inC, x, outlier);
        }
        parameters += w.length + bias.length;
        String wName = prefix + ".weight";
        String bName = prefix + ".bias";
        initializers.add(Tensors.floats(wName, new long[] {outC, cpg, k, k}, w));
        initializers.add(Tensors.floats(bName, new long[] {outC}, bias));
        float[][] y = new float[images][];
        for (int n = 0; n < images; n++) {
            y[n] = JavaOps.conv(x.data()[n], inC, x.h(), x.w(), w, bias, outC, k, stride, pad, groups);
        }
        String node = nextName("Conv");
        String out = emit(node, "Conv", List.of(in, wName, bName), new Act(outC, oh, ow, y),
                attr("dilations", 1L, 1L), attr("group", (long) groups), attr("kernel_shape", (long) k, (long) k),
                attr("pads", (long) pad, (long) pad, (long) pad, (long) pad), attr("strides", (long) stride, (long) stride));
        if (relu) {
            out = relu(out);
        }
        return out;
    }

    private void plantOutliers(float[] w, int outC, int inC, Act x, double magnitude) {
        // the input channel that is most often zero carries the outliers
        int plane = x.plane();
        int sparsest = 0;
        double best = Double.MAX_VALUE;
        for (int ic = 0; ic < inC; ic++) {
            double ss = 0;
            for (float[] img : x.data()) {
                for (int i = 0; i < plane; i++) {
                    double v = img[ic * plane + i];
                    ss += v * v;
                }
            }
            if (ss < best) {
                best = ss;
                sparsest = ic;
            }
        }
        double ss = 0;
        for (float v : w) {
            ss += (double) v * v;
        }
        double rms = StrictMath.sqrt(ss / w.length);
        int up = random.nextInt(outC);
        int down = (up + 1 + random.nextInt(outC - 1)) % outC;
        w[up * inC + sparsest] = (float) (magnitude * rms);
        w[down * inC + sparsest] = (float) (-0.8 * magnitude * rms);
    }

    String relu(String in) {
        Act x = values.get(in);
        float[][] y = new float[images][];
        for (int n = 0; n < images; n++) {
            y[n] = JavaOps.relu(x.data()[n]);
        }
        return emit(nextName("Relu"), "Relu", List.of(in), new Act(x.c(), x.h(), x.w(), y));
    }

    String maxPool(String in, int k, int stride) {
        Act x = values.get(in);
        int pad = k / 2;
        float[][] y = new float[images][];
        for (int n = 0; n < images; n++) {
            y[n] = JavaOps.maxPool(x.data()[n], x.c(), x.h(), x.w(), k, stride, pad);
        }
        int oh = JavaOps.outSize(x.h(), k, stride, pad);
        int ow = JavaOps.outSize(x.w(), k, stride, pad);
        return emit(nextName("MaxPool"), "MaxPool", List.of(in), new Act(x.c(), oh, ow, y),
                attr("ceil_mode", 0L), attr("kernel_shape", (long) k, (long) k),
                attr("pads", (long) pad, (long) pad, (long) pad, (long) pad), attr("strides", (long) stride, (long) stride));
    }

    /** Channels {@code [from, to)} as an opset-11 Slice with int64 initializer bounds. */
    String sliceChannels(String in, int from, int to) {
        Act x = values.get(in);
        float[][] y = new float[images][];
        for (int n = 0; n < images; n++) {
            y[n] = JavaOps.sliceChannels(x.data()[n], x.plane(), from, to);
        }
        String starts = constant("slice." + from, from);
        String ends = constant("slice." + to, to);
        String axes = constant("slice.axis1", 1);
        return emit(nextName("Slice"), "Slice", List.of(in, starts, ends, axes), new Act(to - from, x.h(), x.w(), y));
    }

    String concat(String a, String b) {
        Act x = values.get(a);
        Act z = values.get(b);
        float[][] y = new float[images][];
        for (int n = 0; n < images; n++) {
            y[n] = JavaOps.concat(x.data()[n], z.data()[n]);
        }
        return emit(nextName("Concat"), "Concat", List.of(a, b), new Act(x.c() + z.c(), x.h(), x.w(), y), attr("axis", 1L));
    }

    /** Reshape (1, 2, C/2, H, W), Transpose (0, 2, 1, 3, 4), Reshape (1, C, H, W), as torchvision writes it. */
    String channelShuffle(String in) {
        Act x = values.get(in);
        int c = x.c();
        String split = constant(shapeName(1, 2, c / 2, x.h(), x.w()), 1, 2, c / 2, x.h(), x.w());
        String flat = constant(shapeName(1, c, x.h(), x.w()), 1, c, x.h(), x.w());
        // the 5-D intermediates hold the same values in another order; only the result is computed
        String r1 = emit(nextName("Reshape"), "Reshape", List.of(in, split), null);
        String t = emit(nextName("Transpose"), "Transpose", List.of(r1), null, attr("perm", 0L, 2L, 1L, 3L, 4L));
        float[][] y = new float[images][];
        for (int n = 0; n < images; n++) {
            y[n] = JavaOps.shuffle(x.data()[n], c, x.plane());
        }
        return emit(nextName("Reshape"), "Reshape", List.of(t, flat), new Act(c, x.h(), x.w(), y));
    }

    /** AveragePool over the whole plane, as the vendor's export has it, then Reshape to (1, C). */
    String globalAveragePoolFlat(String in) {
        Act x = values.get(in);
        float[][] y = new float[images][];
        for (int n = 0; n < images; n++) {
            y[n] = JavaOps.channelMean(x.data()[n], x.c(), x.plane());
        }
        String pooled = emit(nextName("AveragePool"), "AveragePool", List.of(in), new Act(x.c(), 1, 1, y),
                attr("kernel_shape", (long) x.h(), (long) x.w()), attr("pads", 0L, 0L, 0L, 0L),
                attr("strides", (long) x.h(), (long) x.w()));
        String shape = constant(shapeName(1, x.c()), 1, x.c());
        return emit(nextName("Reshape"), "Reshape", List.of(pooled, shape), new Act(x.c(), 1, 1, y));
    }

    /** Gemm with transB = 1 and the given (designed) parameters; its output is named {@code outputName}. */
    String gemm(String in, String prefix, float[] w, float[] bias, String outputName) {
        Act x = values.get(in);
        int out = bias.length;
        float[][] y = new float[images][];
        for (int n = 0; n < images; n++) {
            y[n] = JavaOps.gemm(x.data()[n], w, bias, out);
        }
        parameters += w.length + bias.length;
        initializers.add(Tensors.floats(prefix + ".weight", new long[] {out, x.c()}, w));
        initializers.add(Tensors.floats(prefix + ".bias", new long[] {out}, bias));
        String node = nextName("Gemm");
        nodes.add(Nodes.node("Gemm", node, List.of(in, prefix + ".weight", prefix + ".bias"), List.of(outputName),
                attr("alpha", 1.0f), attr("beta", 1.0f), attr("transB", 1L)));
        values.put(outputName, new Act(out, 1, 1, y));
        return outputName;
    }

    private String nextName(String op) {
        return op + "_" + nodeIndex++;
    }

    private String emit(String node, String op, List<String> inputs, Act result, AttributeProto... attrs) {
        // tensor names are running numbers, like the exporter's
        String out = Integer.toString(++valueIndex);
        nodes.add(Nodes.node(op, node, inputs, List.of(out), attrs));
        if (result != null) {
            values.put(out, result);
        }
        return out;
    }

    private String constant(String name, long... data) {
        if (constantNames.putIfAbsent(name, Boolean.TRUE) == null) {
            initializers.add(Tensors.longs(name, new long[] {data.length}, data));
        }
        return name;
    }

    private static String shapeName(long... dims) {
        StringBuilder sb = new StringBuilder("shape.");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Per-channel mean ({@code [0]}) and standard deviation ({@code [1]}) over all images and positions. */
    static double[][] channelStats(float[][] data, int c, int plane) {
        double[][] out = new double[2][c];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            double ss = 0;
            for (float[] img : data) {
                for (int i = 0; i < plane; i++) {
                    double v = img[ch * plane + i];
                    s += v;
                    ss += v * v;
                }
            }
            double n = (double) data.length * plane;
            double mean = s / n;
            out[0][ch] = mean;
            out[1][ch] = StrictMath.sqrt(Math.max(ss / n - mean * mean, 0));
        }
        return out;
    }
}
