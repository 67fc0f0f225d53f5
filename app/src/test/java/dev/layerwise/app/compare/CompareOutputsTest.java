package dev.layerwise.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.WindowlessWorkbench;
import dev.layerwise.app.Workbench;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.layers.LayersViewModel;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.project.RecordingErrors;
import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.onnx.OnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Compare view model on models with several outputs, and with no class-vector output, without a toolkit. */
class CompareOutputsTest {

    @TempDir
    Path dir;
    private final RecordingErrors errors = new RecordingErrors();
    private final CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
    private final Messages messages = new Messages(Locale.ENGLISH);
    private ProjectViewModel project;
    private LayersViewModel layers;
    private CompareViewModel compare;

    @BeforeEach
    void wire() throws Exception {
        // the window's view models as the window wires them
        Workbench wb = WindowlessWorkbench.create(new CoreEngine(), runner, errors, messages);
        project = wb.project();
        layers = wb.layers();
        compare = wb.compare();
    }

    /** Opens the model with a dataset of three tensors of {@code inputShape}, runs, and ticks one layer. */
    private void runAndTick(OnnxModel m, String shape, String tick, long... inputShape) throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), m.toBytes());
        StringBuilder ds = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            dev.layerwise.core.tensor.Npy.write(dir.resolve(i + ".npy"), RealWorldModels.input(i, inputShape));
            ds.append(i).append(".npy\n");
        }
        Files.writeString(dir.resolve("dataset.txt"), ds);
        project.useModel(model);
        project.inputShapeProperty().set(shape);
        project.run();
        assertEquals(List.of(), errors.messages);
        layers.toggle(tick);
        assertEquals(List.of(), errors.messages);
    }

    @Test
    void aDetectorWithoutClassVectorsGetsOneRowPerOutputAndNoTop5Columns() throws Exception {
        runAndTick(RealWorldModels.detector(48, 64, 4), "", "stage2", 1, 3, 48, 64);
        assertEquals(List.of("scores", "boxes", "objectness"), compare.outputs().stream().map(OutputRow::name).toList());
        assertFalse(compare.classVectorProperty().get());
        assertTrue(compare.columns().isEmpty(), "no top-5 of a box map");
        for (String model : List.of("normal", "hybrid")) {
            List<OutputRow.Cell> cells = compare.outputs().stream().map(r -> r.cell(model)).toList();
            assertEquals(1, cells.stream().filter(OutputRow.Cell::worst).count(), model);
            OutputRow.Cell worst = cells.stream().filter(OutputRow.Cell::worst).findFirst().orElseThrow();
            assertTrue(cells.stream().allMatch(c -> c.cosine() >= worst.cosine()), model);
            assertTrue(cells.stream().allMatch(c -> c.maxAbsError() > 0 && c.euclidean() > 0), model);
        }
        assertEquals("1x144x4", compare.outputs().get(1).shape());
    }

    @Test
    void aDynamicModelRunsWithTheSidebarsInputShapeAndNamesTheOptionWithout() throws Exception {
        runAndTick(RealWorldModels.dynamicSizeDetector(), "x=1,3,40,56", "backbone/conv2", 1, 3, 40, 56);
        assertEquals("1x1x40x56", compare.outputs().get(0).shape());
        project.inputShapeProperty().set("");
        project.run();
        assertEquals(1, errors.messages.size());
        // in the window the option is the sidebar's Input shape field
        assertTrue(errors.messages.get(0).contains("Input shape field and run again, e.g. x=1,3,640,640"), errors.messages.get(0));
    }

    @Test
    void aDetectorWithAClassVectorKeepsItsTop5ColumnsBesideTheOutputTable() throws Exception {
        runAndTick(RealWorldModels.opset9Detector(), "", "Conv_13", 1, 3, 32, 32);
        assertTrue(compare.classVectorProperty().get());
        assertEquals(3, compare.columns().size());
        assertEquals(3, compare.column("float").entries().size(), "the score output has three classes");
        assertEquals(List.of(false, false, true), compare.outputs().stream().map(OutputRow::classVector).toList());
    }

    @Test
    void theSummaryNamesTheInputFileOfADatasetLine() {
        assertEquals("0.png", CompareViewModel.fileName("dataset.txt line 1 (/data/img/0.png)"));
        assertEquals("dog.png", CompareViewModel.fileName("/data/dog.png"));
    }
}
