package dev.layerwise.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.quant.QuantPlan;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The quantized model and cfg made beside the analysis are the ones made after it, byte for byte. */
class PlanFilesTest {

    @TempDir
    Path dir;

    private Prepared prepared(String toolkit) throws Exception {
        Path model = Files.write(dir.resolve("small.onnx"), TestModels.smallCnn().toBytes());
        StringBuilder ds = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            CliTest.writeImage(dir.resolve(i + ".png"), 16, 16, BufferedImage.TYPE_3BYTE_BGR, i);
            ds.append(i).append(".png\n");
        }
        Path dataset = Files.writeString(dir.resolve("dataset.txt"), ds);
        List<String> argv = new ArrayList<>(List.of(model.toString(), "--dataset", dataset.toString(), "--mean", "127.5",
                "--std", "64", "--toolkit", toolkit));
        Args a = Args.parse(argv, Prepared.OPTIONS, Prepared.FLAGS);
        return Prepared.from(a, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), true);
    }

    @ParameterizedTest(name = "toolkit {0}")
    @ValueSource(strings = {"1", "2"})
    void filesMadeBesideTheAnalysisEqualThoseMadeAfterIt(String toolkit) throws Exception {
        Prepared p = prepared(toolkit);
        Calibration cal = p.calibrate();
        QuantPlan plan = p.normalPlan(cal);
        List<String> comments = List.of("made beside the analysis");

        PlanFiles files = PlanFiles.start(p, plan, "quantized", comments, Map.of());
        AnalysisRun run = p.analyse(cal, plan, null);
        Path out = Files.createDirectories(dir.resolve("out"));
        files.writeInto(out);

        // the same files made one after the other, on this thread, after the analysis
        byte[] model = p.project.quantizedModel(run.plan()).toByteArray();
        String cfg = ConfigFile.format(p.cfg(run.plan(), comments, Map.of()));
        assertArrayEquals(model, Files.readAllBytes(out.resolve("small.quantized.onnx")));
        assertEquals(cfg, Files.readString(out.resolve("small.quantization.cfg")));
        assertEquals(files.modelIn(out), out.resolve("small.quantized.onnx"));
    }
}
