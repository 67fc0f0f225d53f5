package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;

import dev.layerwise.app.App;
import dev.layerwise.app.MainWindow;
import dev.layerwise.app.Workbench;
import dev.layerwise.app.common.FxTaskRunner;
import dev.layerwise.app.engine.CoreEngine;
import java.nio.file.Files;
import java.util.Locale;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The workbench as the app composes it, on a test's stage with a settings folder of its own and
 * the real engine, and its orderly end: once the background work has finished (a rebuild would
 * otherwise deliver into the next test's window after this runner is closed), with the picks
 * marked saved so that no question keeps the window from closing.
 */
final class TestWindow {

    final Stage stage;
    final FxTaskRunner runner;
    final Workbench wb;

    private TestWindow(Stage stage, FxTaskRunner runner, Workbench wb) {
        this.stage = stage;
        this.runner = runner;
        this.wb = wb;
    }

    /** Opens the window on {@code stage} in {@code language}, on the bundled sample; call from the FX thread (@Start). */
    static TestWindow open(Stage stage, Locale language) throws Exception {
        FxTaskRunner runner = new FxTaskRunner(Platform::runLater);
        Workbench wb = App.compose(stage, new CoreEngine(), runner, Files.createTempDirectory("layerwise-ui-test"), language, null);
        return new TestWindow(stage, runner, wb);
    }

    MainWindow window() {
        return (MainWindow) stage.getUserData();
    }

    boolean idle() {
        return !runner.status().isRunning();
    }

    void close() throws Exception {
        waitUntil("the last background work", this::idle);
        fx(() -> {
            wb.layers().markSaved(wb.layers().types(), wb.layers().thresholdProperty().get());
            return null;
        });
        runner.close();
    }
}
