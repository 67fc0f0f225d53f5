package dev.layerwise.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShuffleNetV2SampleTest {

    private static final double[] MEAN = {123.68, 116.28, 103.53};
    private static final double STD = 57.38;

    @TempDir
    static Path regenerated;

    static Path committed;

    @BeforeAll
    static void regenerate() throws IOException {
        committed = repoRoot().resolve("sample-models/shufflenetv2_x1");
        ShuffleNetV2Sample.Generated generated = ShuffleNetV2Sample.generate(ShuffleNetV2Sample.Tuning.DEFAULT);
        ShuffleNetV2Sample.writeAll(generated, regenerated);
    }

    @Test
    void regeneratedFilesAreByteIdenticalToTheCommittedOnes() throws IOException {
        List<Path> made = files(regenerated);
        List<Path> kept = files(committed).stream().filter(p -> !p.toString().equals("README.md")).toList();
        assertEquals(kept, made, "same set of generated files");
        assertEquals(ShuffleNetV2Sample.files().stream().map(Path::of).sorted().toList(), made, "files() lists them all");
        for (Path p : made) {
            assertArrayEquals(Files.readAllBytes(committed.resolve(p)), Files.readAllBytes(regenerated.resolve(p)),
                    p + " differs from the committed file; rerun ShuffleNetV2Sample and commit if the change is meant");
        }
    }

    @Test
    void hasAboutTwoPointThreeMillionParameters() throws Exception {
        long params = 0;
        for (TensorProto t : model().getGraph().getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                params += FloatTensor.elementCount(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
            }
        }
        System.out.println("sample parameters: " + params);
        assertTrue(params > 2_200_000 && params < 2_400_000, "parameters: " + params);
    }

    @Test
    void hasTheExportedTopologyAndNaming() throws Exception {
        GraphProto g = model().getGraph();
        assertEquals(11, OnnxModel.of(model()).defaultOpset());
        assertEquals("input", g.getInput(0).getName());
        assertEquals("output", g.getOutput(0).getName());
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            assertEquals(n.getOpType() + "_" + i, n.getName(), "nodes are numbered in graph order");
        }
        assertEquals(56 + 1, count(g, "Conv") + count(g, "Gemm"), "56 convolutions and the classifier");
        assertEquals(13 * 2, count(g, "Slice"), "two Slices per non-downsampling unit");
        assertEquals(16, count(g, "Transpose"), "one channel shuffle per unit");
    }

    @Test
    void plantedLayerNamesAreTheConvolutionsOfThePlantedModules() throws Exception {
        GraphProto g = model().getGraph();
        for (int i = 0; i < ShuffleNetV2Sample.PLANTED_MODULES.size(); i++) {
            String weight = ShuffleNetV2Sample.PLANTED_MODULES.get(i) + ".weight";
            int at = -1;
            for (int n = 0; n < g.getNodeCount(); n++) {
                if (g.getNode(n).getOpType().equals("Conv") && g.getNode(n).getInput(1).equals(weight)) {
                    at = n;
                }
            }
            assertTrue(at >= 0, weight);
            assertEquals(ShuffleNetV2Sample.PLANTED_LAYERS.get(i), g.getNode(at).getName());
            assertEquals("Relu", g.getNode(at + 1).getOpType(), "a planted conv has a fused Relu");
            assertEquals(1, Nodes.intAttr(g.getNode(at), "group", 1), "planted convs are pointwise");
        }
    }

    @Test
    void mainPictureGetsADominantShihTzu() throws Exception {
        Labels labels = Labels.load(committed.resolve("labels.txt"));
        try (OnnxSession s = OnnxSession.create(OnnxModel.load(committed.resolve("shufflenetv2_x1.onnx")), "sample")) {
            TopK top = TopK.of(run(s, committed.resolve("dog_224x224.png")), 5, labels);
            System.out.println("float top-5 of the main picture:\n" + top.format());
            assertEquals(155, top.top1().index());
            assertEquals("Shih-Tzu", top.top1().label());
            assertTrue(top.top1().score() >= 0.6 && top.top1().score() <= 0.99, "top-1 " + top.top1().score());
            assertEquals(154, top.entries().get(1).index(), "Pekinese comes second");
        }
    }

    @Test
    void otherPicturesGetOtherClasses() throws Exception {
        List<String> lines = Files.readAllLines(committed.resolve("dataset.txt"), StandardCharsets.UTF_8);
        assertEquals(13, lines.size());
        assertEquals("dog_224x224.png", lines.get(0), "the main picture is part of the dataset, as in the vendor's example");
        try (OnnxSession s = OnnxSession.create(OnnxModel.load(committed.resolve("shufflenetv2_x1.onnx")), "sample")) {
            List<Integer> tops = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                TopK top = TopK.of(run(s, committed.resolve(line)), 1, null);
                assertNotEquals(155, top.top1().index(), line);
                tops.add(top.top1().index());
            }
            assertEquals(tops.size(), tops.stream().distinct().count(), "each picture has its own class: " + tops);
        }
    }

    @Test
    void labelsAreTheThousandImageNetClassesInIndexOrder() throws IOException {
        Labels labels = Labels.load(committed.resolve("labels.txt"));
        assertEquals(1000, labels.names().size());
        assertEquals("tench", labels.get(0));
        assertEquals("goldfish", labels.get(1));
        assertEquals("Shih-Tzu", labels.get(155));
        assertEquals("golden retriever", labels.get(207));
        assertEquals("toilet tissue", labels.get(999));
    }

    /**
     * Every tensor's standard deviation, per picture, as ONNX Runtime computes it with all
     * intermediate tensors exposed: neither exploding nor vanishing through the 16 units.
     */
    @Test
    void activationsStayAtTrainedScalesThroughEveryLayer() throws Exception {
        ModelProto m = model();
        GraphProto.Builder g = m.getGraph().toBuilder();
        List<String> tensors = new ArrayList<>();
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (!n.getOutput(0).equals("output")) {
                g.addOutput(Nodes.output(n.getOutput(0)));
            }
            tensors.add(n.getOutput(0));
        }
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        String lowestAt = "";
        String highestAt = "";
        try (OnnxSession s = OnnxSession.create(OnnxModel.of(m.toBuilder().setGraph(g).build()), "sample+outputs")) {
            for (String line : Files.readAllLines(committed.resolve("dataset.txt"), StandardCharsets.UTF_8)) {
                Map<String, FloatTensor> out = s.run(Map.of("input", input(committed.resolve(line))));
                for (String t : tensors) {
                    double std = std(out.get(t).data());
                    if (std < lowest) {
                        lowest = std;
                        lowestAt = t + " on " + line;
                    }
                    if (std > highest) {
                        highest = std;
                        highestAt = t + " on " + line;
                    }
                }
            }
        }
        System.out.printf("activation std: lowest %.4f (%s), highest %.4f (%s)%n", lowest, lowestAt, highest, highestAt);
        assertTrue(lowest >= 0.05, "vanishing: " + lowest + " at " + lowestAt);
        assertTrue(highest <= 50, "exploding: " + highest + " at " + highestAt);
    }

    private static double std(float[] x) {
        double s = 0;
        double ss = 0;
        for (float v : x) {
            s += v;
            ss += (double) v * v;
        }
        double mean = s / x.length;
        return Math.sqrt(Math.max(ss / x.length - mean * mean, 0));
    }

    private static float[] run(OnnxSession s, Path image) throws Exception {
        return s.run(Map.of("input", input(image))).get("output").data();
    }

    /** The preprocessing the sample documents, written out here independently of the generator. */
    private static FloatTensor input(Path image) throws IOException {
        BufferedImage img = ImageIO.read(image.toFile());
        int h = img.getHeight();
        int w = img.getWidth();
        float[] x = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int rgb = img.getRGB(xx, y);
                for (int c = 0; c < 3; c++) {
                    x[(c * h + y) * w + xx] = (float) ((((rgb >> (16 - 8 * c)) & 0xFF) - MEAN[c]) / STD);
                }
            }
        }
        return new FloatTensor(new long[] {1, 3, h, w}, x);
    }

    private static ModelProto model() throws Exception {
        return OnnxModel.load(committed.resolve("shufflenetv2_x1.onnx")).proto();
    }

    private static long count(GraphProto g, String op) {
        return g.getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    private static Path repoRoot() {
        return dev.layerwise.core.TestModels.repoRoot();
    }
}
