package dev.layerwise.bridge.adb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.layerwise.bridge.TestModels;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.device.DeviceState;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.emulator.EmulatedDevice;
import dev.layerwise.bridge.emulator.EmulatorConfig;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.run.Bridge;
import dev.layerwise.bridge.run.DeviceProgress;
import dev.layerwise.bridge.run.RunRequest;
import dev.layerwise.bridge.run.DeviceRunResult;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge through the real adb server (Debian's {@code adb} package) attached to the emulated
 * device with {@code adb connect}. Uses its own server port and stops that server afterwards.
 * Skipped when adb is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAdbServerTest {

    @TempDir
    static Path temp;
    Path adb;
    int serverPort;
    EmulatedDevice device;
    Bridge bridge;
    ProfileRegistry profiles;

    @BeforeAll
    void startServerAndDevice() throws Exception {
        adb = AdbExecutable.fromSystem().find().orElse(null);
        assumeTrue(adb != null, "adb is not installed (apt-get install adb); skipping the real adb server tests");
        serverPort = freePort();
        device = EmulatedDevice.start(EmulatorConfig.android(temp.resolve("device")), 0);
        profiles = ProfileRegistry.load(null);
        bridge = new Bridge(Bridge.Config.defaults().withServerPort(serverPort).withAdb(new AdbExecutable(adb, Map.of())),
                profiles);
        // the bridge starts the server itself when none runs
        DeviceInfo info = bridge.connect(device.address(), null);
        assertEquals(device.address(), info.serial());
    }

    @AfterAll
    void stopServer() throws Exception {
        if (adb != null) {
            Process p = new ProcessBuilder(adb.toString(), "-P", Integer.toString(serverPort), "kill-server")
                    .redirectErrorStream(true).start();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (device != null) {
            device.close();
        }
    }

    @Test
    void discoveryListsTheEmulatedBoardWithItsDetails() throws Exception {
        List<DeviceInfo> devices = bridge.devices();
        DeviceInfo d = devices.stream().filter(x -> x.serial().equals(device.address())).findFirst().orElseThrow();
        assertEquals(DeviceState.DEVICE, d.state());
        assertEquals("Emulated RK3588", d.model());
        assertEquals("rk3588", d.soc());
        assertEquals("/data/local/tmp/layerwise", d.workRoot());
        assertTrue(d.runtimes().hasPythonModule("onnxruntime"), d.summary());
    }

    @Test
    void modelPushedAndRunThroughAdbGivesTheHostTop5() throws Exception {
        OnnxModel onnx = TestModels.classifier(16, 20, 11);
        Path model = temp.resolve("class ifier; $(reboot).onnx");
        Files.write(model, onnx.toBytes());
        FloatTensor input = TestModels.input(16, 5);
        DeviceRunResult r = bridge.run(RunRequest.of(device.address(), profiles.get("onnxruntime-python"), model, input),
                DeviceProgress.NONE, null);
        TopK host;
        try (OnnxSession s = OnnxSession.create(onnx, "host")) {
            host = TopK.of(s.run(Map.of("input", input)).get("probs").data(), 5, null);
        }
        assertEquals(host, r.top());
    }

    /** A detector built into a .rknn (ONNX inside, for the emulated NPU) through adb: every output comes back. */
    @Test
    void aMultiOutputRknnRunsWithRknnLite2ThroughAdb() throws Exception {
        OnnxModel detector = dev.layerwise.core.RealWorldModels.detector(16, 24, 3);
        Path rknn = Files.write(temp.resolve("det.rknn"), detector.toBytes());
        FloatTensor input = dev.layerwise.core.RealWorldModels.input(5, 1, 3, 16, 24);
        DeviceRunResult r = bridge.run(RunRequest.of(device.address(), profiles.get("rknn-lite2"), rknn, input),
                DeviceProgress.NONE, null);
        try (OnnxSession s = OnnxSession.create(detector, "host")) {
            assertEquals(List.copyOf(s.run(Map.of("images", input)).values()), r.outputs());
        }
        assertEquals(null, r.top(), "scores, boxes and objectness are no class vectors");
    }

    @Test
    void adbShellAndPushWorkAgainstTheEmulator() throws Exception {
        Path f = temp.resolve("hello.txt");
        Files.writeString(f, "hello from the host\n");
        assertEquals("", adb("push", f.toString(), "/data/local/tmp/hello.txt").isEmpty() ? "" : "");
        assertEquals("hello from the host", adb("shell", "cat /data/local/tmp/hello.txt").strip());
        assertEquals("rk3588", adb("shell", "getprop ro.board.platform").strip());
    }

    @Test
    void unknownSerialIsADiscoverError() {
        DeviceException e = assertThrows(DeviceException.class, () -> bridge.probe("no-such-device", null));
        assertEquals(Step.DISCOVER, e.step());
        assertTrue(e.getMessage().startsWith("device no-such-device, discover: not connected"), e.getMessage());
    }

    @Test
    void unauthorizedBoardShowsAsUnauthorizedWithAHint() throws Exception {
        try (EmulatedDevice locked = EmulatedDevice.start(EmulatorConfig.android(temp.resolve("locked")), 0)) {
            locked.faults().unauthorized(true);
            DeviceException e = assertThrows(DeviceException.class, () -> bridge.connect(locked.address(), null));
            assertEquals(Step.CONNECT, e.step(), e.getMessage());
            assertTrue(e.getMessage().contains("unauthorized") && e.getMessage().contains("Allow USB debugging"), e.getMessage());
            DeviceInfo listed = bridge.devices().stream().filter(x -> x.serial().equals(locked.address())).findFirst().orElseThrow();
            assertEquals(DeviceState.UNAUTHORIZED, listed.state());
            adb("disconnect", locked.address());
        }
    }

    private String adb(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(adb.toString(), "-P", Integer.toString(serverPort), "-s",
                device.address()));
        if (args[0].equals("disconnect")) {
            cmd = new java.util.ArrayList<>(List.of(adb.toString(), "-P", Integer.toString(serverPort)));
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("adb " + String.join(" ", args) + " hung");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "adb " + String.join(" ", args) + ": " + out);
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
