package dev.layerwise.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.version.BuildInfo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path dir;
    Path model;
    Path dataset;

    record Outcome(int code, String out, String err) {
    }

    static Outcome cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(Commands.all()).run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void files() throws Exception {
        model = dir.resolve("small.onnx");
        Files.write(model, TestModels.smallCnn().toBytes());
        Files.createDirectories(dir.resolve("img"));
        StringBuilder ds = new StringBuilder("# calibration set\n\n");
        for (int i = 0; i < 4; i++) {
            writeImage(dir.resolve("img/" + i + ".png"), 16, 16, BufferedImage.TYPE_3BYTE_BGR, i);
            ds.append("img/").append(i).append(".png\n");
        }
        dataset = dir.resolve("dataset.txt");
        Files.writeString(dataset, ds);
    }

    static void writeImage(Path p, int w, int h, int type, int seed) throws Exception {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 16 + y * 7 + seed * 40) & 0xff;
                img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | ((v * 3) & 0xff));
            }
        }
        ImageIO.write(img, "png", p.toFile());
    }

    /** Bytes of every file under the folder, to prove inputs are never modified. */
    Map<Path, byte[]> snapshot() throws Exception {
        Map<Path, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(p, Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Nested
    class Analyze {
        @Test
        void writesReportsJsonAndARunnableQuantizedModel() throws Exception {
            Map<Path, byte[]> before = snapshot();
            Path out = dir.resolve("out");
            Outcome r = cli("analyze", model.toString(), "--dataset", dataset.toString(), "--mean", "127.5", "--std", "64",
                    "-o", out.toString(), "--dump");
            assertEquals(0, r.code(), r.err());
            for (var e : before.entrySet()) {
                assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), e.getKey() + " was modified");
            }
            List<String> individual = Files.readAllLines(out.resolve("individual_qnt_error_analysis.txt"));
            // 9 layers, a blank line, the footer's heading and its one output
            assertEquals(12, individual.size());
            assertTrue(individual.get(11).matches("# output\tshape=1x10\tcosine=0\\.\\d{6}\teculidean=\\d+\\.\\d{5}"
                    + "\tmax_abs_error=\\d+\\.\\d{6}\ttop1_float=\\[\\d\\] 0\\.\\d{6}\ttop1_quantized=\\[\\d\\] 0\\.\\d{6}"),
                    individual.get(11));
            assertTrue(individual.get(0).matches(
                    "Conv_0\teculidean_norm=\\d+\\.\\d{6}\tcosine_norm=\\d\\.\\d{6}\teculidean=\\d+\\.\\d{5}\tcosine=\\d\\.\\d{6}"),
                    individual.get(0));
            assertEquals(12, Files.readAllLines(out.resolve("entire_qnt_error_analysis.txt")).size());
            List<String> csv = Files.readAllLines(out.resolve("analysis.csv"));
            assertEquals(11, csv.size());
            assertTrue(csv.get(10).startsWith("final,output,output,output,1x10,asymmetric_affine-u8,,,,0."), csv.get(10));
            assertEquals(13, csv.get(1).split(",", -1).length, "layer rows have every column: " + csv.get(1));
            JsonNode json = new ObjectMapper().readTree(out.resolve("analysis.json").toFile());
            assertEquals("small.onnx", json.get("model").asText());
            assertEquals("layerwise", json.get("tool").get("name").asText());
            assertEquals(BuildInfo.current().version(), json.get("tool").get("version").asText());
            assertFalse(json.get("tool").get("version").asText().equals("unknown"), "the version was filtered in");
            assertEquals("asymmetric_affine-u8", json.get("dtype").asText());
            assertEquals("normal", json.get("algorithm").asText());
            JsonNode first = json.get("layers").get(0);
            for (String f : List.of("name", "op", "output", "shape", "dtype", "individual", "entire")) {
                assertTrue(first.has(f), f);
            }
            for (String f : List.of("cosine", "euclidean", "eculidean_norm", "cosine_norm")) {
                assertTrue(first.get("individual").has(f) && first.get("entire").has(f), f);
            }
            assertEquals(5, json.get("final").get("top5").get("float").size());
            assertTrue(json.get("final").get("cosine").asDouble() > 0.9);
            assertEquals("output", json.get("final").get("worst_output").asText());
            JsonNode fo = json.get("final").get("outputs").get(0);
            assertEquals(json.get("final").get("cosine").asDouble(), fo.get("cosine").asDouble());
            assertEquals("[1,10]", fo.get("shape").toString());
            assertTrue(fo.get("max_abs_error").asDouble() > 0);
            assertEquals(json.get("final").get("top5"), fo.get("top5"));
            assertTrue(Files.exists(out.resolve("dump/input_0/individual/Conv_0.npy")));

            Outcome run = cli("run", model.toString(), "--input", dir.resolve("img/0.png").toString(), "--quantized",
                    out.resolve("small.quantized.onnx").toString(), "--mean", "127.5", "--std", "64");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().contains("-----TOP 5-----"), run.out());
        }

        @Test
        void usageErrorsExitWithTwo() {
            assertEquals(2, cli("analyze", model.toString(), "--dataset", dataset.toString()).code());
            assertEquals(2, cli("analyze", model.toString(), "--bogus", "-o", "x").code());
            Outcome dtype = cli("analyze", model.toString(), "--dataset", dataset.toString(), "--dtype", "int3", "-o", "x");
            assertEquals(2, dtype.code());
            assertTrue(dtype.err().contains("dynamic_fixed_point-i16"), dtype.err());
            assertEquals(2, cli("nonsense").code());
        }

        @Test
        void aFileThatIsNeitherCommandNorOpenableIsNamedInOneLine() throws Exception {
            Path readme = dir.resolve("README.md");
            Files.writeString(readme, "# notes\n");
            Outcome r = cli(readme.toString());
            assertEquals(2, r.code());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(readme.toString()) && r.err().contains(".onnx model"), r.err());
            assertEquals("# notes\n", Files.readString(readme));
        }
    }

    @Nested
    class Version {
        @Test
        void versionPrintsTheBuildsVersionDateAndRuntimesAndExitsZero() {
            Outcome r = cli("--version");
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.err());
            String first = r.out().lines().findFirst().orElse("");
            assertEquals(BuildInfo.current().describe(), first);
            assertTrue(first.matches("layerwise \\d+\\.\\d+\\.\\d+\\S* \\(built \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\)"), first);
            assertTrue(r.out().contains("ONNX Runtime " + BuildInfo.current().onnxRuntimeVersion() + ", Java "), r.out());
        }
    }

    @Nested
    class Hybrid {
        @Test
        void stepOneSuggestsStepTwoAppliesCompareShowsThreeModels() throws Exception {
            Path step1 = dir.resolve("step1");
            Outcome r1 = cli("hybrid-step1", model.toString(), "--dataset", dataset.toString(), "--mean", "127.5", "--std", "64",
                    "--threshold", "0.9999", "-o", step1.toString());
            assertEquals(0, r1.code(), r1.err());
            Path cfg = step1.resolve("small.quantization.cfg");
            String text = Files.readString(cfg);
            assertTrue(text.startsWith("%YAML 1.2\n---\n# add layer name"), text);
            assertTrue(text.contains("individual cosine"), "reasons are written: " + text);
            assertTrue(r1.out().contains("suggested for dynamic_fixed_point-i16"), r1.out());
            // step 1 refuses to replace a cfg that may hold edits
            Outcome again = cli("hybrid-step1", model.toString(), "--dataset", dataset.toString(), "-o", step1.toString());
            assertEquals(1, again.code());
            assertTrue(again.err().contains("--force"), again.err());

            String edited = text.replaceFirst("customized_quantize_layers:(\\s*\\{\\})?\n(    [^\n]*\n)*",
                    "customized_quantize_layers:\n    Conv_8: dynamic_fixed_point-i16\n    Gemm_12: float32\n");
            Files.writeString(cfg, edited);
            byte[] before = Files.readAllBytes(cfg);
            Path step2 = dir.resolve("step2");
            Outcome r2 = cli("hybrid-step2", model.toString(), "--cfg", cfg.toString(), "--input", dir.resolve("img/1.png").toString(),
                    "--mean", "127.5", "--std", "64", "-o", step2.toString());
            assertEquals(0, r2.code(), r2.err());
            assertTrue(r2.out().contains("ranges taken from"), "no recalibration needed: " + r2.out());
            assertTrue(r2.out().matches("(?s).*Conv_8\\s+dynamic_fixed_point-i16.*"), r2.out());
            assertTrue(Files.exists(step2.resolve("small.hybrid.onnx")));
            assertArrayEquals(before, Files.readAllBytes(cfg), "the user's cfg is untouched");
            String written = Files.readString(step2.resolve("small.quantization.cfg"));
            assertTrue(written.contains("Conv_8: dynamic_fixed_point-i16") && written.contains("Gemm_12: float32"), written);

            Outcome c = cli("compare", model.toString(), "--cfg", cfg.toString(), "--input", dataset.toString(), "--mean", "127.5",
                    "--std", "64", "-o", dir.resolve("cmp").toString());
            assertEquals(0, c.code(), c.err());
            assertTrue(c.out().contains("-----FLOAT TOP 5-----") && c.out().contains("-----NORMAL TOP 5-----")
                    && c.out().contains("-----HYBRID TOP 5-----"), c.out());
            assertTrue(c.out().contains("top-1 agreement"), c.out());
            JsonNode json = new ObjectMapper().readTree(dir.resolve("cmp/compare.json").toFile());
            assertEquals(4, json.get("inputs").size());
            assertEquals(5, json.get("models").get("hybrid").get("top5").size());
            assertEquals(List.of("Conv_8", "Gemm_12"), List.of(json.get("promoted").get(0).asText(), json.get("promoted").get(1).asText()));
        }

        @Test
        void analyzeNeverReplacesTheCfgItWasGiven() throws Exception {
            Path out = dir.resolve("same");
            assertEquals(0, cli("analyze", model.toString(), "--dataset", dataset.toString(), "-o", out.toString()).code());
            Path cfg = out.resolve("small.quantization.cfg");
            Files.writeString(cfg, Files.readString(cfg) + "# my hand edit\n");
            byte[] before = Files.readAllBytes(cfg);
            Outcome r = cli("analyze", model.toString(), "--dataset", dataset.toString(), "--cfg", cfg.toString(), "-o",
                    out.toString());
            assertEquals(1, r.code());
            assertEquals("layerwise analyze: " + cfg + ": is an input of this run but lies in the output folder " + out
                    + " as small.quantization.cfg, which the run writes; choose another -o or move the input\n", r.err());
            assertArrayEquals(before, Files.readAllBytes(cfg));
        }

        @Test
        void autoPickRefusesToReplaceAnExistingCfg() throws Exception {
            Path out = dir.resolve("ap2");
            Files.createDirectories(out);
            Files.writeString(out.resolve("small.quantization.cfg"), "# edited by hand\n");
            Outcome r = cli("auto-pick", model.toString(), "--dataset", dataset.toString(), "--target-cosine", "0.5", "-o",
                    out.toString());
            assertEquals(1, r.code());
            assertTrue(r.err().contains("--force"), r.err());
            assertEquals("# edited by hand\n", Files.readString(out.resolve("small.quantization.cfg")));
        }

        @Test
        void benchReportsWhatEachFurtherImageCostsAgainstOneFloatInference() {
            Outcome r = cli("bench", model.toString(), "--dataset", dataset.toString(), "--repeat", "2", "--rebuilds", "0");
            assertEquals(0, r.code(), r.err());
            java.util.regex.Matcher plain = java.util.regex.Pattern.compile("float inference +([0-9.]+) ms").matcher(r.out());
            java.util.regex.Matcher further = java.util.regex.Pattern
                    .compile("analysis, each further image +(-?[0-9.]+) ms \\((-?[0-9.]+)x one float inference").matcher(r.out());
            assertTrue(plain.find() && further.find(), r.out());
            // the ratio printed is the two figures printed, to their rounding (0.005 ms, 0.05 ms, 0.05)
            double p = Double.parseDouble(plain.group(1));
            double f = Double.parseDouble(further.group(1));
            double ratio = Double.parseDouble(further.group(2));
            assertTrue(f >= 0 && ratio >= 0, r.out());
            if (p > 0.005) {
                double low = (f - 0.05) / (p + 0.005) - 0.05;
                double high = (f + 0.05) / (p - 0.005) + 0.05;
                assertTrue(ratio >= low && ratio <= high, ratio + " outside " + low + ".." + high + "\n" + r.out());
            }
            // and without reading the image: the load figure printed above, taken off
            java.util.regex.Matcher load = java.util.regex.Pattern.compile("load \\+ preprocess one image +([0-9.]+) ms").matcher(r.out());
            java.util.regex.Matcher without = java.util.regex.Pattern
                    .compile("without the ([0-9.]+) ms of loading an image (-?[0-9.]+)x\\)").matcher(r.out());
            assertTrue(load.find() && without.find(), r.out());
            double l = Double.parseDouble(load.group(1));
            assertEquals(l, Double.parseDouble(without.group(1)), 1e-9, r.out());
            double rest = Double.parseDouble(without.group(2));
            assertTrue(rest >= 0 && rest <= ratio + 0.05, r.out());
            if (p > 0.005) {
                double low = Math.max(0, f - 0.05 - l - 0.005) / (p + 0.005) - 0.05;
                double high = Math.max(0, f + 0.05 - l + 0.005) / (p - 0.005) + 0.05;
                assertTrue(rest >= low && rest <= high, rest + " outside " + low + ".." + high + "\n" + r.out());
            }
        }

        @Test
        void benchForToolkit2QuantizesPerChannelAndTicksToFloat16() {
            Outcome r = cli("bench", model.toString(), "--dataset", dataset.toString(), "--repeat", "1", "--rebuilds", "1",
                    "--toolkit", "2");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("toolkit 2, weights per channel"), r.out());
            assertTrue(java.util.regex.Pattern.compile("tick \\S+ -> float16, rebuild").matcher(r.out()).find(), r.out());
            Outcome plain = cli("bench", model.toString(), "--dataset", dataset.toString(), "--repeat", "1", "--rebuilds", "0");
            assertTrue(plain.out().contains("toolkit 1, weights per tensor"), plain.out());
            assertTrue(java.util.regex.Pattern.compile("tick \\S+ -> i16, rebuild").matcher(plain.out()).find(), plain.out());
            assertEquals(2, cli("bench", model.toString(), "--dataset", dataset.toString(), "--toolkit", "3").code());
        }

        @Test
        void countsBelowOneAreUsageErrors() {
            assertEquals(2, cli("run", model.toString(), "--input", dir.resolve("img/0.png").toString(), "--top", "0").code());
            assertEquals(2, cli("bench", model.toString(), "--dataset", dataset.toString(), "--images", "0").code());
        }

        @Test
        void unknownLayerInTheCfgFailsNamingTheClosest() throws Exception {
            Path cfg = dir.resolve("bad.quantization.cfg");
            Files.writeString(cfg, "%YAML 1.2\n---\ncustomized_quantize_layers:\n    Conv_80: dynamic_fixed_point-i16\n");
            Outcome r = cli("hybrid-step2", model.toString(), "--cfg", cfg.toString(), "--dataset", dataset.toString(), "-o",
                    dir.resolve("o").toString());
            assertEquals(1, r.code());
            assertTrue(r.err().contains("bad.quantization.cfg line 4") && r.err().contains("Conv_80")
                    && r.err().contains("closest: Conv_8"), r.err());
        }

        @Test
        void autoPickPrintsTheSetAndItsCost() {
            Outcome r = cli("auto-pick", model.toString(), "--dataset", dataset.toString(), "--input", dataset.toString(),
                    "--target-cosine", "0.9999", "--mean", "127.5", "--std", "64", "-o", dir.resolve("ap").toString());
            assertTrue(r.code() == 0 || r.code() == 1, r.err());
            assertTrue(r.out().contains("% of MACs") || r.out().contains("nothing to promote"), r.out());
            assertTrue(r.out().contains("verified builds"), r.out());
        }
    }

    @Nested
    class BadInput {
        void assertFailure(Outcome r, String... mustContain) {
            assertEquals(1, r.code(), r.out() + r.err());
            String line = r.err().strip();
            assertFalse(line.contains("\n"), "one line: " + line);
            assertFalse(line.contains("Exception") || line.contains("\tat "), "no stack trace: " + line);
            for (String s : mustContain) {
                assertTrue(line.contains(s), "'" + s + "' missing from: " + line);
            }
        }

        Outcome analyze(Path m, Path ds, String... extra) {
            List<String> a = new ArrayList<>(List.of("analyze", m.toString(), "--dataset", ds.toString(), "-o",
                    dir.resolve("out").toString()));
            a.addAll(List.of(extra));
            return cli(a.toArray(String[]::new));
        }

        @Test
        void missingModel() {
            assertFailure(analyze(dir.resolve("absent.onnx"), dataset), "absent.onnx", "not found");
        }

        @Test
        void corruptModel() throws Exception {
            Path bad = dir.resolve("bad.onnx");
            Files.writeString(bad, "definitely not a protobuf message, just some text");
            assertFailure(analyze(bad, dataset), "bad.onnx", "not an ONNX model");
        }

        @Test
        void opOnnxRuntimeCannotRun() throws Exception {
            ModelProto m = TestModels.smallCnn().proto();
            GraphProto.Builder g = m.getGraph().toBuilder();
            g.setNode(3, g.getNode(3).toBuilder().setOpType("WarpDrive"));
            Path odd = dir.resolve("odd.onnx");
            Files.write(odd, m.toBuilder().setGraph(g).build().toByteArray());
            assertFailure(analyze(odd, dataset), "odd.onnx", "WarpDrive", "Relu_3");
        }

        @Test
        void imageWithTheWrongChannelCount() throws Exception {
            writeImage(dir.resolve("img/gray.png"), 16, 16, BufferedImage.TYPE_BYTE_GRAY, 9);
            Files.writeString(dataset, "img/0.png\nimg/gray.png\n");
            assertFailure(analyze(model, dataset), "gray.png", "channel");
        }

        @Test
        void missingDatasetEntryNamesFileAndLine() throws Exception {
            Files.writeString(dataset, "img/0.png\n# comment\nimg/nothere.png\n");
            assertFailure(analyze(model, dataset), "dataset.txt", "line 3", "nothere.png");
        }

        @Test
        void emptyDataset() throws Exception {
            Files.writeString(dataset, "# nothing here\n\n");
            assertFailure(analyze(model, dataset), "dataset.txt", "no samples");
        }

        @Test
        void missingDatasetFile() {
            assertFailure(analyze(model, dir.resolve("nope.txt")), "nope.txt");
        }

        @Test
        void meanOfTheWrongLengthIsAUsageError() {
            Outcome r = analyze(model, dataset, "--mean", "1,2");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("layerwise analyze: --mean has 2 values; give 1, or one per channel"), r.err());
        }

        @Test
        void stdThatDoesNotFitTheModelIsAUsageError() {
            Outcome r = analyze(model, dataset, "--std", "1,2,3,4");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("layerwise analyze: std has 4 values but model input 'input' has 3 channels"), r.err());
        }
    }

    @Nested
    class Outputs {
        Path out;

        @BeforeEach
        void previousRun() throws Exception {
            out = dir.resolve("O");
            assertEquals(0, cli("analyze", model.toString(), "--dataset", dataset.toString(), "-o", out.toString()).code());
        }

        /** Refused before any work: exit 1, one line naming the input, every file as it was. */
        void assertRefused(Path input, Outcome r) throws Exception {
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(input + ": is an input of this run but lies in the output folder"), r.err());
        }

        @Test
        void labelsNamedLikeAReportAreNeverReplaced() throws Exception {
            Path labels = out.resolve("analysis.csv");
            Map<Path, byte[]> before = snapshot();
            assertRefused(labels, cli("analyze", model.toString(), "--dataset", dataset.toString(), "--labels", labels.toString(),
                    "-o", out.toString()));
            assertSame(before, snapshot());
        }

        @Test
        void datasetNamedLikeAReportIsNeverReplaced() throws Exception {
            Path list = out.resolve("entire_qnt_error_analysis.txt");
            Files.writeString(list, Files.readString(dataset).replace("img/", dir.resolve("img") + "/"));
            Map<Path, byte[]> before = snapshot();
            assertRefused(list, cli("analyze", model.toString(), "--dataset", list.toString(), "-o", out.toString()));
            assertSame(before, snapshot());
        }

        @Test
        void compareNeverReplacesLabelsNamedCompareJson() throws Exception {
            Path labels = Files.writeString(out.resolve("compare.json"), "tench\ngoldfish\n");
            Map<Path, byte[]> before = snapshot();
            assertRefused(labels, cli("compare", model.toString(), "--cfg", out.resolve("small.quantization.cfg").toString(),
                    "--input", dir.resolve("img/0.png").toString(), "--labels", labels.toString(), "-o", out.toString()));
            assertSame(before, snapshot());
        }

        @Test
        void deviceRunNeverReplacesAnInputNamedDeviceOutput() throws Exception {
            Path input = out.resolve("device_output.npy");
            Files.write(input, dev.layerwise.core.tensor.Npy.encode(TestModels.smallInput(1)));
            Map<Path, byte[]> before = snapshot();
            assertRefused(input, cli("device-run", model.toString(), "--serial", "127.0.0.1:1", "--profile", "onnxruntime-python",
                    "--input", input.toString(), "-o", out.toString()));
            assertSame(before, snapshot());
        }

        @Test
        void deviceRunNeverReplacesAnInputInsideItsOutputsFolder() throws Exception {
            Path input = Files.createDirectories(out.resolve("device_outputs")).resolve("0_output.npy");
            Files.write(input, dev.layerwise.core.tensor.Npy.encode(TestModels.smallInput(1)));
            Map<Path, byte[]> before = snapshot();
            assertRefused(input, cli("device-run", model.toString(), "--serial", "127.0.0.1:1", "--profile", "onnxruntime-python",
                    "--input", input.toString(), "-o", out.toString()));
            assertSame(before, snapshot());
        }

        void assertSame(Map<Path, byte[]> before, Map<Path, byte[]> after) {
            assertEquals(before.keySet(), after.keySet());
            before.forEach((p, b) -> assertArrayEquals(b, after.get(p), p + " changed"));
        }
    }

    @Nested
    class Strictness {
        /** A usage error: exit 2, the reason on the first line of stderr, nothing written. */
        void assertUsage(Outcome r, String reason) {
            assertEquals(2, r.code(), r.out() + r.err());
            assertEquals("layerwise " + reason, r.err().lines().findFirst().orElse(""));
            assertFalse(Files.exists(dir.resolve("out")), "nothing written");
        }

        @Test
        void unknownSingleDashFlagIsRefused() {
            assertUsage(cli("analyze", model.toString(), "--dataset", dataset.toString(), "-x", "-o", dir.resolve("out").toString()),
                    "analyze: unknown option -x; name a file that starts with '-' as ./-x");
        }

        @Test
        void secondModelIsRefused() {
            assertUsage(cli("analyze", model.toString(), model.toString(), "--dataset", dataset.toString(), "-o",
                    dir.resolve("out").toString()), "analyze: unexpected argument '" + model + "'; give one MODEL");
            assertUsage(cli("devices", "extra"), "devices: unexpected argument 'extra'; this command takes no MODEL or file");
        }

        @Test
        void emptyOutputFolderIsRefused() {
            assertUsage(cli("analyze", model.toString(), "--dataset", dataset.toString(), "-o", ""), "analyze: -o needs a value, got ''");
        }

        @Test
        void valuesOutOfRangeAreRefusedBeforeAnyWork() {
            String out = dir.resolve("out").toString();
            assertUsage(cli("analyze", model.toString(), "--dataset", dataset.toString(), "--algorithm", "mmse", "--mmse-epoch", "-5",
                    "-o", out), "analyze: --mmse-epoch must be between 1 and 1000, got -5");
            assertUsage(cli("auto-pick", model.toString(), "--dataset", dataset.toString(), "--target-cosine", "2", "-o", out),
                    "auto-pick: --target-cosine must be between 0 and 1, got 2");
            assertUsage(cli("auto-pick", model.toString(), "--dataset", dataset.toString(), "--target-cosine", "NaN", "-o", out),
                    "auto-pick: --target-cosine wants a finite number, got 'NaN'");
            assertUsage(cli("run", model.toString(), "--input", "x.png", "--top", "0"), "run: --top must be at least 1, got 0");
            assertUsage(cli("hybrid-step1", model.toString(), "--dataset", dataset.toString(), "--threshold", "7", "-o", out),
                    "hybrid-step1: --threshold must be between -1 and 1, got 7");
        }

        @Test
        void negativeNumbersStillWorkAsValues() {
            Outcome r = cli("analyze", model.toString(), "--dataset", dataset.toString(), "--mean", "-1", "-o",
                    dir.resolve("out").toString());
            assertEquals(0, r.code(), r.err());
        }
    }
}
