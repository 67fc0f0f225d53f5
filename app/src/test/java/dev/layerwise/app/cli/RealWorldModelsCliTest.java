package dev.layerwise.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerwise.app.cli.CliTest.Outcome;
import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.tensor.FloatTensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code analyze}, {@code hybrid-step1/2} and {@code compare} on the kinds of model users bring, as files. */
class RealWorldModelsCliTest {

    @TempDir
    Path dir;

    /**
     * @param extra options the model needs (e.g. {@code --input-shape})
     * @param classVectors which outputs are class vectors, in order
     * @param feedShape the shape to run the exported models with
     */
    record Case(String what, OnnxModel model, List<String> extra, List<String> outputs, List<Boolean> classVectors,
            long[] feedShape) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Arguments> models() {
        return Stream.of(
                new Case("opset 7 classifier", RealWorldModels.opset7Classifier(), List.of(), List.of("prob"), List.of(true),
                        new long[] {1, 3, 32, 32}),
                new Case("opset 8 gray classifier fed RGB images", RealWorldModels.grayClassifier(), List.of(),
                        List.of("Plus214_Output_0"), List.of(true), new long[] {1, 1, 28, 28}),
                new Case("opset 9 detector", RealWorldModels.opset9Detector(), List.of(), List.of("conf", "loc", "score"),
                        List.of(false, false, true), new long[] {1, 3, 32, 32}),
                new Case("NHWC segmenter", RealWorldModels.nhwcSegmenter(32, 48, 5), List.of(), List.of("SemanticPredictions:0"),
                        List.of(false), new long[] {1, 32, 48, 3}),
                new Case("3-output detector", RealWorldModels.detector(48, 64, 4), List.of(), List.of("scores", "boxes",
                        "objectness"), List.of(false, false, false), new long[] {1, 3, 48, 64}),
                new Case("control-flow detector", RealWorldModels.controlFlowDetector(), List.of(), List.of("scores", "boxes"),
                        List.of(false, false), new long[] {1, 3, 48, 64}),
                new Case("dynamic H/W", RealWorldModels.dynamicSizeDetector(), List.of("--input-shape", "x=1,3,40,56"),
                        List.of("sigmoid_0.tmp_0"), List.of(false), new long[] {1, 3, 40, 56}),
                new Case("float16 classifier", RealWorldModels.float16Classifier(), List.of(), List.of("softmaxout_1"),
                        List.of(true), new long[] {1, 3, 32, 32})).map(Arguments::of);
    }

