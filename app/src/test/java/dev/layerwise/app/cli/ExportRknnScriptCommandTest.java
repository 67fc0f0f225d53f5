package dev.layerwise.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.config.Toolkit;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportRknnScriptCommandTest {

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
        for (int i = 0; i < 2; i++) {
            CliTest.writeImage(dir.resolve("img/" + i + ".png"), 16, 16, BufferedImage.TYPE_3BYTE_BGR, i);
            ds.append("img/").append(i).append(".png\n");
        }
        dataset = dir.resolve("dataset.txt");
        Files.writeString(dataset, ds);
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
        assertEquals(2, Files.readAllLines(dir.resolve("out/dataset.txt")).size());
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
