package dev.layerwise.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.analysis.VendorAnalysis;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.engine.Project;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands in RKNN-Toolkit2 mode ({@code --toolkit 2}), with a vendor error_analysis.txt, and the hand-off script. */
class Toolkit2CliTest {

    @TempDir
    Path dir;
    Path model;
    Path dataset;

    @BeforeEach
    void files() throws Exception {
        model = dir.resolve("small.onnx");
        Files.write(model, TestModels.smallCnn().toBytes());
        Files.createDirectories(dir.resolve("img"));
        StringBuilder ds = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            CliTest.writeImage(dir.resolve("img/" + i + ".png"), 16, 16, BufferedImage.TYPE_3BYTE_BGR, i);
            ds.append("img/").append(i).append(".png\n");
        }
        dataset = dir.resolve("dataset.txt");
        Files.writeString(dataset, ds);
    }

    @Test
    void analyzeWritesAToolkit2CfgWithPerChannelWeightsAndAnErrorAnalysis() throws Exception {
        CliTest.Outcome o = CliTest.cli("analyze", model.toString(), "--dataset", dataset.toString(), "--toolkit", "2", "-o",
                dir.resolve("out").toString());
        assertEquals(0, o.code(), o.err());
        // printed in Toolkit2's words: quantized_dtype for the model, custom_quantize_layers' names per layer
        assertTrue(o.out().contains(" layers, w8a8, weights per channel, normal calibration on "), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("  Conv_0 +Conv\\S* +int8 +individual .*")), o.out());
        assertFalse(o.out().contains("asymmetric_affine"), o.out());
        QuantConfig cfg = ConfigFile.read(dir.resolve("out/small.quantization.cfg"));
        assertEquals(Toolkit.TOOLKIT2, cfg.toolkit());
        Project project = Project.open(model);
        String weight = project.graph().layer("Conv_0").weight();
        assertEquals("channel", cfg.parameters().get(weight).method(), "Toolkit2's default is per-channel weights");
        assertEquals("asymmetric_quantized", cfg.parameters().get("input").dtype());
        VendorAnalysis ours = VendorAnalysis.read(dir.resolve("out/error_analysis.txt"));
        assertEquals(project.graph().layerNames(), List.copyOf(ours.match(project.graph()).byLayer().keySet()));
        assertTrue(Files.exists(dir.resolve("out/entire_qnt_error_analysis.txt")), "our own reports stay");
    }

    @Test
    void sixteenBitRunsAreNamedW16a16iDfpWithInt16Layers() throws Exception {
        CliTest.Outcome o = CliTest.cli("analyze", model.toString(), "--dataset", dataset.toString(), "--toolkit", "2", "--dtype",
                "w16a16i_dfp", "-o", dir.resolve("out").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains(" layers, w16a16i_dfp, weights per channel, "), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("  Conv_0 +Conv\\S* +int16 +individual .*")), o.out());
        assertFalse(o.out().contains("dynamic_fixed_point"), o.out());
        // the files keep the cfg's own names
        assertTrue(Files.readString(dir.resolve("out/small.quantization.cfg")).contains("dtype: dynamic_fixed_point"));
    }

    @Test
    void hybridStepsSuggestFloat16UnderTensorNamesAndApplyThem() throws Exception {
        CliTest.Outcome s1 = CliTest.cli("hybrid-step1", model.toString(), "--dataset", dataset.toString(), "--toolkit", "2",
                "--threshold", "0.99999", "-o", dir.resolve("s1").toString());
        assertEquals(0, s1.code(), s1.err());
        Path cfgFile = dir.resolve("s1/small.quantization.cfg");
        String text = Files.readString(cfgFile);
        assertTrue(text.contains("custom_quantize_layers:\n    r1: float16\n"), text);
        assertTrue(s1.out().contains(" layer(s) suggested for float16 (individual cosine < 0.99999):"), s1.out());
        assertFalse(s1.out().contains("asymmetric_affine"), s1.out());
        assertFalse(text.contains("customized_quantize_layers"), text);
        CliTest.Outcome s2 = CliTest.cli("hybrid-step2", model.toString(), "--dataset", dataset.toString(), "--toolkit", "2",
                "--cfg", cfgFile.toString(), "-o", dir.resolve("s2").toString());
        assertEquals(0, s2.code(), s2.err());
        assertTrue(s2.out().lines().anyMatch(l -> l.matches("  Conv_0 +float16 +individual .*")), s2.out());
        assertFalse(s2.out().contains("asymmetric_affine"), s2.out());
        assertTrue(Files.readString(dir.resolve("s2/small.quantization.cfg")).contains("    r1: float16\n"));
    }

    @Test
    void unmodelledToolkit2TypesAreUsageErrors() {
        CliTest.Outcome w4 = CliTest.cli("analyze", model.toString(), "--dataset", dataset.toString(), "--dtype", "w4a16", "-o",
                dir.resolve("out").toString());
        assertEquals(2, w4.code());
        assertTrue(w4.err().contains("w4a16 (4-bit weights, RK3576 only) is not modelled"), w4.err());
        CliTest.Outcome i8 = CliTest.cli("analyze", model.toString(), "--dataset", dataset.toString(), "--toolkit", "2", "--dtype",
                "dynamic_fixed_point-i8", "-o", dir.resolve("out").toString());
        assertEquals(2, i8.code());
        assertTrue(i8.err().contains("has no RKNN-Toolkit2 quantized_dtype"), i8.err());
        CliTest.Outcome f32 = CliTest.cli("auto-pick", model.toString(), "--dataset", dataset.toString(), "--toolkit", "2",
                "--promote-to", "float32", "--target-cosine", "0.99");
        assertEquals(2, f32.code());
        assertTrue(f32.err().contains("RKNN-Toolkit2 has no float32 layers"), f32.err());
    }

    @Test
    void vendorAnalysisIsSetBesideOursWithUnmatchedRowsListed() throws Exception {
        Path vendor = dir.resolve("error_analysis.txt");
        Files.writeString(vendor, """
                layer_name                                   simulator_error                       runtime_error
                                                         entire              single              entire              single_sim
                                                      cos      euc        cos      euc        cos      euc        cos      euc
                ----------------------------------------------------------------------------------------------------------------
                [Input] input                           1.00000 | 0.0       1.00000 | 0.0       1.00000 | 0.0       1.00000 | 0.0
                [Conv] c0
                [Relu] r1                               0.99962 | 1.2711    0.99962 | 1.2711    0.99960 | 1.2803    0.99998 | 0.0841
                [Conv] c4                               0.99510 | 3.0156    0.99764 | 2.0873    0.95017 | 4.4512    0.99601 | 2.3310
                [Gemm] output                           0.98803 | 0.4401    0.99954 | 0.1123    0.97112 | 0.6907    0.99021 | 0.3340
                """);
        CliTest.Outcome o = CliTest.cli("analyze", model.toString(), "--dataset", dataset.toString(), "--vendor-analysis",
                vendor.toString(), "-o", dir.resolve("out").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("3 of 9 layers matched by tensor name (simulator and board columns)"), o.out());
        assertTrue(o.out().contains("line 5: [Input] input"), o.out());
        assertTrue(o.out().contains("largest entire-cosine gaps, ours minus the board's:\n  Conv_4"), o.out());
        List<String> csv = Files.readAllLines(dir.resolve("out/vendor_comparison.csv"));
        assertEquals(10, csv.size());
        assertTrue(csv.get(3).contains(",c4,0.997640,2.087300,0.995100,3.015600,0.950170,4.451200,0.996010,2.331000"), csv.get(3));

        Files.writeString(vendor, "not a report\n");
        CliTest.Outcome bad = CliTest.cli("analyze", model.toString(), "--dataset", dataset.toString(), "--vendor-analysis",
                vendor.toString(), "-o", dir.resolve("out2").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("no 'simulator_error' header"), bad.err());
        assertFalse(Files.exists(dir.resolve("out2")), "a bad vendor file fails before anything is written");
    }

    @Test
    void writesAScriptWhosePicksCfgReadsBackInToolkit2Names() throws Exception {
        Path picks = dir.resolve("picks.cfg");
        Files.writeString(picks, "customized_quantize_layers:\n    Conv_2: float16\n    Conv_Conv_4_142: dynamic_fixed_point-i16\n");
        CliTest.Outcome o = CliTest.cli("export-rknn-script", model.toString(), "--dataset", dataset.toString(), "--cfg",
                picks.toString(), "--mean", "127.5", "--std", "127.5", "-o", dir.resolve("out").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("2 hybrid pick(s)") && o.out().contains("r3: float16") && o.out().contains("c4: int16"),
                o.out());
        assertTrue(o.err().contains("'Conv_Conv_4_142' mapped to layer Conv_4"), o.err());
        QuantConfig back = ConfigFile.read(dir.resolve("out/small.layerwise.quantization.cfg"));
        assertEquals(Toolkit.TOOLKIT2, back.toolkit());
        assertEquals(Map.of("r3", "float16", "c4", "int16"), back.customizedLayers());
        String py = Files.readString(dir.resolve("out/build_rknn.py"));
        assertTrue(py.contains("INPUT_SIZE_LIST = [[1, 3, 16, 16]]"), py);
        assertTrue(py.contains("MEAN_VALUES = [[127.5, 127.5, 127.5]]"), py);
        assertEquals(3, Files.readAllLines(dir.resolve("out/dataset.txt")).size());
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : null;
        Assumptions.assumeTrue(python != null, "no /usr/bin/python3 to compile the script with");
        Process p = new ProcessBuilder(python, "-m", "py_compile", dir.resolve("out/build_rknn.py").toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void float32PicksAndUnmodelledDtypesAreRefused() throws Exception {
        Path picks = dir.resolve("picks.cfg");
        Files.writeString(picks, "customized_quantize_layers:\n    Gemm_12: float32\n");
        CliTest.Outcome f32 = CliTest.cli("export-rknn-script", model.toString(), "--dataset", dataset.toString(), "--cfg",
                picks.toString(), "-o", dir.resolve("out").toString());
        assertEquals(1, f32.code());
        assertTrue(f32.err().contains("layer Gemm_12: RKNN-Toolkit2 has no float32 layers"), f32.err());
        assertFalse(Files.exists(dir.resolve("out/build_rknn.py")));

        CliTest.Outcome w4 = CliTest.cli("export-rknn-script", model.toString(), "--dataset", dataset.toString(), "--dtype", "w4a16",
                "-o", dir.resolve("out").toString());
        assertEquals(2, w4.code());
        assertTrue(w4.err().contains("quantized_dtype w4a16 (4-bit weights, RK3576 only) is not modelled"), w4.err());
    }

    @Test
    void anEarlierScriptIsKeptWithoutForce() throws Exception {
        String[] args = {"export-rknn-script", model.toString(), "--dataset", dataset.toString(), "-o", dir.resolve("out").toString()};
        assertEquals(0, CliTest.cli(args).code());
        CliTest.Outcome again = CliTest.cli(args);
        assertEquals(1, again.code());
        assertTrue(again.err().contains("build_rknn.py exists"), again.err());
    }
}
