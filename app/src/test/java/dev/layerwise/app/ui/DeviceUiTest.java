package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.App;
import dev.layerwise.app.MainWindow;
import dev.layerwise.app.Workbench;
import dev.layerwise.app.common.FxTaskRunner;
import dev.layerwise.app.compare.CompareColumn;
import dev.layerwise.app.device.DeviceBridge;
import dev.layerwise.app.device.ProfileChoice;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.bridge.adb.AdbExecutable;
import dev.layerwise.bridge.adb.AdbUnavailableException;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.emulator.EmulatedDevice;
import dev.layerwise.bridge.emulator.EmulatorConfig;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.bridge.run.Bridge;
import dev.layerwise.bridge.run.DeviceProgress;
import dev.layerwise.bridge.run.RunRequest;
import dev.layerwise.bridge.run.DeviceRunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Device tab in the real window, headless: add the emulated board by HOST:PORT (no adb here,
 * so the bridge connects directly), run the three models, and find them as device columns in
 * the Compare view. Every bridge call must have run off the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class DeviceUiTest {

    private EmulatedDevice board;
    private FxTaskRunner runner;
    private FxTaskRunner deviceRunner;
    private final List<String> bridgeCallsOnFx = new CopyOnWriteArrayList<>();
    private final List<String> bridgeCalls = new CopyOnWriteArrayList<>();
    private Workbench wb;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        board = EmulatedDevice.start(EmulatorConfig.android(Files.createTempDirectory("layerwise-ui-board")), 0);
        Bridge bridge = new Bridge(new Bridge.Config(new AdbExecutable(Path.of("/nonexistent/adb"), Map.of()), 1,
                Duration.ofSeconds(10), Duration.ofSeconds(3), null), ProfileRegistry.load(null));
        runner = new FxTaskRunner(Platform::runLater);
        deviceRunner = new FxTaskRunner(Platform::runLater, "layerwise-device");
        wb = App.compose(stage, new CoreEngine(), runner, recording(DeviceBridge.of(bridge)), deviceRunner,
                Files.createTempDirectory("layerwise-ui-test"), Locale.ENGLISH, null);
    }

    @AfterEach
    void stop() {
        runner.close();
        deviceRunner.close();
        board.close();
    }

    @Test
    void runOnTheEmulatedBoardAddsDeviceColumnsToCompare(FxRobot robot) throws Exception {
        waitUntil("the first comparison", () -> wb.compare().columns().size() == 3 && !runner.status().isRunning());
        robot.clickOn("#tab-device");
        waitUntil("the first listing", () -> !wb.device().busyProperty().get()
                && wb.device().listMessageProperty().get().contains("adb"));

        robot.clickOn("#device-address").write(board.address());
        robot.clickOn("#device-add");
        waitUntil("the board in the list", () -> wb.device().selectedProperty().get() != null
                && wb.device().selectedProperty().get().usable());
        assertEquals("", fx(() -> wb.device().errorProperty().get()));
        assertTrue(fx(() -> robot.lookup("#device-state").queryLabeled().getText().startsWith("ready")));

        robot.clickOn("#device-run");
        waitUntil("the three runs on the board", () -> !wb.device().busyProperty().get() && !runner.status().isRunning()
                && wb.compare().columns().size() == 6);
        assertEquals("", fx(() -> wb.device().errorProperty().get()));

        robot.clickOn("#device-show-compare");
        WaitForAsyncUtils.waitForFxEvents();
        List<Node> cards = fx(() -> List.copyOf(robot.lookup(".compare-column.device").queryAll()));
        assertEquals(List.of("compare-column-device-float", "compare-column-device-normal", "compare-column-device-hybrid"),
                cards.stream().map(Node::getId).toList());
        for (Node card : cards) {
            CompareColumn c = (CompareColumn) card.getUserData();
            assertTrue(c.title().endsWith(" @ direct:" + board.address()), c.title());
            assertFalse(c.top1Differs(), c.id());
            List<CompareColumn.Entry> entries = fx(() -> card.lookupAll(".top5-entry").stream()
                    .map(n -> (CompareColumn.Entry) n.getUserData()).toList());
            assertEquals(5, entries.size());
            for (CompareColumn.Entry e : entries) {
                assertEquals(0.0, e.delta(), 1e-5, c.id() + " class " + e.index());
            }
        }
        assertTrue(bridgeCalls.containsAll(List.of("devices", "connect", "run")), bridgeCalls.toString());
        assertEquals(List.of(), bridgeCallsOnFx, "bridge calls on the FX thread");
    }

    @Test
    void aRknnFileRunsWithRknnLite2FromTheDeviceView(FxRobot robot) throws Exception {
        waitUntil("the first comparison", () -> wb.compare().columns().size() == 3 && !runner.status().isRunning());
        // the emulated NPU runs ONNX inside a .rknn: the sample's float model under that name
        Path rknn = Files.copy(fx(() -> wb.project().modelProperty().get()),
                Files.createTempDirectory("layerwise-ui-rknn").resolve("sample.rknn"));
        robot.clickOn("#tab-device");
        waitUntil("the first listing", () -> !wb.device().busyProperty().get()
                && wb.device().listMessageProperty().get().contains("adb"));
        robot.clickOn("#device-address").write(board.address());
        robot.clickOn("#device-add");
        waitUntil("the board in the list", () -> wb.device().selectedProperty().get() != null
                && wb.device().selectedProperty().get().usable());
        assertFalse(fx(() -> robot.lookup("#device-rknn-row").query().isVisible()), "no .rknn row for ONNX Runtime");

        // the profile picked in the view shows the .rknn row; its button asks the window's file dialogs
        fx(() -> {
            ComboBox<ProfileChoice> profiles = robot.lookup("#device-profile").queryAs(ComboBox.class);
            profiles.getSelectionModel().select(profiles.getItems().stream().filter(p -> p.name().equals("rknn-lite2")).findFirst()
                    .orElseThrow());
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> robot.lookup("#device-rknn-row").query().isVisible()));
        AnsweredFileDialogs dialogs = new AnsweredFileDialogs().answer(rknn);
        fx(() -> {
            ((MainWindow) stage.getUserData()).useFileDialogs(dialogs);
            return null;
        });
        robot.clickOn("#device-rknn-choose");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("open *.rknn"), dialogs.asked, "one open dialog through the window's seam");
        assertEquals("Choose the .rknn model built by RKNN-Toolkit2", fx(() -> dialogs.choosers.get(0).getTitle()));
        assertEquals("rknn-lite2", fx(() -> wb.device().profileProperty().get().name()));
        assertEquals(rknn.toString(), fx(() -> robot.lookup("#device-rknn-file").queryLabeled().getText()));
        assertEquals("Run the .rknn on the board", fx(() -> robot.lookup("#device-run").queryButton().getText()));

        robot.clickOn("#device-run");
        waitUntil("the .rknn run", () -> !wb.device().busyProperty().get() && !runner.status().isRunning()
                && !wb.device().results().isEmpty());
        assertEquals("", fx(() -> wb.device().errorProperty().get()));
        List<String> shown = fx(() -> robot.lookup("#device-results").queryAs(javafx.scene.layout.GridPane.class)
                .getChildren().stream().filter(n -> n instanceof javafx.scene.control.Label)
                .map(n -> ((javafx.scene.control.Label) n).getText()).toList());
        for (String model : List.of("Float", "Normal", "Hybrid")) {
            assertTrue(shown.contains("sample.rknn \u2194 " + model), shown.toString());
        }
        assertTrue(shown.contains("0.000000"), "the .rknn is the float model: no difference against the host float");
        assertTrue(fx(() -> robot.lookup("#device-show-compare").queryButton().isDisabled()), "a .rknn adds no Compare columns");
        assertEquals(3, (int) fx(() -> wb.compare().columns().size()));
        assertEquals(List.of(), bridgeCallsOnFx, "bridge calls on the FX thread");
    }

    private DeviceBridge recording(DeviceBridge real) {
        return new DeviceBridge() {
            private void note(String method) {
                bridgeCalls.add(method);
                if (Platform.isFxApplicationThread()) {
                    bridgeCallsOnFx.add(method);
                }
            }

            @Override
            public List<DeviceInfo> devices() throws AdbUnavailableException, DeviceException {
                note("devices");
                return real.devices();
            }

            @Override
            public DeviceInfo connect(String hostPort, CancelToken cancel) throws DeviceException {
                note("connect");
                return real.connect(hostPort, cancel);
            }

            @Override
            public DeviceInfo probe(String serial, CancelToken cancel) throws DeviceException {
                note("probe");
                return real.probe(serial, cancel);
            }

            @Override
            public DeviceRunResult run(RunRequest request, DeviceProgress listener, CancelToken cancel) throws DeviceException {
                note("run");
                return real.run(request, listener, cancel);
            }

            @Override
            public List<RunnerProfile> profiles() {
                return real.profiles();
            }
        };
    }
}
