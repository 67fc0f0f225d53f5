package dev.layerwise.bridge.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.bridge.adb.AdbTransport;
import dev.layerwise.bridge.device.DeviceChannel;
import dev.layerwise.bridge.device.DeviceClient;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.ShellQuote;
import dev.layerwise.bridge.device.ShellResult;
import dev.layerwise.bridge.device.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulated adbd, spoken to directly over TCP with the bridge's own transport. */
class EmulatedDeviceTest {

    @TempDir
    Path root;
    EmulatedDevice device;
    DeviceClient client;

    @BeforeEach
    void start() throws Exception {
        device = EmulatedDevice.start(EmulatorConfig.android(root), 0);
        client = new DeviceClient(DeviceChannel.direct(device.address(),
                AdbTransport.connect("127.0.0.1", device.port(), 2000)), null, Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        client.close();
        device.close();
    }

    @Test
    void shellReturnsOutputAndExitCode() throws Exception {
        ShellResult r = client.shell("echo hello; getprop ro.board.platform; false", Duration.ofSeconds(5), Step.RUN);
        assertEquals("hello\nrk3588\n", r.output());
        assertEquals(1, r.exitCode());
    }

    @Test
    void quotedNamesWithShellSyntaxAreDataNotCommands() throws Exception {
        String nasty = "a b'c\";d$(touch pwned)`touch pwned2`; touch pwned3 .onnx";
        String dir = "/data/local/tmp/q";
        ShellResult r = client.shell("mkdir -p " + dir + " && echo x > " + ShellQuote.quote(dir + "/" + nasty)
                + " && ls " + ShellQuote.quote(dir), Duration.ofSeconds(5), Step.RUN);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(nasty + "\n", r.output());
        try (var files = Files.walk(root)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("pwned")));
        }
    }

    @Test
    void unquotedSubstitutionWouldRunWhichIsWhyTheBridgeQuotes() throws Exception {
        client.shell("echo $(touch /data/local/tmp/pwned)", Duration.ofSeconds(5), Step.RUN);
        assertTrue(Files.exists(device.hostPath("/data/local/tmp/pwned")));
    }

    @Test
    void pushAndPullRoundTripLargeFile() throws Exception {
        byte[] data = new byte[700_000];
        new Random(1).nextBytes(data);
        client.push(data, "/data/local/tmp/w/blob.bin", 0644, Duration.ofSeconds(10), null);
        assertArrayEquals(data, Files.readAllBytes(device.hostPath("/data/local/tmp/w/blob.bin")));
        assertArrayEquals(data, client.pull("/data/local/tmp/w/blob.bin", 1 << 20, Duration.ofSeconds(10), null));
    }

    @Test
    void pullingMissingFileNamesIt() {
        DeviceException e = assertThrows(DeviceException.class,
                () -> client.pull("/data/local/tmp/nope.npy", 1000, Duration.ofSeconds(5), null));
        assertTrue(e.getMessage().contains("/data/local/tmp/nope.npy"), e.getMessage());
        assertEquals(Step.PULL, e.step());
    }

    @Test
    void hangingCommandTimesOut() throws Exception {
        device.faults().hangOnCommand("sleepy");
        long t0 = System.nanoTime();
        DeviceException e = assertThrows(DeviceException.class,
                () -> client.shell("echo sleepy", Duration.ofMillis(300), Step.RUN));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e6 < 3000);
        assertEquals("ok\n", client.shell("echo ok", Duration.ofSeconds(5), Step.RUN).output());
    }
}