    private Path dataset() throws Exception {
        Files.createDirectories(dir.resolve("img"));
        StringBuilder ds = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            CliTest.writeImage(dir.resolve("img/" + i + ".png"), 40, 36, BufferedImage.TYPE_3BYTE_BGR, i);
            ds.append("img/").append(i).append(".png\n");
        }
        return Files.writeString(dir.resolve("dataset.txt"), ds);
    }

    private static Outcome cli(List<String> args, List<String> extra) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--mean", "127.5", "--std", "64"));
        all.addAll(extra);
        return CliTest.cli(all.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void analyzeHybridStepsAndCompareSucceed(Case c) throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), c.model().toBytes());
        Path ds = dataset();
        ObjectMapper json = new ObjectMapper();

        Outcome a = cli(List.of("analyze", model.toString(), "--dataset", ds.toString(), "-o", dir.resolve("a").toString()),
                c.extra());
        assertEquals(0, a.code(), a.err());
        JsonNode fin = json.readTree(dir.resolve("a/analysis.json").toFile()).get("final");
        assertEquals(c.outputs().size(), fin.get("outputs").size());
        double lowest = 1;
        for (int i = 0; i < c.outputs().size(); i++) {
            JsonNode o = fin.get("outputs").get(i);
            assertEquals(c.outputs().get(i), o.get("name").asText());
            assertEquals(c.classVectors().get(i), !o.get("top5").isNull(), o.toString());
            lowest = Math.min(lowest, o.get("cosine").asDouble());
        }
        assertEquals(lowest, fin.get("cosine").asDouble());
        assertEquals(!c.classVectors().contains(true), fin.get("top5").isNull());
        if (!c.classVectors().contains(true)) {
            assertTrue(a.out().contains("top5=n/a (not a class vector)") && !a.out().contains("top-1 float"), a.out());
        }
        if (c.model().graph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue() == 1) {
            assertTrue(a.err().contains("0.png: RGB image converted to gray (L = 0.299 R + 0.587 G + 0.114 B)"), a.err());
        }
        if (c.model().proto().getGraph().getInitializer(0).getDataType() == 10) {
            assertEquals(1, a.err().lines().filter(l -> l.contains("float16 model loaded as float32")).count(), a.err());
        }

        Outcome s1 = cli(List.of("hybrid-step1", model.toString(), "--dataset", ds.toString(), "--threshold", "0.9999", "-o",
                dir.resolve("s1").toString()), c.extra());
        assertEquals(0, s1.code(), s1.err());
        Path cfg = dir.resolve("s1/m.quantization.cfg");
        Outcome s2 = cli(List.of("hybrid-step2", model.toString(), "--cfg", cfg.toString(), "--dataset", ds.toString(), "-o",
                dir.resolve("s2").toString()), c.extra());
        assertEquals(0, s2.code(), s2.err());
        Outcome cmp = cli(List.of("compare", model.toString(), "--cfg", cfg.toString(), "--input", ds.toString(), "-o",
                dir.resolve("cmp").toString()), c.extra());
        assertEquals(0, cmp.code(), cmp.err());
        JsonNode models = json.readTree(dir.resolve("cmp/compare.json").toFile()).get("models");
        for (String m : List.of("float", "normal", "hybrid")) {
            assertEquals(c.outputs().size(), models.get(m).get("outputs").size(), m);
            assertEquals(!c.classVectors().contains(true), models.get(m).get("top5").isNull(), m);
        }
        assertTrue(c.classVectors().contains(true) ? cmp.out().contains("-----HYBRID TOP 5-----")
                : cmp.out().contains("top-5: n/a (no output is a class vector)"), cmp.out());

        Outcome run = cli(List.of("run", model.toString(), "--input", dir.resolve("img/0.png").toString()), List.of());
        assertEquals(0, run.code(), run.err());
        assertEquals(c.classVectors().stream().filter(v -> !v).count(),
                run.out().lines().filter(l -> l.contains("top-5 n/a (not a class vector)")).count(), run.out());
        assertEquals(c.classVectors().stream().filter(v -> v).count(),
                run.out().lines().filter(l -> l.startsWith("-----TOP ")).count(), run.out());

        // the exported models run in plain ONNX Runtime
        FloatTensor x = RealWorldModels.input(9, c.feedShape());
        String input = c.model().graph().getInput(0).getName();
        for (Path exported : List.of(dir.resolve("a/m.quantized.onnx"), dir.resolve("s2/m.hybrid.onnx"))) {
            try (OnnxSession s = OnnxSession.create(Files.readAllBytes(exported), exported.toString())) {
                Map<String, FloatTensor> out = s.run(Map.of(input, x));
                assertEquals(c.outputs(), List.copyOf(out.keySet()), exported.toString());
            }
        }
    }

    @Test
    void aDynamicModelWithoutSizesNamesTheOption() throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), RealWorldModels.dynamicSizeDetector().toBytes());
        Outcome a = cli(List.of("analyze", model.toString(), "--dataset", dataset().toString(), "-o",
                dir.resolve("a").toString()), List.of());
        assertEquals(1, a.code());
        assertTrue(a.err().contains("input 'x' has a dynamic dimension 'h' at position 2 (1x3xhxw); fix its size with "
                + "--input-shape x=1,3,640,640"), a.err());
    }

    @Test
    void aShapeWithoutANameFixesTheOnlyInputOfADynamicModel() throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), RealWorldModels.dynamicSizeDetector().toBytes());
        Outcome a = cli(List.of("analyze", model.toString(), "--dataset", dataset().toString(), "-o",
                dir.resolve("a").toString()), List.of("--input-shape", "1,3,40,56"));
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("sigmoid_0.tmp_0              1x1x40x56 "), a.out());
    }

    @Test
    void aShapeWithoutANameIsOneLineNamingTheInputsOfAModelWithSeveral() throws Exception {
        dev.layerwise.core.TestModels.Builder b = new dev.layerwise.core.TestModels.Builder(5)
                .dynamicInput("rgb", 1, 3, "h", "w").dynamicInput("depth", 1, 3, "h", "w");
        b.op("Add", "fuse", List.of("rgb", "depth"), "sum");
        Path model = Files.write(dir.resolve("two.onnx"), b.output("sum").build(13).toBytes());
        Outcome a = cli(List.of("analyze", model.toString(), "--dataset", dataset().toString(), "-o",
                dir.resolve("a").toString()), List.of("--input-shape", "1,3,40,56"));
        assertEquals(1, a.code(), a.out() + a.err());
        assertEquals(List.of("layerwise analyze: " + model + ": --input-shape 1,3,40,56 names no input, but the model has 2 inputs"
                + " (rgb, depth); write NAME=1,3,40,56"), a.err().lines().toList());
        assertFalse(Files.exists(dir.resolve("a")), "nothing written");
    }
}
