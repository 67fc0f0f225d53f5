package dev.layerwise.sample;

import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.OperatorSetIdProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Generates the project's sample model: ShuffleNetV2 x1.0 with the topology PyTorch exports at
 * opset 11 (about 2.3 M parameters), with seeded synthetic weights instead of trained ones, plus
 * the pictures, {@code dataset.txt} and {@code labels.txt} that go with it.
 *
 * <p>The weights are built to tell RKNN-Toolkit's accuracy-analysis story: activations at trained
 * scales through all 16 blocks, a head that gives the main picture a dominant top-1
 * ({@link #MAIN_CLASS}, Shih-Tzu), and three pointwise convolutions ({@link #PLANTED_LAYERS}) whose
 * weight range is dominated by a few outliers, so that per-tensor 8-bit quantization hurts them and
 * nothing else.
 *
 * <p>Generation is deterministic: the same {@link Tuning} gives byte-identical files on any JVM
 * (fixed-seed {@link java.util.SplittableRandom}, {@link StrictMath}, no hash-order iteration, and
 * a forward pass in Java rather than in ONNX Runtime wherever a weight depends on activations).
 * Static methods only; safe to call from any thread.
 */
public final class ShuffleNetV2Sample {

    /** The name this class had in core, written into the model's doc string (changing it changes the sample's bytes). */
    private static final String LEGACY_CLASS_NAME = "dev.layerwise.core.sample.ShuffleNetV2Sample";

    /** The model's file name inside the sample folder. */
    public static final String MODEL_FILE = "shufflenetv2_x1.onnx";

    /** The picture the story is told on, relative to the sample folder. */
    public static final String MAIN_IMAGE = "dog_224x224.png";

    public static final String DATASET_FILE = "dataset.txt";

    public static final String LABELS_FILE = "labels.txt";

    /** Graph input ({@code 1x3x224x224} float, RGB, NCHW) and output ({@code 1x1000} logits). */
    public static final String INPUT = "input";

    public static final String OUTPUT = "output";

    /** Preprocessing the sample expects: {@code (pixel - mean) / std} per RGB channel. */
    public static final List<Float> MEAN = dev.layerwise.core.preprocess.ImageNet.meanValues();

    public static final List<Float> STD = dev.layerwise.core.preprocess.ImageNet.stdValues();

    /** ImageNet class of the main picture (Shih-Tzu) and the class that comes second (Pekinese). */
    public static final int MAIN_CLASS = 155;

    public static final int RUNNER_UP_CLASS = 154;

    /** PyTorch module paths of the planted convolutions, in graph order. */
    public static final List<String> PLANTED_MODULES = List.of(
            "stage3.6.branch2.0", "stage3.7.branch2.0", "stage4.2.branch2.0");

    /**
     * Node names (= layer names) of the planted convolutions, in graph order; each is followed by
     * its fused Relu. {@code ShuffleNetV2SampleTest} checks they match {@link #PLANTED_MODULES}.
     */
    public static final List<String> PLANTED_LAYERS = List.of("Conv_117", "Conv_128", "Conv_162");

    private static final int CLASSES = 1000;

    private static final int OPSET = 11;

    /** ONNX IR version that goes with opset 11 (ONNX 1.6), as PyTorch writes it. */
    private static final long IR_VERSION = 6;

    /**
     * The knobs that shape the story; the defaults are what the committed sample is made with.
     *
     * @param seed seed of every random draw
     * @param outlierMagnitudes for each of {@link #PLANTED_MODULES}, the largest planted weight as a
     *     multiple of the kernel's RMS weight before planting (the outliers raise the RMS: 100 ends up
     *     about 67 times the final RMS); larger means a worse 8-bit weight grid
     * @param mainTop1 float top-1 probability wanted on the main picture
     * @param runnerUpGap logit distance from the main picture's top-1 to {@link #RUNNER_UP_CLASS}
     * @param otherTop1 float top-1 probabilities wanted on the calibration pictures, cycled
     * @param backgroundSpread standard deviation of the logits of classes no picture is built for
     */
    public record Tuning(long seed, List<Double> outlierMagnitudes, double mainTop1, double runnerUpGap,
            List<Double> otherTop1, double backgroundSpread) {

        // The background spread is small because the background rows also pick up the u8 noise of
        // the pooled features: with a spread near 1 the u8 top-1 falls far below the vendor's 0.91.
        public static final Tuning DEFAULT = new Tuning(20240611L, List.of(100.0, 72.0, 110.0), 0.976, 3.8,
                List.of(0.82, 0.64, 0.91, 0.55, 0.73, 0.87, 0.48, 0.69, 0.78, 0.60, 0.85, 0.71), 0.12);

        public Tuning {
            outlierMagnitudes = List.copyOf(outlierMagnitudes);
            otherTop1 = List.copyOf(otherTop1);
            if (outlierMagnitudes.size() != PLANTED_MODULES.size()) {
                throw new IllegalArgumentException("one outlier magnitude per planted layer expected");
            }
        }
    }

    /** What generation produced: the model and the pictures that go with it. */
    record Generated(ModelProto model, List<SampleImages.Picture> pictures) {
    }

    private ShuffleNetV2Sample() {
    }

    /** The sample model with the default tuning. */
    public static ModelProto build() {
        return generate(Tuning.DEFAULT).model();
    }

    public static ModelProto build(Tuning tuning) {
        return generate(tuning).model();
    }

    /**
     * The files {@link #writeAll(Path)} writes, relative to its folder, with {@code /} as separator:
     * the model, the pictures (main picture first), {@code dataset.txt} and {@code labels.txt}.
     */
    public static List<String> files() {
        List<String> out = new ArrayList<>();
        out.add(MODEL_FILE);
        for (SampleImages.Picture p : SampleImages.render()) {
            out.add(p.file());
        }
        out.add(DATASET_FILE);
        out.add(LABELS_FILE);
        return List.copyOf(out);
    }

    /**
     * Writes the model, the pictures, {@code dataset.txt} and {@code labels.txt} into
     * {@code folder}, creating it when needed and replacing files of the same names. Takes a few
     * seconds: the weights are computed afresh.
     */
    public static void writeAll(Path folder) throws IOException {
        writeAll(generate(Tuning.DEFAULT), folder);
    }

    static void writeAll(Generated g, Path folder) throws IOException {
        AtomicFiles.write(folder.resolve(MODEL_FILE), g.model().toByteArray());
        StringBuilder dataset = new StringBuilder();
        for (SampleImages.Picture p : g.pictures()) {
            AtomicFiles.write(folder.resolve(p.file()), png(p.image()));
            dataset.append(p.file()).append('\n');
        }
        AtomicFiles.writeString(folder.resolve(DATASET_FILE), dataset.toString());
        AtomicFiles.write(folder.resolve(LABELS_FILE), labels());
    }

    /** Command-line entry: {@code ShuffleNetV2Sample OUTPUT_FOLDER}. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ShuffleNetV2Sample OUTPUT_FOLDER");
            System.exit(2);
        }
        try {
            writeAll(Path.of(args[0]));
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot write the sample into " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** The ImageNet class names shipped as {@code labels.txt}, one per line in index order. */
    static byte[] labels() throws IOException {
        try (InputStream in = ShuffleNetV2Sample.class.getResourceAsStream("imagenet_labels.txt")) {
            if (in == null) {
                throw new IOException("imagenet_labels.txt missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available");
        }
        return out.toByteArray();
    }

    /** A picture as the model's input: RGB, NCHW, {@code (pixel - mean) / std}. */
    static float[] preprocess(BufferedImage image) {
        int size = SampleImages.SIZE;
        float[] x = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int xx = 0; xx < size; xx++) {
                int rgb = image.getRGB(xx, y);
                for (int c = 0; c < 3; c++) {
                    int v = (rgb >> (16 - 8 * c)) & 0xFF;
                    x[(c * size + y) * size + xx] = (v - MEAN.get(c)) / STD.get(c);
                }
            }
        }
        return x;
    }

    static Generated generate(Tuning tuning) {
        List<SampleImages.Picture> pictures = SampleImages.render();
        int n = pictures.size();
        float[][] inputs = new float[n][];
        for (int i = 0; i < n; i++) {
            inputs[i] = preprocess(pictures.get(i).image());
        }
        Map<String, Double> outliers = new HashMap<>();
        for (int i = 0; i < PLANTED_MODULES.size(); i++) {
            outliers.put(PLANTED_MODULES.get(i), tuning.outlierMagnitudes().get(i));
        }
        SampleRandom random = new SampleRandom(tuning.seed());
        int size = SampleImages.SIZE;
        SampleNetBuilder net = new SampleNetBuilder(INPUT,
                new SampleNetBuilder.Act(3, size, size, inputs), random, outliers);

        String x = net.conv(INPUT, "conv1.0", 24, 3, 2, 1, true);
        x = net.maxPool(x, 3, 2);
        int[] repeats = {4, 8, 4};
        int[] channels = {116, 232, 464};
        for (int s = 0; s < 3; s++) {
            for (int b = 0; b < repeats[s]; b++) {
                x = block(net, x, "stage" + (s + 2) + "." + b, channels[s], b == 0);
            }
        }
        x = net.conv(x, "conv5.0", 1024, 1, 1, 1, true);
        String features = net.globalAveragePoolFlat(x);

        float[][] pooled = net.value(features).data();
        int[] classes = new int[n];
        double[] top1 = new double[n];
        for (int i = 0; i < n; i++) {
            classes[i] = pictures.get(i).classIndex();
            top1[i] = i == 0 ? tuning.mainTop1() : tuning.otherTop1().get((i - 1) % tuning.otherTop1().size());
        }
        ClassifierHead head = ClassifierHead.design(pooled, classes, top1, RUNNER_UP_CLASS, tuning.runnerUpGap(),
                tuning.backgroundSpread(), CLASSES, random);
        net.gemm(features, "fc", head.weight(), head.bias(), OUTPUT);

        GraphProto graph = GraphProto.newBuilder()
                .setName("shufflenetv2_x1")
                // the class's name when the bundled sample was made: the sample stays byte-identical
                .setDocString("Synthetic seeded weights, not trained; generated by " + LEGACY_CLASS_NAME)
                .addAllNode(net.nodes())
                .addAllInitializer(net.initializers())
                .addInput(Nodes.valueInfo(INPUT, DataType.FLOAT_VALUE, 1, 3, size, size))
                .addOutput(Nodes.valueInfo(OUTPUT, DataType.FLOAT_VALUE, 1, CLASSES))
                .build();
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("layerwise")
                .setProducerVersion("sample-1")
                .setDocString("ShuffleNetV2 x1.0 stand-in for the accuracy-analysis walkthrough: real topology, "
                        + "synthetic weights with three planted quantization-unfriendly layers")
                .setGraph(graph)
                .build();
        return new Generated(model, pictures);
    }

    /** One ShuffleNetV2 unit with torchvision's module names. */
    private static String block(SampleNetBuilder net, String in, String prefix, int outC, boolean downsample) {
        int half = outC / 2;
        String left;
        String right;
        if (downsample) {
            String b1 = net.conv(in, prefix + ".branch1.0", net.value(in).c(), 3, 2, net.value(in).c(), false);
            left = net.conv(b1, prefix + ".branch1.2", half, 1, 1, 1, true);
            right = branch2(net, in, prefix, half, 2);
        } else {
            int c = net.value(in).c();
            left = net.sliceChannels(in, 0, c / 2);
            String second = net.sliceChannels(in, c / 2, c);
            right = branch2(net, second, prefix, half, 1);
        }
        return net.channelShuffle(net.concat(left, right));
    }

    private static String branch2(SampleNetBuilder net, String in, String prefix, int half, int stride) {
        String a = net.conv(in, prefix + ".branch2.0", half, 1, 1, 1, true);
        String d = net.conv(a, prefix + ".branch2.3", half, 3, stride, half, false);
        return net.conv(d, prefix + ".branch2.5", half, 1, 1, 1, true);
    }
}
