package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.layers.LayerRow;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.quant.QuantType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Bounds;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The loop a new user meets first, through the real window (headless Monocle): the threshold
 * spinner, failed opens, undo, the language switch, unsaved picks.
 */
class PickingLoopUiTest extends WindowUiTest {

    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
        this.stage = stage;
    }

    /** The layers under {@code threshold}, straight from the analysis, not through the rows. */
    private List<String> under(double threshold) {
        return wb.project().result().analysis().layers().stream().filter(l -> l.individual().cosine() < threshold)
                .map(l -> l.name()).toList();
    }

    @Test
    void theThresholdTypedInTheSpinnerDrivesCountRowsLineTickAllAndTheSavedWorkspace(FxRobot robot, @TempDir Path dir)
            throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        // the spinner's binding to the view model used to be collected as garbage: make that happen now if it can
        for (int i = 0; i < 3; i++) {
            System.gc();
            WaitForAsyncUtils.waitForFxEvents();
        }
        robot.doubleClickOn("#threshold .text-field").eraseText(10).write("0.99999").push(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        List<String> expected = under(0.99999);
        assertTrue(expected.size() > under(0.99).size(), "the sample has layers between 0.99 and 0.99999");
        assertEquals(0.99999, wb.layers().thresholdProperty().get(), 1e-12);
        assertEquals(expected.size() + " layer(s) under the threshold", robot.lookup("#unfriendly-count").queryAs(Label.class).getText());
        assertEquals(expected, fx(() -> wb.layers().rows().stream().filter(LayerRow::isUnfriendly).map(LayerRow::name).toList()));
        assertEquals(0.99999, fx(() -> window().layersView().chartThreshold()), 1e-12, "the chart's threshold line");

        robot.clickOn("#layer-table");
        robot.push(KeyCode.CONTROL, KeyCode.U);
        waitUntil("tick all", () -> !wb.layers().types().isEmpty());
        assertEquals(expected, fx(() -> List.copyOf(wb.layers().types().keySet())), "Ctrl+U ticks the layers under the spinner's value");

        // the spinner's up arrow, one step of 0.001 from 0.99999 clamps at 1
        robot.clickOn("#threshold .increment-arrow-button");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1.0, wb.layers().thresholdProperty().get(), 1e-12);

        Path file = dir.resolve("picks.layerwise.yaml");
        fx(() -> {
            wb.workspace().saveWorkspace(file);
            return null;
        });
        waitUntil("the workspace on disk", () -> Files.isRegularFile(file) && idle());
        assertTrue(Files.readString(file).contains("threshold: 1.0"), Files.readString(file));

        // a reopened workspace brings its threshold back into the spinner and everything it drives
        Files.writeString(file, Files.readString(file).replace("threshold: 1.0", "threshold: 0.95"));
        fx(() -> {
            wb.workspace().openWorkspace(file);
            return null;
        });
        waitUntil("the reopened workspace's run", () -> idle() && wb.layers().thresholdProperty().get() == 0.95);
        assertEquals("0.950", robot.lookup("#threshold .text-field").queryAs(javafx.scene.control.TextField.class).getText());
        assertEquals(under(0.95).size() + " layer(s) under the threshold",
                robot.lookup("#unfriendly-count").queryAs(Label.class).getText());
    }

    @Test
    void aFailedOpenLeavesModelInputViewsAndRecentFilesAsTheyWere(FxRobot robot, @TempDir Path dir) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        Path readme = Files.writeString(dir.resolve("README.md"), "# Not a model\n\nJust some *markdown*.\n");
        Path fakeModel = Files.writeString(dir.resolve("picture.onnx"), "\u0089PNG not really");
        Path before = wb.project().modelProperty().get();
        Path input = wb.project().inputProperty().get();
        RunResult result = wb.project().result();
        List<Path> recent = fx(() -> List.copyOf(wb.workspace().recent().files()));
        String title = fx(stage::getTitle);

        for (Path bad : List.of(fakeModel, readme)) {
            fx(() -> {
                if (bad == readme) {
                    wb.workspace().openWorkspace(bad);
                } else {
                    wb.workspace().openModel(bad);
                }
                return null;
            });
            waitUntil("the error about " + bad.getFileName(), () -> idle() && robot.lookup("#error-message").tryQuery().isPresent());
            assertEquals(before, wb.project().modelProperty().get());
            assertEquals(input, wb.project().inputProperty().get());
            assertSame(result, wb.project().result(), "the views still show the old run");
            assertEquals(recent, fx(() -> List.copyOf(wb.workspace().recent().files())));
            assertEquals(title, fx(stage::getTitle));
            if (bad == fakeModel) {
                assertEquals("Could not open picture.onnx", robot.lookup("#error-message").queryAs(Label.class).getText());
                robot.clickOn("OK");
                waitUntil("the first dialog closed", () -> robot.lookup("#error-message").tryQuery().isEmpty());
            }
        }

        // the workspace error: a headline in the user's words, a dialog that fits on the screen
        Label headline = robot.lookup("#error-message").queryAs(Label.class);
        assertEquals("README.md is not a Layerwise workspace", headline.getText());
        Window dialog = fx(() -> headline.getScene().getWindow());
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        assertTrue(fx(dialog::getWidth) <= 700, "dialog width " + fx(dialog::getWidth));
        assertTrue(fx(dialog::getX) >= screen.getMinX() && fx(() -> dialog.getX() + dialog.getWidth()) <= screen.getMaxX(),
                "dialog on screen");
        assertFalse(fx(() -> robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class).isExpanded()),
                "details collapsed");
        robot.clickOn("OK");
    }

    @Test
    void ctrlZUndoesTickAllAndCtrlShiftZRedoesIt(FxRobot robot) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        robot.clickOn("#layer-table");
        robot.push(KeyCode.CONTROL, KeyCode.U);
        waitUntil("tick all", () -> !wb.layers().types().isEmpty());
        Map<String, QuantType> all = fx(() -> wb.layers().types());
        assertTrue(fx(stage::getTitle).contains("*"), "the title marks unsaved picks: " + fx(stage::getTitle));
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        waitUntil("undo", () -> wb.layers().types().isEmpty());
        assertFalse(fx(stage::getTitle).contains("*"), "back to the saved state");
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Z);
        waitUntil("redo", () -> wb.layers().types().equals(all));
        waitUntil("the rebuild of the redone picks", () -> idle() && wb.compare().hybridPlan() != null
                && wb.compare().hybridPlan().promotedLayers().size() == all.size());
    }

    @Test
    void quittingWithUnsavedTicksAsksFirstAndCancelKeepsTheWindow(FxRobot robot) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        fx(() -> {
            wb.layers().toggle("Conv_117");
            return null;
        });
        robot.push(KeyCode.CONTROL, KeyCode.Q);
        waitUntil("the question", () -> robot.lookup("#unsaved-dialog").tryQuery().isPresent());
        robot.clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(stage::isShowing), "Cancel keeps the window open");
        assertEquals(Map.of("Conv_117", QuantType.DYNAMIC_FIXED_POINT_I16), fx(() -> wb.layers().types()));
    }

    @Test
    void switchingTheLanguageKeepsTheTableSort(FxRobot robot) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        robot.clickOn("#col-individual");
        WaitForAsyncUtils.waitForFxEvents();
        List<String> sorted = fx(() -> window().layersView().table().getItems().stream().map(LayerRow::name).toList());
        fx(() -> {
            window().showIn(Locale.SIMPLIFIED_CHINESE);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        TableView<LayerRow> table = window().layersView().table();
        TableColumn<LayerRow, ?> first = fx(() -> table.getSortOrder().get(0));
        assertNotNull(first);
        assertEquals("col-individual", first.getId());
        assertEquals(TableColumn.SortType.ASCENDING, first.getSortType());
        assertEquals(sorted, fx(() -> table.getItems().stream().map(LayerRow::name).toList()));
        fx(() -> {
            window().showIn(Locale.ENGLISH);
            return null;
        });
    }

    @Test
    void at1024x700NothingTheLoopNeedsIsClippedOrHiddenInAnOverflowMenu(FxRobot robot) throws Exception {
        waitUntil("the first comparison", () -> wb.compare().columns().size() == 3 && idle());
        fx(() -> {
            stage.setMaximized(false);
            stage.setWidth(1024);
            stage.setHeight(700);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        waitUntil("the window at 1024 x 700", () -> stage.getScene().getWidth() <= 1024 && stage.getScene().getHeight() <= 700);
        WaitForAsyncUtils.sleep(300, java.util.concurrent.TimeUnit.MILLISECONDS);
        for (String id : List.of("#rebuild", "#threshold", "#layer-filter", "#unfriendly-count", "#run", "#cosine-chart")) {
            assertInsideWindow(stage, robot.lookup(id).query(), id);
        }
        robot.clickOn("#tab-compare");
        WaitForAsyncUtils.waitForFxEvents();
        for (String id : List.of("#compare-column-float", "#compare-column-normal", "#compare-column-hybrid")) {
            javafx.scene.Node card = robot.lookup(id).query();
            Bounds b = fx(() -> card.localToScene(card.getBoundsInLocal()));
            assertTrue(b.getMaxX() <= fx(() -> stage.getScene().getWidth()), id + " ends at " + b.getMaxX() + ", no sideways scrolling");
            // every class name in the card is shown whole
            for (javafx.scene.Node n : fx(() -> List.copyOf(card.lookupAll(".top5-cell")))) {
                if (n instanceof Label l && l.getText().startsWith("[")) {
                    assertFalse(fx(() -> l.getWidth() + 0.5 < l.prefWidth(-1)), id + ": '" + l.getText() + "' cut to " + l.getWidth());
                }
            }
        }
        robot.clickOn("#tab-device");
        WaitForAsyncUtils.waitForFxEvents();
        assertInsideWindow(stage, robot.lookup("#device-run").query(), "#device-run");
        robot.clickOn("#tab-layers");
    }

    /** A control is usable when it is in the scene, visible and wholly inside the window. */
    static void assertInsideWindow(Stage stage, javafx.scene.Node n, String what) throws Exception {
        Bounds b = fx(() -> n.localToScene(n.getBoundsInLocal()));
        double w = fx(() -> stage.getScene().getWidth());
        double h = fx(() -> stage.getScene().getHeight());
        assertTrue(fx(() -> n.getScene() != null && n.isVisible() && n.getParent() != null), what + " shown");
        assertTrue(b.getMinX() >= 0 && b.getMinY() >= 0 && b.getMaxX() <= w + 0.5 && b.getMaxY() <= h + 0.5,
                what + " at " + b + " inside " + w + "x" + h);
    }
}
