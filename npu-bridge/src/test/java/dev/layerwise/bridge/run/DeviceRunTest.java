package dev.layerwise.bridge.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.bridge.TestModels;
import dev.layerwise.bridge.adb.AdbExecutable;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.device.DeviceOs;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.emulator.EmulatedDevice;
import dev.layerwise.bridge.emulator.EmulatorConfig;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs against the emulated device over a direct TCP transport (no adb server involved). */
class DeviceRunTest {

    @TempDir
    Path deviceRoot;
    @TempDir
    Path host;
    EmulatedDevice device;
    Bridge bridge;
    ProfileRegistry profiles;
    Path model;
    FloatTensor input;
    OnnxModel onnx;

    @BeforeEach
    void start() throws Exception {
        device = EmulatedDevice.start(EmulatorConfig.android(deviceRoot), 0);
        profiles = ProfileRegistry.load(null);
        bridge = new Bridge(new Bridge.Config(new AdbExecutable(Path.of("/nonexistent/adb"), Map.of()), 1,
                Duration.ofSeconds(5), Duration.ofSeconds(2), null), profiles);
        onnx = TestModels.classifier(8, 10, 7);
        // a name that would break an unquoted shell command
        model = host.resolve("my model's \"best\"; $(touch pwned).onnx");
        Files.write(model, onnx.toBytes());
        input = TestModels.input(8, 3);
    }

    @AfterEach
    void stop() {
        device.close();
    }

    String serial() {
        return Bridge.DIRECT + device.address();
    }

    RunRequest request(String profile) throws Exception {
        return RunRequest.of(serial(), profiles.get(profile), model, input);
    }

    TopK hostTop5() throws Exception {
        try (OnnxSession s = OnnxSession.create(onnx, "host")) {
            return TopK.of(s.run(Map.of("input", input)).get("probs").data(), 5, null);
        }
    }

