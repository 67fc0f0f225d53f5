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
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.layers.LayerRow;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.rknn.RknnScript;
import dev.layerwise.sample.ShuffleNetV2Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * File › Import vendor analysis… and File › Export for RKNN-Toolkit2… through the real window,
 * headless. Monocle has no native file dialogs, so the window's {@code FileDialogs} answer with the
 * test's files; everything after the chooser (menus, the platform and replace dialogs, the table's
 * vendor columns, the files on disk) is the real thing.
 */
@ExtendWith(ApplicationExtension.class)
class ToolkitFilesUiTest {

    @TempDir
    Path dir;
    private FxTaskRunner runner;
    private Workbench wb;
    private Stage stage;
    private final AnsweredFileDialogs dialogs = new AnsweredFileDialogs();

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        runner = new FxTaskRunner(Platform::runLater);
        wb = App.compose(stage, new CoreEngine(), runner, Files.createTempDirectory("layerwise-ui-test"), Locale.ENGLISH, null);
    }

    @AfterEach
    void stopWorker() {
        runner.close();
    }

    private MainWindow window() {
        return (MainWindow) stage.getUserData();
    }

    /** Answers every chooser with {@code file}; {@link #dialogs} notes which kind was asked for. */
    private void answer(Path file) throws Exception {
        fx(() -> {
            window().useFileDialogs(dialogs.answer(file));
            return null;
        });
    }

    private void waitForTheSample() throws Exception {
        waitUntil("the analysis and first comparison", () -> !wb.layers().rows().isEmpty() && wb.compare().columns().size() == 3
                && !runner.status().isRunning());
    }

    private TableColumn<LayerRow, Double> column(String id) throws Exception {
        return fx(() -> shown(id));
    }

    /** On the FX thread: the visible table column with this id, or null. */
    @SuppressWarnings("unchecked")
    private TableColumn<LayerRow, Double> shown(String id) {
        TableView<LayerRow> table = window().layersView().table();
        return (TableColumn<LayerRow, Double>) table.getVisibleLeafColumns().stream().filter(c -> id.equals(c.getId()))
                .findFirst().orElse(null);
    }

    @Test
    void importVendorAnalysisShowsItsColumnsReadablyAndListsTheRowsThatNameNoLayer(FxRobot robot) throws Exception {
        waitForTheSample();
        String planted = ShuffleNetV2Sample.PLANTED_LAYERS.get(0);
        String tensor = fx(() -> wb.project().result().run().project().graph().layer(planted).output());
        Path file = Files.writeString(dir.resolve("error_analysis.txt"), "layer_name   simulator_error   runtime_error\n"
                + "[Input] input   1.00000 | 0.0   1.00000 | 0.0   1.00000 | 0.0   1.00000 | 0.0\n"
                + "[exDataConvert] input_int8   0.99990 | 0.1   0.99990 | 0.1   0.99990 | 0.1   0.99990 | 0.1\n"
                + "[Conv] " + tensor + "   0.91000 | 9.5   0.95000 | 4.25   0.88000 | 12.0   0.94000 | 5.0\n");
        answer(file);
        assertTrue(column("col-vendor-sim-entire") == null, "no vendor columns before a file is imported");

        robot.clickOn("File").clickOn("Import vendor analysis\u2026");
        waitUntil("the vendor columns", () -> wb.vendor().loadedProperty().get());
        assertEquals(List.of("open *.txt"), dialogs.asked);
        WaitForAsyncUtils.waitForFxEvents();

        // the two entire cosines beside ours; the single-layer ones on request
        LayerRow row = fx(() -> wb.layers().row(planted));
        assertEquals(0.91, fx(() -> shown("col-vendor-sim-entire").getCellData(row)), 1e-12);
        assertEquals(0.88, fx(() -> shown("col-board-entire").getCellData(row)), 1e-12);
        assertEquals(null, column("col-vendor-sim-single"));
        String notice = fx(() -> robot.lookup("#notice").queryAs(Label.class).getText());
        assertTrue(notice.contains("1 of " + wb.layers().rows().size() + " layers matched"), notice);
        assertTrue(notice.contains("2 row(s) name no layer: [Input] input, [exDataConvert] input_int8"), notice);

        robot.clickOn("#col-vendor-header").clickOn("Show single-layer columns (single, single_sim)");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0.95, fx(() -> shown("col-vendor-sim-single").getCellData(row)), 1e-12);
        assertEquals(0.94, fx(() -> shown("col-board-single-sim").getCellData(row)), 1e-12);
        robot.clickOn("#col-vendor-header").clickOn("Show single-layer columns (single, single_sim)");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(null, column("col-vendor-sim-single"));

        // at 1024 x 700 the vendor headers are whole, not cut to "Sim. s..."
        fx(() -> {
            stage.setWidth(1024);
            stage.setHeight(700);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        for (String id : List.of("col-vendor-sim-entire", "col-board-entire")) {
            double[] widths = fx(() -> {
                Label header = (Label) shown(id).getGraphic();
                return new double[] {header.getWidth(), header.prefWidth(-1)};
            });
            assertTrue(widths[0] >= widths[1] - 0.5, id + " header is cut: " + widths[0] + " < " + widths[1]);
        }
    }

    @Test
    void exportForRknnWritesTheHandOffAndAsksBeforeReplacingTheUsersCfg(FxRobot robot) throws Exception {
        waitForTheSample();
        String cfgName = RknnScript.fileNames(Path.of("shufflenetv2_x1.onnx")).get(1);

        // an empty folder: written without a question
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        answer(fresh);
        robot.clickOn("File").clickOn("Export for RKNN-Toolkit2\u2026");
        robot.clickOn("OK");
        waitUntil("the hand-off files", () -> Files.exists(fresh.resolve("build_rknn.py")) && !runner.status().isRunning());
        assertEquals(List.of("build_rknn.py", "dataset.txt", cfgName), listing(fresh), "three files and no temporary ones");
        QuantConfig picks = RknnScript.readPicks(fresh.resolve(cfgName));
        assertTrue(Files.readString(fresh.resolve("build_rknn.py")).contains("target_platform='rk3588'"),
                "the platform chosen in the dialog (its default) is in the script");
        assertEquals(List.of(), List.copyOf(picks.customizedLayers().keySet()), "no layer ticked, no picks");

        // the user's edited cfg: kept when they say so, replaced only when they say so
        Path handOff = Files.createDirectories(dir.resolve("handoff"));
        String mine = "# my own picks, edited by hand\ncustom_quantize_layers:\n    x: float16\n";
        Files.writeString(handOff.resolve(cfgName), mine);
        answer(handOff);
        robot.clickOn("File").clickOn("Export for RKNN-Toolkit2\u2026");
        robot.clickOn("OK");
        waitUntil("the replace question", () -> robot.lookup("#rknn-replace").tryQuery().isPresent());
        String question = fx(() -> robot.lookup("#rknn-replace").queryAs(javafx.scene.control.DialogPane.class).getContentText());
        assertTrue(question.contains(cfgName) && question.contains(handOff.toString()), question);
        robot.clickOn("Keep them");
        WaitForAsyncUtils.waitForFxEvents();
        waitUntil("idle", () -> !runner.status().isRunning());
        assertEquals(mine, Files.readString(handOff.resolve(cfgName)));
        assertEquals(List.of(cfgName), listing(handOff), "nothing written when the user keeps their files");

        robot.clickOn("File").clickOn("Export for RKNN-Toolkit2\u2026");
        robot.clickOn("OK");
        waitUntil("the replace question", () -> robot.lookup("#rknn-replace").tryQuery().isPresent());
        robot.clickOn("Replace");
        waitUntil("the hand-off files", () -> Files.exists(handOff.resolve("build_rknn.py")) && !runner.status().isRunning());
        assertEquals(List.of("build_rknn.py", "dataset.txt", cfgName), listing(handOff));
        assertEquals(Files.readString(fresh.resolve(cfgName)), Files.readString(handOff.resolve(cfgName)));
        assertFalse(Files.readString(handOff.resolve(cfgName)).contains("my own picks"));
        assertEquals(List.of("folder", "folder", "folder"), dialogs.asked);
    }

    private static List<String> listing(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
