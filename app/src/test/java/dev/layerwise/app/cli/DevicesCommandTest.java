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
}
