package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.compare.DatasetCompareViewModel;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.compare.Comparer;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.sample.ShuffleNetV2Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Kept candidates and the comparison over the dataset, through the real window (headless
 * Monocle): the numbers on screen against the core's own comparison, progress, cancel, the worst
 * image made the analysed input, and a detector's candidates in the per-output table at 1024 x 700.
 */
class CompareDatasetUiTest extends WindowUiTest {

    private static final Map<String, QuantType> PLANTED = planted();

    private Stage stage;

    private static Map<String, QuantType> planted() {
        Map<String, QuantType> m = new LinkedHashMap<>();
        ShuffleNetV2Sample.PLANTED_LAYERS.forEach(l -> m.put(l, QuantType.DYNAMIC_FIXED_POINT_I16));
        return m;
    }

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
        this.stage = stage;
    }

    /** The core's comparison of float, normal and {@code picks} on the run's dataset (or its first {@code count} entries). */
    private ModelResult core(Map<String, QuantType> picks, String model, int count) throws Exception {
        RunResult r = fx(() -> wb.project().result());
        List<Sample> all = Dataset.load(r.settings().dataset());
        QuantPlan plan = r.project().plan(r.calibration(), r.normalPlan().defaultType(), picks, Map.of(),
                r.normalPlan().perChannel());
        Comparison c = Comparer.compare(r.project().graph(), r.normalPlan(), plan,
                r.project().samples(all.subList(0, Math.min(count, all.size())), r.settings().preprocessing(), w -> { }),
                r.labels(), ProgressListener.NONE);
        return c.model(model);
    }

    /** The texts of one row of a grid, in column order. */
    private static List<String> row(GridPane grid, int row) throws Exception {
        return fx(() -> grid.getChildren().stream()
                .filter(n -> n instanceof Labeled && n.isVisible() && GridPane.getRowIndex(n) != null && GridPane.getRowIndex(n) == row)
                .sorted(java.util.Comparator.comparingInt(n -> GridPane.getColumnIndex(n) == null ? 0 : GridPane.getColumnIndex(n)))
                .map(n -> ((Labeled) n).getText()).toList());
    }

    private static String f6(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** Scrolls the Compare view to its end, where the dataset section is. */
    private void scrollToDataset(FxRobot robot) throws Exception {
        scroll(robot, true);
    }

    private void scroll(FxRobot robot, boolean toEnd) throws Exception {
        ScrollPane scroll = robot.lookup(".compare-view .scroll-pane").queryAs(ScrollPane.class);
        fx(() -> {
            scroll.layout();
            scroll.setVvalue(toEnd ? scroll.getVmax() : scroll.getVmin());
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * Presses a control that has a tooltip from the keyboard: a pointer resting on it on a busy
     * machine lets the tooltip open under the pointer (headless, the cursor has no size) and take the click.
     */
    private static void press(FxRobot robot, String query) throws Exception {
        rest(robot);
        // looked up on the FX thread: the cards are rebuilt there while a rebuild finishes
        Node n = fx(() -> robot.lookup(query).query());
        fx(() -> {
            n.requestFocus();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.push(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * Moves the pointer onto a label without a tooltip and lets any open tooltip close: a tooltip
     * still showing would take the next click to hide itself.
     */
    private static void rest(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Node summary = fx(() -> robot.lookup(".compare-summary").query());
        robot.moveTo(summary);
        WaitForAsyncUtils.sleep(300, java.util.concurrent.TimeUnit.MILLISECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void pickAndKeep(FxRobot robot, Map<String, QuantType> picks) throws Exception {
        fx(() -> {
            wb.layers().setTypes(picks);
            return null;
        });
        waitUntil("the rebuild with the picks", () -> idle() && wb.compare().hybridPlan() != null
                && wb.compare().hybridPlan().promotedLayers().size() == picks.size());
        robot.clickOn("#keep-candidate");
        WaitForAsyncUtils.waitForFxEvents();
        // the dialog offers a name made from the picks: take it
        robot.push(KeyCode.ENTER);
        waitUntil("the kept candidate", () -> wb.compare().candidates().size() == 1);
        rest(robot);
    }

    @Test
    void aCandidateCardAndTheDatasetShowTheCoresNumbersAndTheWorstImageOpensOnAClick(FxRobot robot) throws Exception {
        waitUntil("the first comparison", () -> wb.compare().columns().size() == 3 && idle());
        robot.clickOn("#tab-compare");
        pickAndKeep(robot, PLANTED);
        Node card = robot.lookup("#compare-column-candidate-0").query();
        String title = fx(() -> ((Labeled) card.lookup(".compare-title")).getText());
        assertEquals("3 \u00d7 i16", title);
        ModelResult planted = core(PLANTED, Comparison.HYBRID, 1);
        assertEquals("final output cosine " + f6(planted.vsFloat().cosine()),
                fx(() -> ((Labeled) card.lookup(".final-cosine")).getText()), "the card shows the core's number");

        // other picks, then the card's button brings the kept ones back
        fx(() -> {
            wb.layers().clearPromotions();
            return null;
        });
        waitUntil("the rebuild without picks", () -> idle() && wb.compare().hybridPlan().promotedLayers().isEmpty());
        press(robot, "#compare-column-candidate-0 .candidate-use");
        try {
            waitUntil("the candidate's picks in use", () -> wb.layers().types().equals(PLANTED) && idle());
        } catch (AssertionError e) {
            // what the window was doing, for a failure seen only on a loaded machine
            throw new AssertionError(e.getMessage() + "; picks " + fx(() -> wb.layers().types()) + ", idle " + idle()
                    + ", focus on " + fx(() -> stage.getScene().getFocusOwner()) + ", windows "
                    + fx(() -> javafx.stage.Window.getWindows().stream().map(w -> w + (w.isFocused() ? " (focused)" : "")).toList()), e);
        }

        scrollToDataset(robot);
        List<Double> progress = new CopyOnWriteArrayList<>();
        List<String> statuses = new CopyOnWriteArrayList<>();
        DatasetCompareViewModel dataset = wb.datasetCompare();
        fx(() -> {
            dataset.progressProperty().addListener((o, was, now) -> progress.add(now.doubleValue()));
            dataset.statusProperty().addListener((o, was, now) -> statuses.add(now));
            return null;
        });
        rest(robot);
        robot.clickOn("#dataset-run");
        waitUntil("the comparison over the dataset", () -> !dataset.runningProperty().get() && dataset.rows().size() == 4 && idle());
        int images = Dataset.load(fx(() -> wb.project().result().settings().dataset())).size();
        assertTrue(progress.stream().anyMatch(p -> p > 0 && p < 1), "progress between the ends: " + progress);
        assertTrue(statuses.stream().anyMatch(s -> s.matches("\\d+ / " + images + " images")), statuses.toString());
        assertTrue(statuses.get(statuses.size() - 1).startsWith(images + " of " + images + " images in"), statuses.toString());
        assertFalse(fx(() -> robot.lookup("#dataset-progress").queryAs(ProgressBar.class).isVisible()), "no bar once done");

        GridPane table = robot.lookup("#dataset-table").queryAs(GridPane.class);
        assertEquals(List.of("Model", "Top-1 agreement", "Mean cosine", "Min cosine", "Worst image"), row(table, 0));
        ModelResult normal = core(Map.of(), Comparison.NORMAL, images);
        ModelResult hybrid = core(PLANTED, Comparison.HYBRID, images);
        List<Sample> all = Dataset.load(fx(() -> wb.project().result().settings().dataset()));
        String worstNormal = all.get(normal.worstInput()).files().get(0).getFileName().toString();
        assertEquals(List.of("Float", "100.0 %", f6(1), f6(1), "reference"), row(table, 1));
        assertEquals(List.of("Normal", String.format(Locale.ROOT, "%.1f %%", 100 * normal.top1Agreement()), f6(normal.vsFloat().cosine()),
                f6(normal.minCosine()), worstNormal), row(table, 2));
        List<String> hybridRow = List.of(String.format(Locale.ROOT, "%.1f %%", 100 * hybrid.top1Agreement()),
                f6(hybrid.vsFloat().cosine()), f6(hybrid.minCosine()),
                all.get(hybrid.worstInput()).files().get(0).getFileName().toString());
        assertEquals(hybridRow, row(table, 3).subList(1, 5));
        assertEquals("3 \u00d7 i16", row(table, 4).get(0));
        assertEquals(hybridRow, row(table, 4).subList(1, 5), "the candidate holds the same picks as the hybrid");

        press(robot, "#dataset-worst-normal");
        Path worst = all.get(normal.worstInput()).files().get(0);
        waitUntil("the worst image analysed", () -> idle() && worst.equals(wb.project().result().settings().input())
                && wb.compare().lastRun() == wb.project().result() && wb.compare().column("normal") != null);
        assertEquals(worst, fx(() -> wb.project().inputProperty().get()), "the sidebar shows the image");
        assertEquals(PLANTED, fx(() -> wb.layers().types()), "the picks stay");
        assertEquals(f6(normal.minCosine()), f6(fx(() -> wb.compare().column("normal").finalCosine())),
                "on its worst image the normal card shows the min over the dataset");
        assertTrue(fx(() -> wb.compare().summaryProperty().get()).contains(worstNormal));
        assertFalse(fx(() -> dataset.staleProperty().get()), "another analysed image does not change the numbers over the dataset");
    }

    @Test
    void cancelStopsAtTheNextImageAndKeepsWhatWasMeasured(FxRobot robot, @TempDir Path dir) throws Exception {
        waitUntil("the first analysis", () -> wb.project().result() != null && idle());
        // hundreds of images are what the section is for: the sample's images five times over
        List<Sample> sample = Dataset.load(fx(() -> wb.project().result().settings().dataset()));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sample.forEach(s -> text.append(s.files().get(0).toAbsolutePath()).append('\n'));
        }
        Path big = Files.writeString(dir.resolve("big.txt"), text);
        int images = 5 * sample.size();
        fx(() -> {
            wb.project().datasetProperty().set(big);
            wb.project().run();
            return null;
        });
        waitUntil("the run on the big dataset", () -> idle() && wb.project().result().settings().dataset().equals(big)
                && wb.datasetCompare().availableProperty().get() == images);
        robot.clickOn("#tab-compare");
        pickAndKeep(robot, PLANTED);
        scrollToDataset(robot);
        rest(robot);
        robot.clickOn("#dataset-run");
        waitUntil("a few images done", () -> wb.datasetCompare().statusProperty().get().matches("([2-9]|\\d\\d) / " + images + " images"));
        robot.clickOn("#dataset-cancel");
        waitUntil("the comparison stopped", () -> !wb.datasetCompare().runningProperty().get() && idle());
        String status = fx(() -> wb.datasetCompare().statusProperty().get());
        assertTrue(status.startsWith("Cancelled after "), status);
        int done = Integer.parseInt(status.substring("Cancelled after ".length(), status.indexOf(" of ")));
        assertTrue(done > 0 && done < images, status);
        assertFalse(fx(() -> robot.lookup("#dataset-run").queryAs(javafx.scene.control.Button.class).isDisabled()),
                "Compare is offered again");
        assertTrue(fx(() -> robot.lookup("#dataset-cancel").queryAs(javafx.scene.control.Button.class).isDisabled()));
        GridPane table = robot.lookup("#dataset-table").queryAs(GridPane.class);
        assertEquals(f6(core(Map.of(), Comparison.NORMAL, done).vsFloat().cosine()), row(table, 2).get(2),
                "the numbers cover the images done");
    }

    @Test
    void aDetectorsCandidateHasItsOwnColumnsAndNothingIsCutAt1024x700(FxRobot robot, @TempDir Path dir) throws Exception {
        waitUntil("the first analysis", () -> wb.project().result() != null && idle());
        Path model = RealWorldModels.writeWithDataset(dir, "detector.onnx", RealWorldModels.detector(48, 64, 4), 4, 1, 3, 48, 64);
        fx(() -> {
            wb.project().useModel(model);
            wb.project().run();
            stage.setMaximized(false);
            stage.setWidth(1024);
            stage.setHeight(700);
            return null;
        });
        waitUntil("the detector's comparison", () -> idle() && wb.compare().lastRun() != null
                && wb.compare().lastRun().settings().model().equals(model));
        robot.clickOn("#tab-compare");
        Map<String, QuantType> stage2 = Map.of("stage2", QuantType.DYNAMIC_FIXED_POINT_I16);
        pickAndKeep(robot, stage2);
        fx(() -> {
            wb.layers().setTypes(Map.of("stage2", QuantType.DYNAMIC_FIXED_POINT_I16, "head/box", QuantType.DYNAMIC_FIXED_POINT_I16));
            return null;
        });
        waitUntil("the rebuild with two picks", () -> idle() && wb.compare().hybridPlan().promotedLayers().size() == 2);

        // no cards for a box map: the candidate is a column of the per-output table, its name a menu (use, remove)
        assertTrue(robot.lookup(".compare-column").queryAll().isEmpty());
        // the per-output table is drawn again after the rebuild's result reaches the view: wait for it
        waitUntil("the candidate's column", () -> robot.lookup("#output-candidate-candidate-0").tryQuery().isPresent());
        Node header = robot.lookup("#output-candidate-candidate-0").query();
        // beside normal's and hybrid's three figures the candidate's column is reached by scrolling the table sideways
        ScrollPane sideways = robot.lookup("#compare-outputs .sideways").queryAs(ScrollPane.class);
        fx(() -> {
            sideways.setHvalue(sideways.getHmax());
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        PickingLoopUiTest.assertInsideWindow(stage, header, "the candidate's header");
        GridPane outputs = robot.lookup("#compare-outputs .compare-output-grid").queryAs(GridPane.class);
        ModelResult kept = core(stage2, Comparison.HYBRID, 1);
        for (int i = 0; i < 3; i++) {
            List<String> cells = row(outputs, 2 + i);
            assertEquals(kept.outputs().get(i).name(), cells.get(0));
            assertEquals(f6(kept.outputs().get(i).metrics().cosine()), cells.get(cells.size() - 1), "the candidate's cosine");
        }

        scrollToDataset(robot);
        for (String id : List.of("#dataset-limit", "#dataset-run", "#dataset-cancel")) {
            Node n = robot.lookup(id).query();
            assertTrue(fx(() -> n.localToScene(n.getBoundsInLocal()).getMaxX() <= stage.getScene().getWidth()), id + " inside the width");
        }
        rest(robot);
        robot.clickOn("#dataset-run");
        waitUntil("the comparison over the dataset", () -> !wb.datasetCompare().runningProperty().get()
                && wb.datasetCompare().rows().size() == 4 && idle());
        GridPane table = robot.lookup("#dataset-table").queryAs(GridPane.class);
        assertEquals(List.of("Model", "Mean cosine", "Min cosine", "Worst image"), row(table, 0), "no top-1 without a class vector");
        ModelResult all = core(stage2, Comparison.HYBRID, 4);
        assertEquals(List.of("1 \u00d7 i16", f6(all.vsFloat().cosine()), f6(all.minCosine()), (all.worstInput()) + ".npy"),
                row(table, 4));
        GridPane perOutput = robot.lookup("#dataset-outputs .compare-output-grid").queryAs(GridPane.class);
        for (int i = 0; i < 3; i++) {
            List<String> cells = row(perOutput, 2 + i);
            assertEquals(List.of(f6(all.outputs().get(i).metrics().cosine()), f6(all.outputs().get(i).minCosine())),
                    cells.subList(cells.size() - 2, cells.size()), "the candidate's mean and min of " + cells.get(0));
        }
        // nothing in the section is cut at 1024 px
        scrollToDataset(robot);
        for (Node n : fx(() -> new ArrayList<>(robot.lookup("#dataset-compare").query().lookupAll(".label")))) {
            if (n instanceof Labeled l && !l.isWrapText() && fx(() -> l.isVisible() && !l.getText().isEmpty())) {
                assertFalse(fx(() -> l.getWidth() + 0.5 < l.prefWidth(-1)), "'" + l.getText() + "' cut to " + l.getWidth());
                assertTrue(fx(() -> l.localToScene(l.getBoundsInLocal()).getMaxX() <= stage.getScene().getWidth() + 0.5),
                        "'" + l.getText() + "' inside the width");
            }
        }

        scroll(robot, false);
        fx(() -> {
            sideways.setHvalue(sideways.getHmax());
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        press(robot, "#output-candidate-candidate-0");
        robot.clickOn(".candidate-remove");
        waitUntil("the candidate removed", () -> wb.compare().candidates().isEmpty());
        assertTrue(robot.lookup("#output-candidate-candidate-0").tryQuery().isEmpty());
        assertTrue(fx(() -> wb.datasetCompare().staleProperty().get()), "the dataset rows say they are out of date");
        assertTrue(fx(() -> robot.lookup("#dataset-stale").query().isVisible()));
    }
}