    void assertNoWorkFolderLeft() throws Exception {
        Path runs = device.hostPath("/data/local/tmp/layerwise");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                assertEquals(List.of(), s.toList(), "work folders left on the device");
            }
        }
    }

    @Test
    void probeDescribesTheBoard() throws Exception {
        DeviceInfo info = bridge.probe(serial(), null);
        assertEquals("Emulated RK3588", info.model());
        assertEquals("rk3588", info.soc());
        assertEquals(DeviceOs.ANDROID, info.os());
        assertEquals("/data/local/tmp/layerwise", info.workRoot());
        assertTrue(info.freeBytes() > 1_000_000_000L, info.summary());
        assertEquals("/vendor/lib64/librknnrt.so", info.runtimes().rknnLibrary());
        assertEquals(Set.of("onnxruntime", "rknnlite"), info.runtimes().pythonModules());
        assertTrue(info.compatible().contains("rockchip,rk3588"));
    }

    @Test
    void onnxRuntimeProfileGivesTheHostTop5AndCleansUp() throws Exception {
        DeviceRunResult r = bridge.run(request("onnxruntime-python"), DeviceProgress.NONE, null);
        assertEquals(hostTop5(), r.top());
        assertEquals(serial(), r.device());
        assertTrue(r.log().contains("layerwise: inference"), r.log());
        assertEquals(List.of(), r.warnings());
        assertNoWorkFolderLeft();
        try (Stream<Path> s = Files.walk(deviceRoot)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith("pwned")), "a file name was executed");
        }
    }

    @Test
    void workFoldersOfKilledRunsFromThisHostAreRemovedByTheNextRun() throws Exception {
        Path runs = Files.createDirectories(device.hostPath("/data/local/tmp/layerwise"));
        // pid 2^22+1 is beyond Linux's pid range: that process is gone, as after kill -9
        String killed = "run-20261128-090000-abcd-" + DeviceRun.HOST_TAG + "-4194305";
        String otherHost = "run-20261128-090000-abcd-" + (DeviceRun.HOST_TAG.equals("00000000") ? "11111111" : "00000000") + "-4194305";
        String live = "run-20261128-090000-abcd-" + DeviceRun.HOST_TAG + "-" + ProcessHandle.current().pid();
        for (String n : List.of(killed, otherHost, live)) {
            Files.writeString(Files.createDirectories(runs.resolve(n)).resolve("model.onnx"), "x");
        }
        bridge.run(request("onnxruntime-python"), DeviceProgress.NONE, null);
        try (Stream<Path> s = Files.list(runs)) {
            assertEquals(Set.of(otherHost, live), s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void workFolderNamesTellWhichHostAndProcessMadeThem() {
        assertTrue(DeviceRun.runName().matches("run-\\d{8}-\\d{6}-[0-9a-f]{4}-" + DeviceRun.HOST_TAG + "-"
                + ProcessHandle.current().pid()), DeviceRun.runName());
    }

    @Test
    void benchmarkProfilePushesTheUsersBinaryAndPullsRtOutput() throws Exception {
        Path rknn = host.resolve("model.rknn");
        Files.write(rknn, onnx.toBytes()); // the emulated NPU runs .rknn files that hold ONNX
        Path binary = host.resolve("rknn_benchmark");
        Files.writeString(binary, "#!/bin/false\n# layerwise-emulated: rknn_benchmark\n");
        RunRequest req = RunRequest.of(serial(), profiles.get("rknn-benchmark"), rknn, input)
                .withUserFiles(Map.of("rknn_benchmark", binary));
        assertEquals(hostTop5(), bridge.run(req, DeviceProgress.NONE, null).top());
    }

    /**
     * A detector's three outputs (class scores, boxes, objectness; none a class vector) come back
     * from every profile that writes files, each equal to the host's, and there is no top-k.
     */
    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime-python", "rknn-lite2", "rknn-benchmark"})
    void everyOutputOfAMultiOutputModelComesBack(String profile) throws Exception {
        OnnxModel detector = RealWorldModels.detector(16, 16, 2);
        FloatTensor x = RealWorldModels.input(3, 1, 3, 16, 16);
        Path file = host.resolve(profile.equals("onnxruntime-python") ? "det.onnx" : "det.rknn");
        Files.write(file, detector.toBytes());
        RunRequest req = RunRequest.of(serial(), profiles.get(profile), file, x);
        if (profile.equals("rknn-benchmark")) {
            Path binary = Files.writeString(host.resolve("rknn_benchmark"), "#!/bin/false\n# layerwise-emulated: rknn_benchmark\n");
            req = req.withUserFiles(Map.of("rknn_benchmark", binary));
        }
        DeviceRunResult r = bridge.run(req, DeviceProgress.NONE, null);
        List<FloatTensor> expected;
        try (OnnxSession s = OnnxSession.create(detector, "host")) {
            expected = List.copyOf(s.run(Map.of("images", x)).values());
        }
        assertEquals(3, expected.size());
        assertEquals(expected, r.outputs());
        assertEquals(null, r.top(), "no output is a class vector");
        assertNoWorkFolderLeft();
    }

    @Test
    void aNonFiniteOutputOfAMultiOutputModelIsNamedByItsPlace() throws Exception {
        OnnxModel detector = RealWorldModels.detector(16, 16, 2);
        FloatTensor x = RealWorldModels.input(3, 1, 3, 16, 16);
        float[] poisoned = x.data().clone();
        java.util.Arrays.fill(poisoned, Float.NaN);
        Path file = Files.write(host.resolve("det.onnx"), detector.toBytes());
        RunRequest req = RunRequest.of(serial(), profiles.get("onnxruntime-python"), file, new FloatTensor(x.shape(), poisoned));
        DeviceException e = org.junit.jupiter.api.Assertions.assertThrows(DeviceException.class,
                () -> bridge.run(req, DeviceProgress.NONE, null));
        assertEquals(Step.READ_OUTPUT, e.step());
        assertTrue(e.getMessage().contains("output 1 of 3 holds NaN or infinite values"), e.getMessage());
        assertNoWorkFolderLeft();
    }

    @Test
    void furtherOutputsAreNumberedBesideTheFirst() {
        assertEquals("output.npy", RunnerProfile.outputFileName("output.npy", 0));
        assertEquals("output.2.npy", RunnerProfile.outputFileName("output.npy", 2));
        assertEquals("rt_output1.npy", RunnerProfile.outputFileName("rt_output0.npy", 1));
        assertEquals("out7.npy", RunnerProfile.outputFileName("out5.npy", 2));
        assertEquals("result.1", RunnerProfile.outputFileName("result", 1));
    }

    @Test
    void linuxBoardWorksInUserdata() throws Exception {
        device.close();
        device = EmulatedDevice.start(EmulatorConfig.linux(deviceRoot.resolve("linux")), 0);
        DeviceInfo info = bridge.probe(serial(), null);
        assertEquals(DeviceOs.LINUX, info.os());
        assertEquals("/userdata/layerwise", info.workRoot());
        assertEquals("rk3566", info.soc());
        assertEquals(hostTop5(), bridge.run(request("onnxruntime-python"), DeviceProgress.NONE, null).top());
    }

    @Test
    void progressReportsEveryStepInOrder() throws Exception {
        List<Step> steps = new java.util.ArrayList<>();
        bridge.run(request("onnxruntime-python"), (step, message) -> {
            if (steps.isEmpty() || steps.get(steps.size() - 1) != step) {
                steps.add(step);
            }
        }, null);
        assertEquals(List.of(Step.CONNECT, Step.PROBE, Step.CHECK, Step.PREPARE, Step.PUSH, Step.VERIFY, Step.RUN, Step.PULL,
                Step.READ_OUTPUT, Step.CLEANUP), steps);
    }

    RunRequest stdoutProfile(String command) throws Exception {
        var p = ProfileRegistry.parse(("name: printer\ncommand: " + command + "\noutput: {stdout: true}\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "printer.yaml");
        return RunRequest.of(serial(), p, model, input);
    }

    @Test
    void placeholdersInFileNamesAreNotExpandedAgain() throws Exception {
        // the model's name holds "{output}": substituting placeholders one after another would
        // expand it inside the already quoted model path, splitting the quotes (and with a hostile
        // output name in a custom profile, run it)
        Path tricky = host.resolve("m{output}.onnx");
        Files.write(tricky, onnx.toBytes());
        var p = ProfileRegistry.parse(("name: tricky\ncommand: echo 'scores:'; echo '[0.1, 0.7, 0.2]'; echo {model} {output}\n"
                + "output: {stdout: true}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), "tricky.yaml");
        DeviceRunResult r = bridge.run(RunRequest.of(serial(), p, tricky, input), DeviceProgress.NONE, null);
        assertEquals(1, r.top().top1().index());
        assertTrue(r.log().contains("/m{output}.onnx"), "the model path reaches the command whole: " + r.log());
        try (Stream<Path> s = Files.walk(deviceRoot)) {
            assertFalse(s.anyMatch(q -> q.getFileName().toString().startsWith("pwned")), "nothing was executed");
        }
    }

    @Test
    void stdoutProfileReadsPrintedScores() throws Exception {
        DeviceRunResult r = bridge.run(stdoutProfile("echo 'scores:'; echo '[0.1, 0.7, 0.2]'"), DeviceProgress.NONE, null);
        assertEquals(1, r.top().top1().index());
        assertEquals(0.7, r.top().top1().score(), 1e-6);
    }

    @Nested
    class Faults {

        @Test
        void garbageOnStdoutIsReportedForStdoutProfiles() throws Exception {
            DeviceException e = assertThrows(DeviceException.class,
                    () -> bridge.run(stdoutProfile("echo 'Segmentation fault (core dumped) @@##'"), DeviceProgress.NONE, null));
            assertEquals(Step.READ_OUTPUT, e.step());
            assertTrue(e.getMessage().contains("no scores found in the runner's output"), e.getMessage());
            assertNextRunWorks();
        }


        DeviceException failing(String profile) {
            return assertThrows(DeviceException.class, () -> bridge.run(request(profile), DeviceProgress.NONE, null));
        }

        void assertNextRunWorks() throws Exception {
            device.faults().reset();
            assertEquals(hostTop5(), bridge.run(request("onnxruntime-python"), DeviceProgress.NONE, null).top());
            assertNoWorkFolderLeft();
        }

        @Test
        void deviceGoneMidPushIsAnErrorNamingDeviceAndStep() throws Exception {
            device.faults().dropAfterPushedBytes(50);
            DeviceException e = failing("onnxruntime-python");
            assertEquals(Step.PUSH, e.step(), e.getMessage());
            assertTrue(e.getMessage().startsWith("device " + serial() + ", push: "), e.getMessage());
            assertTrue(e.getMessage().contains("lost"), e.getMessage());
            assertNextRunWorks();
        }

        @Test
        void deviceGoneMidRunIsAnErrorNotAHang() throws Exception {
            device.faults().dropOnCommand("python3 ort_runner.py");
            long t0 = System.nanoTime();
            DeviceException e = failing("onnxruntime-python");
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "took too long");
            assertEquals(Step.RUN, e.step(), e.getMessage());
            assertTrue(e.getMessage().contains("lost"), e.getMessage());
            assertNextRunWorks();
        }

        @Test
        void missingRunnerSaysWhatToInstall() throws Exception {
            device.faults().runnerMissing(true);
            DeviceException e = failing("onnxruntime-python");
            assertEquals(Step.CHECK, e.step(), e.getMessage());
            assertTrue(e.getMessage().contains("python3 is not installed"), e.getMessage());
            assertNextRunWorks();
        }

        @Test
        void missingPythonModuleSaysHowToInstallIt() throws Exception {
            device.close();
            device = EmulatedDevice.start(EmulatorConfig.android(deviceRoot.resolve("b")).withPython(true, Set.of()), 0);
            DeviceException e = failing("onnxruntime-python");
            assertTrue(e.getMessage().contains("cannot import onnxruntime") && e.getMessage().contains("pip3 install onnxruntime"),
                    e.getMessage());
        }

        @Test
        void unauthorizedDeviceIsRefusedWithAHint() throws Exception {
            device.faults().unauthorized(true);
            DeviceException e = failing("onnxruntime-python");
            assertEquals(Step.CONNECT, e.step());
            assertTrue(e.getMessage().contains("unauthorized") && e.getMessage().contains("adb connect"), e.getMessage());
            assertNextRunWorks();
        }

        @Test
        void fullDiskIsCaughtBeforePushing() throws Exception {
            device.faults().reportedFreeBytes(10_000);
            DeviceException e = failing("onnxruntime-python");
            assertEquals(Step.CHECK, e.step());
            assertTrue(e.getMessage().contains("not enough free space in /data/local/tmp/layerwise"), e.getMessage());
            assertNextRunWorks();
        }

        @Test
        void diskFillingUpDuringPushReportsTheDevicesReason() throws Exception {
            device.close();
            device = EmulatedDevice.start(EmulatorConfig.android(deviceRoot.resolve("small")).withCapacity(400), 0);
            device.faults().reportedFreeBytes(1L << 30); // df lies, the write fails
            DeviceException e = failing("onnxruntime-python");
            assertEquals(Step.PUSH, e.step());
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertNoWorkFolderLeft();
        }

        @Test
        void commandTimeoutStopsTheRun() throws Exception {
            device.faults().hangOnCommand("python3 ort_runner.py");
            long t0 = System.nanoTime();
            DeviceException e = assertThrows(DeviceException.class, () -> bridge.run(
                    request("onnxruntime-python").withRunTimeout(Duration.ofMillis(500)), DeviceProgress.NONE, null));
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "took too long");
            assertEquals(Step.RUN, e.step());
            assertTrue(e.getMessage().contains("timed out after 0.5 s"), e.getMessage());
            assertNextRunWorks();
        }

        @Test
        void garbageOutputIsReportedNotParsed() throws Exception {
            device.faults().garbageOutput(true);
            DeviceException e = failing("onnxruntime-python");
            assertEquals(Step.READ_OUTPUT, e.step());
            assertTrue(e.getMessage().contains("output.npy is not an .npy file"), e.getMessage());
            assertNextRunWorks();
        }

        @Test
        void cancelStopsARunningCommand() throws Exception {
            device.faults().hangOnCommand("python3 ort_runner.py");
            CancelToken cancel = new CancelToken();
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException ignored) {
                    // test thread
                }
                cancel.cancel();
            });
            t.start();
            DeviceException e = assertThrows(DeviceException.class,
                    () -> bridge.run(request("onnxruntime-python"), DeviceProgress.NONE, cancel));
            assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
            assertNextRunWorks();
        }

        @Test
        void wrongModelTypeForProfileIsACheckError() {
            DeviceException e = failing("rknn-lite2");
            assertEquals(Step.CHECK, e.step());
            assertTrue(e.getMessage().contains("runs .rknn models"), e.getMessage());
        }
    }
}
