package dev.layerwise.app.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.core.preprocess.ImageNet;
import dev.layerwise.core.quant.QuantType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The sidebar's view model: settings, the run through the core's analysis session, its cache. */
class ProjectViewModelTest {

    private final RecordingErrors errors = new RecordingErrors();
    private final Messages messages = new Messages(Locale.ENGLISH);
    private final ProjectViewModel vm = new ProjectViewModel(new CoreEngine(), new CurrentThreadTaskRunner(), errors, messages);

    @Test
    void runWithoutAModelSaysWhatToDoAndRunsNothing() {
        vm.run();
        assertEquals(List.of(messages.get("error.settings", messages.get("error.noModel"))), errors.messages);
        assertNull(vm.result());
        assertFalse(vm.runnableProperty().get());
    }

    @Test
    void theSampleComesWithItsDatasetImageAndPreprocessing() {
        Path sample = SampleModel.locate();
        assertNotNull(sample);
        vm.useSample(sample);
        assertEquals(ImageNet.MEAN, vm.meanProperty().get());
        assertEquals(ImageNet.STD, vm.stdProperty().get());
        assertEquals("dataset.txt", vm.datasetProperty().get().getFileName().toString());
        assertEquals("dog_224x224.png", vm.inputProperty().get().getFileName().toString());
        assertTrue(vm.runnableProperty().get());
    }

    @Test
    void aRunAnalysesEveryLayerAndAnotherInputReusesTheCalibration() {
        vm.useSample(SampleModel.locate());
        vm.run();
        assertEquals(List.of(), errors.messages);
        RunResult first = vm.result();
        assertEquals(first.project().graph().layers().size(), first.analysis().layers().size());
        assertEquals(first.project().graph().layers().size(), first.floatOutputs().size(), "histogram values for every layer");
        assertNotNull(first.labels(), "labels.txt beside the sample");
        assertTrue(vm.summaryProperty().get().startsWith(first.analysis().layers().size() + " layers"), vm.summaryProperty().get());

        vm.inputProperty().set(null); // the dataset's first entry instead of the dog
        vm.run();
        RunResult second = vm.result();
        assertNotSame(first, second);
        assertSame(first.calibration(), second.calibration(), "only the input changed: no new calibration");
        assertSame(first.project(), second.project(), "nor a new model load");

        vm.typeProperty().set(QuantType.DYNAMIC_FIXED_POINT_I8);
        vm.run();
        assertNotSame(first.calibration(), vm.result().calibration(), "another type calibrates again");
        assertEquals(QuantType.DYNAMIC_FIXED_POINT_I8, vm.result().analysis().dtype());
    }
}
