package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.project.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The sidebar's "…" buttons in the real window, headless: each asks the window's file dialogs
 * (answered by the test, Monocle has none) with its own filter, and the file picked becomes the
 * project's, which the next run then uses.
 */
class SidebarFilesUiTest extends WindowUiTest {

    @TempDir
    Path dir;

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    @Test
    void theDatasetAndInputButtonsAskTheWindowsDialogsAndTheNextRunUsesTheFilesPicked(FxRobot robot) throws Exception {
        waitUntil("the sample's first run", () -> wb.project().result() != null && idle());
        Path sampleDataset = fx(() -> wb.project().datasetProperty().get());
        Path sampleInput = fx(() -> wb.project().inputProperty().get());
        // a dataset of our own: the sample's first two images by their full paths
        List<Path> images = Files.readAllLines(sampleDataset).stream().map(String::strip).filter(l -> !l.isEmpty()).limit(2)
                .map(l -> sampleDataset.getParent().resolve(l).toAbsolutePath()).toList();
        Path dataset = Files.write(dir.resolve("mine.txt"), images.stream().map(Path::toString).toList());
        Path input = images.get(1).equals(sampleInput) ? images.get(0) : images.get(1);
        String extension = input.getFileName().toString().replaceFirst(".*\\.", ".");
        Path picked = Files.copy(input, dir.resolve("picked" + extension));

        AnsweredFileDialogs dialogs = new AnsweredFileDialogs().answer(dataset);
        fx(() -> {
            window().useFileDialogs(dialogs);
            return null;
        });
        robot.clickOn("#dataset-file-choose");
        WaitForAsyncUtils.waitForFxEvents();
        dialogs.answer(picked);
        robot.clickOn("#input-file-choose");
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals(List.of("open *.txt", "open *.png *.jpg *.jpeg *.bmp *.npy"), dialogs.asked,
                "two open dialogs through the window's seam, each with its own filter");
        assertEquals(List.of("Dataset list", "Images and .npy"), fx(() -> dialogs.choosers.stream()
                .map(c -> c.getExtensionFilters().get(0).getDescription()).toList()));
        assertEquals(sampleDataset.getParent().toFile(), fx(() -> dialogs.choosers.get(0).getInitialDirectory()),
                "the dataset chooser starts where the current dataset is");
        assertEquals(dataset, fx(() -> wb.project().datasetProperty().get()));
        assertEquals(picked, fx(() -> wb.project().inputProperty().get()));
        assertEquals("mine.txt", fx(() -> robot.lookup("#dataset-file").queryLabeled().getText()));
        assertEquals(picked.getFileName().toString(), fx(() -> robot.lookup("#input-file").queryLabeled().getText()));
        assertTrue(fx(() -> robot.lookup("#input-thumbnail").query().isVisible()), "the picked image's thumbnail");

        RunSettings before = fx(() -> wb.project().result().settings());
        assertNotEquals(dataset, before.dataset(), "the shown result is still the sample's until Run");
        robot.clickOn("#run");
        waitUntil("the run on the files picked", () -> idle() && wb.project().result().settings() != before);
        RunSettings after = fx(() -> wb.project().result().settings());
        assertEquals(dataset, after.dataset());
        assertEquals(picked, after.input());
    }
}
