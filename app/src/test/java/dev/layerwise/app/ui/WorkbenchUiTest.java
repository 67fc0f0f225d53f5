package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.App;
import dev.layerwise.app.MainWindow;
import dev.layerwise.app.Workbench;
import dev.layerwise.app.common.FxTaskRunner;
import dev.layerwise.app.compare.CompareColumn;
import dev.layerwise.app.layers.LayerRow;
import dev.layerwise.app.layers.LayersView;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.sample.ShuffleNetV2Sample;
import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Clicks through the real window, headless (Monocle): open the sample, run normal quantization,
 * tick the planted layers through the chart and the table, rebuild, read the Compare view.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchUiTest {

    private static final List<String> PLANTED = ShuffleNetV2Sample.PLANTED_LAYERS;

    private ThreadRecordingEngine engine;
    private FxTaskRunner runner;
    private Workbench wb;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        engine = new ThreadRecordingEngine(new CoreEngine());
        runner = new FxTaskRunner(Platform::runLater);
        Path settings = Files.createTempDirectory("layerwise-ui-test");
        wb = App.compose(stage, engine, runner, settings, Locale.ENGLISH, null);
    }

    @AfterEach
    void stopWorker() {
        runner.close();
    }

    @Test
    void tickingPlantedLayersInChartAndTableMakesHybridTop1CloserToFloat(FxRobot robot) throws Exception {
        waitUntil("the analysis fills the table", () -> !wb.layers().rows().isEmpty() && idle());
        waitUntil("the first comparison", () -> wb.compare().columns().size() == 3 && idle());
        MainWindow window = (MainWindow) stage.getUserData();
        LayersView layers = window.layersView();

        // the first planted layer through the chart: click its bar
        String viaChart = PLANTED.get(0);
        Point2D bar = fx(() -> {
            Rectangle2D b = layers.barBounds(viaChart);
            assertNotNull(b, "no bar for " + viaChart);
            return layers.chartViewer().getCanvas().localToScreen(b.getCenterX(), b.getCenterY());
        });
        robot.clickOn(bar);
        waitUntil(viaChart + " ticked by its bar", () -> wb.layers().row(viaChart).isPromoted());
        assertEquals(viaChart, fx(() -> layers.table().getSelectionModel().getSelectedItem().name()),
                "clicking a bar selects the layer's row");

        // the others through the table: filter to the row, click its tick box
        for (String layer : PLANTED.subList(1, PLANTED.size())) {
            robot.clickOn("#layer-filter").eraseText(30).write(layer);
            WaitForAsyncUtils.waitForFxEvents();
            TableView<LayerRow> table = layers.table();
            assertEquals(1, fx(() -> table.getItems().size()), "filter leaves one row for " + layer);
            CheckBox tick = fx(() -> table.lookupAll(".check-box").stream().filter(Node::isVisible)
                    .map(CheckBox.class::cast).filter(c -> c.getParent() != null && c.localToScene(0, 0).getY() > 0)
                    .findFirst().orElseThrow());
            robot.clickOn(tick);
            waitUntil(layer + " ticked in the table", () -> wb.layers().row(layer).isPromoted());
        }
        robot.clickOn("#layer-filter").eraseText(30);

        robot.clickOn("#rebuild");
        waitUntil("the hybrid rebuild with the three layers", () -> idle() && wb.compare().hybridPlan() != null
                && wb.compare().hybridPlan().promotedLayers().size() == 3);
        robot.clickOn("#tab-compare");
        WaitForAsyncUtils.waitForFxEvents();

        List<Node> cards = fx(() -> List.copyOf(robot.lookup(".compare-column").queryAll()));
        assertEquals(3, cards.size(), "float, normal and hybrid columns");
        double[] top1 = new double[3];
        for (int i = 0; i < 3; i++) {
            Node card = cards.get(i);
            List<CompareColumn.Entry> entries = fx(() -> card.lookupAll(".top5-entry").stream()
                    .map(n -> (CompareColumn.Entry) n.getUserData()).toList());
            assertEquals(5, entries.size(), "top-5 in " + card.getId());
            top1[i] = entries.get(0).score();
        }
        assertEquals(List.of("compare-column-float", "compare-column-normal", "compare-column-hybrid"),
                cards.stream().map(Node::getId).toList());
        assertTrue(Math.abs(top1[2] - top1[0]) < Math.abs(top1[1] - top1[0]),
                "hybrid top-1 " + top1[2] + " should be closer to float " + top1[0] + " than normal " + top1[1]);
    }

    @Test
    void engineWorkNeverRunsOnTheFxThread(FxRobot robot) throws Exception {
        waitUntil("the analysis and first comparison", () -> wb.compare().columns().size() == 3 && idle());
        robot.clickOn("#layer-table");
        robot.push(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.U);
        waitUntil("the rebuild after ticking every unfriendly layer", () -> idle() && wb.compare().hybridPlan() != null
                && !wb.compare().hybridPlan().promotedLayers().isEmpty());
        List<String> methods = engine.calls.stream().map(ThreadRecordingEngine.Call::method).distinct().toList();
        assertTrue(methods.containsAll(List.of("open", "calibrate", "analyze", "rebuild")), methods.toString());
        List<ThreadRecordingEngine.Call> onFx = engine.calls.stream().filter(ThreadRecordingEngine.Call::onFxThread).toList();
        assertEquals(List.of(), onFx, "engine calls on the FX thread");
        assertFalse(engine.calls.isEmpty());
    }

    @Test
    void badSettingsShowOneShortErrorWithExpandableDetails(FxRobot robot) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        robot.clickOn("#mean").eraseText(40).write("1,2,x");
        robot.clickOn("#run");
        waitUntil("the error dialog", () -> robot.lookup("#error-message").tryQuery().isPresent());
        javafx.scene.control.Label message = robot.lookup("#error-message").queryAs(javafx.scene.control.Label.class);
        assertTrue(message.getText().startsWith("Check the settings: mean"), message.getText());
        javafx.scene.control.DialogPane pane = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        assertNotNull(pane.getExpandableContent(), "details behind an expander");
        assertEquals(1, robot.lookup("#error-message").queryAll().size());
    }

    private boolean idle() {
        return !runner.status().isRunning();
    }
}
