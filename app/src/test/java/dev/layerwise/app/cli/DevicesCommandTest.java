package dev.layerwise.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.cli.Cli;
import dev.layerwise.app.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesCommandTest {

    @Test
    void devicesWithoutAdbSaysHowToInstallItAndExitsOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(Commands.all()).run(List.of("devices", "--adb", "/no/such/adb", "--adb-port", Integer.toString(port)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("layerwise devices: adb not found at /no/such/adb"), message);
        assertTrue(message.contains("sudo apt-get install adb"), message);
        assertEquals(1, message.strip().lines().count(), "one line: " + message);
    }

    @Test
    void serialWithALineBreakCannotForgeALogLine() throws Exception {
        java.nio.file.Path sample = dev.layerwise.core.TestModels.repoRoot().resolve("sample-models/shufflenetv2_x1");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(Commands.all()).run(List.of("device-run", sample.resolve("shufflenetv2_x1.onnx").toString(),
                "--serial", "direct:127.0.0.1:1\nlayerwise: all good\u001b[2J", "--input", sample.resolve("dog_224x224.png").toString(),
                "--profile", "onnxruntime-python", "--quiet"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("layerwise device-run: device direct:127.0.0.1:1\\nlayerwise: all good\\x1b[2J, connect: "),
                message);
    }

    @Test
    void deviceRunWithoutModelIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(Commands.all()).run(List.of("device-run", "--serial", "x", "--profile", "onnxruntime-python"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing MODEL"));
    }

    /**
     * A detector whose class vector is its third output, built into a .rknn (the emulated NPU runs
     * ONNX): every output is compared with the host model, top-k only for the score output.
     */
    @Test
    void deviceRunJudgesEveryOutputOfAMultiOutputRknn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        dev.layerwise.core.onnx.OnnxModel m = dev.layerwise.core.RealWorldModels.opset9Detector();
        java.nio.file.Path onnx = java.nio.file.Files.write(dir.resolve("det.onnx"), m.toBytes());
        java.nio.file.Path rknn = java.nio.file.Files.write(dir.resolve("det.rknn"), m.toBytes());
        java.nio.file.Path input = dir.resolve("x.npy");
        dev.layerwise.core.tensor.Npy.write(input, dev.layerwise.core.RealWorldModels.input(1, 1, 3, 32, 32));
        try (dev.layerwise.bridge.emulator.EmulatedDevice board = dev.layerwise.bridge.emulator.EmulatedDevice.start(
                dev.layerwise.bridge.emulator.EmulatorConfig.android(java.nio.file.Files.createDirectories(dir.resolve("board"))), 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = new Cli(Commands.all()).run(List.of("device-run", rknn.toString(), "--serial", "direct:" + board.address(),
                    "--profile", "rknn-lite2", "--input", input.toString(), "--host-model", onnx.toString(), "--top", "3", "--quiet",
                    "-o", dir.resolve("out").toString()),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            java.util.Map<String, dev.layerwise.core.tensor.FloatTensor> host;
            try (dev.layerwise.core.runtime.OnnxSession s = dev.layerwise.core.runtime.OnnxSession.create(m, "host")) {
                host = s.run(java.util.Map.of("input.1", dev.layerwise.core.tensor.Npy.read(input)));
            }
            List<String> lines = text.lines().toList();
            assertTrue(lines.get(0).startsWith("device direct:" + board.address() + " (Emulated RK3588), profile rknn-lite2"), text);
            float[] conf = host.get("conf").minMax();
            assertEquals(String.format(java.util.Locale.ROOT, "output conf %s: values %.6g .. %.6g, cosine 1.000000, max |diff| 0.00000 against the host",
                    host.get("conf").shapeText(), conf[0], conf[1]), lines.get(1));
            assertTrue(lines.get(2).startsWith("output loc " + host.get("loc").shapeText() + ": values "), text);
            int top1 = dev.layerwise.core.runtime.TopK.of(host.get("score").data(), 3, null).top1().index();
            assertTrue(lines.get(3).startsWith("output score 1x3: top-1 [" + top1 + "] "), text);
            assertTrue(lines.get(3).contains("(agrees)"), text);
            assertTrue(text.contains("top-1 agrees, top-3 same order, largest score delta 0.000000"), text);
            assertEquals(text.substring(text.indexOf('\n') + 1),
                    java.nio.file.Files.readString(dir.resolve("out/top.txt")), "top.txt holds what was printed after the device line");
            assertEquals(host.get("conf"), dev.layerwise.core.tensor.Npy.read(dir.resolve("out/device_output.npy")),
                    "the first output keeps its old file name");
            // every output the board returned, named by its place and the host's name for it
            assertEquals(List.of("0_conf.npy", "1_loc.npy", "2_score.npy"), fileNames(dir.resolve("out/device_outputs")));
            assertEquals(host.get("conf"), dev.layerwise.core.tensor.Npy.read(dir.resolve("out/device_outputs/0_conf.npy")));
            assertEquals(host.get("loc"), dev.layerwise.core.tensor.Npy.read(dir.resolve("out/device_outputs/1_loc.npy")));
            assertEquals(host.get("score"), dev.layerwise.core.tensor.Npy.read(dir.resolve("out/device_outputs/2_score.npy")));
        }
    }

    private static List<String> fileNames(java.nio.file.Path folder) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
