package dev.layerwise.app.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.compare.CompareColumn;
import dev.layerwise.app.compare.CompareViewModel;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.project.RecordingErrors;
import dev.layerwise.bridge.adb.AdbExecutable;
import dev.layerwise.bridge.emulator.EmulatedDevice;
import dev.layerwise.bridge.emulator.EmulatorConfig;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.run.Bridge;
import dev.layerwise.bridge.run.DeviceWorkflow;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.sample.ShuffleNetV2Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Device view model without a toolkit, against the emulated board started in-process and
 * reached directly over TCP ({@code direct:127.0.0.1:PORT}; no adb server). The sample is
 * analysed once and its hybrid built with the planted layers promoted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceViewModelTest {

    private final CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
    private final Messages messages = new Messages(Locale.ENGLISH);
    private final RecordingErrors errors = new RecordingErrors();
    private Engine engine;
    private CompareViewModel compare;
    private ProjectViewModel project;
    private Path boardRoot;
    private EmulatedDevice board;
    private DeviceBridge bridge;
    private DeviceViewModel vm;
    // the run's local folder goes here rather than into the shared /tmp, where parallel builds make their own
    @TempDir
    Path tempRoot;

    @BeforeAll
    void analyseTheSampleAndStartTheBoard() throws Exception {
        Path sample = SampleModel.locate();
        assertNotNull(sample, "sample model not found");
        engine = new CoreEngine();
        project = new ProjectViewModel(engine, runner, errors, messages);
        compare = new CompareViewModel(engine, runner, errors, messages);
        project.useSample(sample);
        project.run();
        Map<String, QuantType> picks = ShuffleNetV2Sample.PLANTED_LAYERS.stream()
                .collect(Collectors.toMap(l -> l, l -> QuantType.DYNAMIC_FIXED_POINT_I16));
        compare.rebuild(project.result(), picks);
        assertEquals(List.of(), errors.messages);
        assertNotNull(compare.hostSnapshot());

        boardRoot = Files.createTempDirectory("layerwise-board-test");
        board = EmulatedDevice.start(EmulatorConfig.android(boardRoot), 0);
        // no adb on purpose: HOST:PORT falls back to a direct connection, refresh says how to install adb
        bridge = DeviceBridge.of(new Bridge(new Bridge.Config(new AdbExecutable(Path.of("/nonexistent/adb"), Map.of()), 1,
                Duration.ofSeconds(10), Duration.ofSeconds(3), null), ProfileRegistry.load(null)));
    }

    @AfterAll
    void stopTheBoard() {
        board.close();
    }

    @BeforeEach
    void freshViewModel() {
        board.faults().reset();
        compare.clearDeviceResults();
        errors.messages.clear();
        vm = new DeviceViewModel(engine, bridge, runner, runner, compare, errors, messages, tempRoot);
    }

    @AfterEach
    void noDialogs() {
        assertEquals(List.of(), errors.messages, "device problems belong in the panel, not in dialogs");
    }

    private String serial() {
        return Bridge.DIRECT + board.address();
    }

    private void connect() {
        vm.addressProperty().set(serial());
        vm.connect();
        assertEquals("", vm.errorProperty().get());
    }

    @Test
    void addingABoardProbesItAndSelectsIt() {
        connect();
        DeviceRow d = vm.selectedProperty().get();
        assertNotNull(d);
        assertEquals(serial(), d.serial());
        assertTrue(d.usable());
        assertEquals("Emulated RK3588", d.model());
        assertEquals("rk3588", d.soc());
        assertTrue(d.os().startsWith("Android"), d.os());
        assertTrue(d.freeSpace().contains("GiB free in /data/local/tmp/layerwise"), d.freeSpace());
        assertTrue(d.runtimes().contains("librknnrt.so") && d.runtimes().contains("onnxruntime"), d.runtimes());
        assertEquals("", vm.addressProperty().get(), "the field is cleared for the next board");
        assertFalse(vm.busyProperty().get());
        assertTrue(vm.runnableProperty().get());
    }

    @Test
    void hostAndPortFallsBackToADirectConnectionWithoutAdb() {
        vm.addressProperty().set(board.address());
        vm.connect();
        assertEquals("", vm.errorProperty().get());
        assertEquals(serial(), vm.selectedProperty().get().serial());
    }

    @Test
    void runningTheModelsGivesTheHostTop5AsCompareColumnsWithZeroDeltas() throws Exception {
        connect();
        assertEquals(DeviceViewModel.DEFAULT_PROFILE, vm.profileProperty().get().name());
        vm.run();
        assertEquals("", vm.errorProperty().get());
        assertFalse(vm.busyProperty().get());

        List<String> ids = compare.columns().stream().map(CompareColumn::id).toList();
        assertEquals(List.of("float", "normal", "hybrid", "device-float", "device-normal", "device-hybrid"), ids);
        for (String model : DeviceViewModel.MODELS) {
            CompareColumn host = compare.column(model);
            CompareColumn dev = compare.column("device-" + model);
            assertTrue(dev.device());
            assertEquals(messages.get("compare.column." + model) + " @ " + serial(), dev.title());
            assertEquals(host.entries().stream().map(CompareColumn.Entry::index).toList(),
                    dev.entries().stream().map(CompareColumn.Entry::index).toList(), model + " top-5 classes");
            for (CompareColumn.Entry e : dev.entries()) {
                assertEquals(0.0, e.delta(), 1e-5, model + " delta of class " + e.index());
                assertFalse(e.differs());
            }
            assertFalse(dev.top1Differs());
            assertEquals(messages.get("compare.reference.host." + model), dev.reference());
            assertTrue(dev.note().startsWith("onnxruntime-python"), dev.note());
        }
        assertEquals(3, vm.results().size());
        assertTrue(vm.results().stream().allMatch(ResultLine::agrees));
        assertTrue(vm.runMessageProperty().get().contains("top-1 agrees with the host for 3"), vm.runMessageProperty().get());
        assertEquals(Set.of(), deviceTempFolders(), "the exported models' temporary folder is removed");
        Path runs = board.hostPath("/data/local/tmp/layerwise");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                assertEquals(List.of(), s.toList(), "work folders left on the board");
            }
        }
    }

    @Test
    void aLaterRebuildMarksTheDeviceColumnsOlderAndANewAnalysisDropsThem() {
        connect();
        vm.run();
        assertEquals(6, compare.columns().size());
        compare.rebuild(project.result(), Map.of(ShuffleNetV2Sample.PLANTED_LAYERS.get(0), QuantType.DYNAMIC_FIXED_POINT_I16));
        assertEquals(6, compare.columns().size());
        assertEquals(messages.get("compare.device.older"), compare.column("device-hybrid").note());

        project.run();
        compare.rebuild(project.result(), Map.of());
        assertEquals(List.of("float", "normal", "hybrid"), compare.columns().stream().map(CompareColumn::id).toList());
        assertEquals("", compare.deviceSectionProperty().get());

        // leave the class's hybrid as it was for the other tests
        compare.rebuild(project.result(), ShuffleNetV2Sample.PLANTED_LAYERS.stream()
                .collect(Collectors.toMap(l -> l, l -> QuantType.DYNAMIC_FIXED_POINT_I16)));
    }

    @Test
    void aBoardLostMidRunIsAnErrorInThePanelAndTheNextRunWorks() {
        connect();
        // the connection drops while the normal model is checked or run: float has finished by then
        board.faults().dropOnCommand(".normal.onnx");
        vm.run();
        String error = vm.errorProperty().get();
        assertTrue(error.startsWith("The Normal model did not finish on the board: device " + serial()), error);
        assertFalse(vm.busyProperty().get());
        assertEquals(List.of("float", "normal", "hybrid", "device-float"),
                compare.columns().stream().map(CompareColumn::id).toList(), "what ran is shown");
        assertTrue(vm.runnableProperty().get(), "a dropped connection is not a gone board");

        vm.run();
        assertEquals("", vm.errorProperty().get());
        assertEquals(6, compare.columns().size());
    }

    @Test
    void aBoardThatIsGoneIsShownOfflineAndCannotRunUntilFoundAgain() throws Exception {
        Path root = Files.createTempDirectory("layerwise-gone-board");
        String gone;
        try (EmulatedDevice other = EmulatedDevice.start(EmulatorConfig.linux(root), 0)) {
            gone = Bridge.DIRECT + other.address();
            vm.addressProperty().set(gone);
            vm.connect();
            assertEquals(gone, vm.selectedProperty().get().serial());
            assertTrue(vm.selectedProperty().get().os().startsWith("Linux"), vm.selectedProperty().get().os());
        }
        long t0 = System.nanoTime();
        vm.run();
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "a gone board must not hang the run");
        String error = vm.errorProperty().get();
        assertTrue(error.startsWith("The Float model did not finish on the board: device " + gone + ", connect"), error);
        DeviceRow row = vm.selectedProperty().get();
        assertFalse(row.usable());
        assertEquals("offline", row.state());
        assertFalse(row.hint().isEmpty());
        assertFalse(vm.runnableProperty().get());

        vm.refresh();
        assertFalse(vm.devices().stream().filter(d -> d.serial().equals(gone)).findFirst().orElseThrow().usable());
        assertTrue(vm.devices().stream().filter(d -> d.serial().equals(gone)).findFirst().orElseThrow().problem()
                .contains("connect"), "the refresh says why");
    }

    @Test
    void anUnauthorizedBoardSaysWhatToDo() {
        board.faults().unauthorized(true);
        vm.addressProperty().set(serial());
        vm.connect();
        assertTrue(vm.errorProperty().get().contains("unauthorized"), vm.errorProperty().get());
        assertTrue(vm.devices().isEmpty());
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void refreshWithoutAdbSaysHowToInstallItAndKeepsTheDirectBoard() {
        connect();
        vm.refresh();
        assertEquals(List.of(serial()), vm.devices().stream().map(DeviceRow::serial).toList());
        assertTrue(vm.listMessageProperty().get().contains("adb"), vm.listMessageProperty().get());
        assertEquals(serial(), vm.selectedProperty().get().serial());
    }

    @Test
    void cancellingAHangingRunStopsItAndTheNextRunWorks() throws Exception {
        connect();
        board.faults().hangOnCommand("ort_runner.py");
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                return;
            }
            vm.cancel();
        });
        long t0 = System.nanoTime();
        canceller.start();
        vm.run();
        canceller.join();
        assertTrue((System.nanoTime() - t0) / 1e9 < 15, "cancel took too long");
        assertEquals(messages.get("device.run.cancelled"), vm.runMessageProperty().get());
        assertEquals("", vm.errorProperty().get());
        assertFalse(vm.busyProperty().get());

        board.faults().reset();
        vm.run();
        assertEquals("", vm.errorProperty().get());
        assertEquals(6, compare.columns().size());
    }

    @Test
    void profilesThatNeedAFileOfTheUsersCannotRunFromTheWorkbench() {
        connect();
        ProfileChoice bench = vm.profiles().stream().filter(p -> p.name().equals("rknn-benchmark")).findFirst().orElseThrow();
        assertFalse(bench.runnable());
        assertFalse(bench.rknn(), "it needs the user's rknn_benchmark binary too");
        vm.profileProperty().set(bench);
        assertFalse(vm.runnableProperty().get());
        vm.run();
        assertTrue(vm.errorProperty().get().contains("device-run"), vm.errorProperty().get());
        ProfileChoice lite = vm.profiles().stream().filter(p -> p.name().equals("rknn-lite2")).findFirst().orElseThrow();
        assertTrue(lite.rknn());
        assertFalse(lite.runnable(), "it runs the user's .rknn, not the Compare view's ONNX models");
    }

    private Set<Path> deviceTempFolders() throws Exception {
        try (Stream<Path> s = Files.list(tempRoot)) {
            return s.filter(p -> p.getFileName().toString().startsWith(DeviceWorkflow.TEMP_PREFIX)).collect(Collectors.toSet());
        }
    }
}
