package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.App;
import dev.layerwise.app.Workbench;
import dev.layerwise.app.common.FxTaskRunner;
import dev.layerwise.app.device.DeviceBridge;
import dev.layerwise.app.device.DeviceRow;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.bridge.adb.AdbExecutable;
import dev.layerwise.bridge.emulator.EmulatedDevice;
import dev.layerwise.bridge.emulator.EmulatorConfig;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.run.Bridge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A session from its first moment to the next start, in the real window: the sidebar while the
 * first model loads, and what a restart remembers (the boards added, the window's size), kept in
 * a settings folder of the test's own ({@code -Dlayerwise.settings} in the app).
 */
@ExtendWith(ApplicationExtension.class)
class SessionUiTest {

    private EmulatedDevice board;
    private Bridge bridge;
    private FxTaskRunner runner;
    private FxTaskRunner deviceRunner;
    private Path settings;
    private Stage stage;
    private Workbench wb;
    /** The sidebar's model and input lines right after the window opened, while the sample's first run went on. */
    private volatile String modelWhileLoading;
    private volatile String inputWhileLoading;
    private volatile String meanWhileLoading;
    private volatile boolean resultWhileLoading;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        board = EmulatedDevice.start(EmulatorConfig.android(Files.createTempDirectory("layerwise-ui-board")), 0);
        // no adb on the test machine: the bridge reaches the emulated board straight over TCP
        bridge = new Bridge(new Bridge.Config(new AdbExecutable(Path.of("/nonexistent/adb"), Map.of()), 1,
                Duration.ofSeconds(10), Duration.ofSeconds(3), null), ProfileRegistry.load(null));
        runner = new FxTaskRunner(Platform::runLater);
        deviceRunner = new FxTaskRunner(Platform::runLater, "layerwise-device");
        settings = Files.createTempDirectory("layerwise-ui-settings");
        wb = App.compose(stage, new CoreEngine(), runner, DeviceBridge.of(bridge), deviceRunner, settings, Locale.ENGLISH, null);
        // the sidebar as first laid out: the window shows its frame first and its views one frame later,
        // while the first run is still loading the model
        Runnable[] firstLook = new Runnable[1];
        firstLook[0] = () -> {
            if (stage.getScene().lookup("#model-file") instanceof Label model) {
                stage.getScene().removePostLayoutPulseListener(firstLook[0]);
                resultWhileLoading = wb.project().result() != null;
                modelWhileLoading = model.getText();
                inputWhileLoading = ((Label) stage.getScene().lookup("#input-file")).getText();
                javafx.scene.control.TextField mean = (javafx.scene.control.TextField) stage.getScene().lookup("#mean");
                meanWhileLoading = mean.getText() + "|" + mean.getPromptText();
            }
        };
        stage.getScene().addPostLayoutPulseListener(firstLook[0]);
    }

    @AfterEach
    void stop() throws Exception {
        // work still running would deliver into the next test's window after its runner is closed
        waitUntil("the last background work", () -> !runner.status().isRunning());
        runner.close();
        deviceRunner.close();
        board.close();
    }

    private boolean idle() {
        return !runner.status().isRunning();
    }

    @Test
    void whileTheFirstModelLoadsTheSidebarNamesItsFilesNotNone(FxRobot robot) throws Exception {
        waitUntil("the sidebar laid out", () -> modelWhileLoading != null);
        assertFalse(resultWhileLoading, "the sidebar was there before the first run's result");
        assertEquals("shufflenetv2_x1.onnx (loading\u2026)", modelWhileLoading);
        assertEquals("dog_224x224.png (loading\u2026)", inputWhileLoading);
        assertEquals("|123.68,116.28,103.53", meanWhileLoading, "empty, the workspace's mean shown greyed as its prompt");
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        Label model = robot.lookup("#model-file").queryAs(Label.class);
        assertEquals("shufflenetv2_x1.onnx", fx(model::getText));
        assertFalse(fx(() -> model.getPseudoClassStates().stream().anyMatch(p -> p.getPseudoClassName().equals("loading"))),
                "no longer greyed as loading");
        assertEquals("dog_224x224.png", robot.lookup("#input-file").queryAs(Label.class).getText());
        javafx.scene.control.TextField mean = robot.lookup("#mean").queryAs(javafx.scene.control.TextField.class);
        assertEquals("123.68,116.28,103.53|", fx(() -> mean.getText() + "|" + mean.getPromptText()));
    }

    @Test
    void aRestartRemembersTheBoardAddedAndTheWindowSize(FxRobot robot) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        robot.clickOn("#tab-device");
        waitUntil("the first listing", () -> !wb.device().busyProperty().get());
        robot.clickOn("#device-address").write(board.address());
        robot.clickOn("#device-add");
        waitUntil("the board in the list", () -> wb.device().selectedProperty().get() != null
                && wb.device().selectedProperty().get().usable());
        String serial = fx(() -> wb.device().selectedProperty().get().serial());

        fx(() -> {
            stage.setMaximized(false);
            stage.setWidth(1111);
            stage.setHeight(733);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        double width = fx(() -> stage.getScene().getWidth());
        double height = fx(() -> stage.getScene().getHeight());
        robot.push(KeyCode.CONTROL, KeyCode.Q);
        waitUntil("the window closed", () -> !stage.isShowing());

        // the next start, with the same settings folder
        Stage[] next = new Stage[1];
        Workbench again = fx(() -> {
            next[0] = new Stage();
            return App.compose(next[0], new CoreEngine(), runner, DeviceBridge.of(bridge), deviceRunner, settings, Locale.ENGLISH,
                    null);
        });
        try {
            assertEquals(width, fx(() -> next[0].getScene().getWidth()), 0.5, "the window's width as left");
            assertEquals(height, fx(() -> next[0].getScene().getHeight()), 0.5, "the window's height as left");
            waitUntil("the second window's first analysis", () -> !again.layers().rows().isEmpty() && idle());
            robot.clickOn(fx(() -> next[0].getScene().lookup("#tab-device")));
            waitUntil("the board listed again without typing its address", () -> !again.device().busyProperty().get()
                    && again.device().devices().stream().anyMatch(d -> d.serial().equals(serial) && d.usable()));
            List<String> listed = fx(() -> again.device().devices().stream().map(DeviceRow::serial).toList());
            assertTrue(listed.contains(serial), listed.toString());
            assertEquals("", fx(() -> again.device().addressProperty().get()), "nothing typed");
        } finally {
            fx(() -> {
                next[0].close();
                return null;
            });
        }
    }
}
