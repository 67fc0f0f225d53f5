package dev.layerwise.bridge.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workflow's own steps: models written, run in order, the first failure ends it, files removed. */
class DeviceWorkflowTest {

    @TempDir
    Path dir;

    private Path floatModel;
    private RunRequest request;
    private final List<String> ran = new ArrayList<>();
    private final List<Path> filesSeen = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        floatModel = Files.writeString(dir.resolve("m.onnx"), "float");
        RunnerProfile profile = ProfileRegistry.load(null).all().get(0);
        request = RunRequest.of("direct:127.0.0.1:1", profile, null, new FloatTensor(new long[] {1, 2}, new float[] {1, 2}));
    }

    private List<DeviceWorkflow.Model> threeModels() {
        return List.of(DeviceWorkflow.Model.existing("float", floatModel),
                DeviceWorkflow.Model.written("normal", "m.normal.onnx", f -> Files.writeString(f, "normal")),
                DeviceWorkflow.Model.written("hybrid", "m.hybrid.onnx", f -> Files.writeString(f, "hybrid")));
    }

    /** A board that reads the pushed file and answers with its text's length as the top class. */
    private DeviceRunResult board(RunRequest r, String failOn) throws DeviceException {
        try {
            String text = Files.readString(r.model());
            ran.add(text);
            filesSeen.add(r.model());
            if (text.equals(failOn)) {
                throw new DeviceException(r.serial(), Step.RUN, "runner exited with 1");
            }
            TopK top = new TopK(List.of(new TopK.Entry(text.length(), null, 1.0)));
            return new DeviceRunResult(r.serial(), "RK3588", r.profile().name(), List.of(r.input()), top, "", Duration.ZERO, Duration.ZERO,
                    List.of());
        } catch (java.io.IOException e) {
            throw new DeviceException(r.serial(), Step.PUSH, e.getMessage(), e);
        }
    }

    @Test
    void everyModelRunsInOrderFromItsOwnFileAndTheWrittenOnesAreRemovedAfterwards() throws Exception {
        DeviceWorkflow.Outcome outcome;
        Path written;
        try (DeviceWorkflow w = DeviceWorkflow.prepare(threeModels(), DeviceWorkflow.Progress.NONE, null)) {
            assertEquals(floatModel, w.files().get("float"));
            written = w.files().get("normal");
            assertEquals("normal", Files.readString(written));
            outcome = w.run((r, l, c) -> board(r, null), request, DeviceWorkflow.Progress.NONE, null);
        }
        assertTrue(outcome.complete());
        assertEquals(List.of("float", "normal", "hybrid"), List.copyOf(outcome.done().keySet()));
        assertEquals(List.of("float", "normal", "hybrid"), ran);
        assertEquals(6, outcome.done().get("normal").top().top1().index());
        assertFalse(Files.exists(written), "the written models are removed");
        assertFalse(Files.exists(written.getParent()), "and their folder");
        assertTrue(Files.exists(floatModel), "the user's model stays");
    }

    @Test
    void aBoardFailureEndsTheRunKeepingWhatRan() throws Exception {
        try (DeviceWorkflow w = DeviceWorkflow.prepare(threeModels(), DeviceWorkflow.Progress.NONE, null)) {
            DeviceWorkflow.Outcome outcome = w.run((r, l, c) -> board(r, "normal"), request, DeviceWorkflow.Progress.NONE, null);
            assertFalse(outcome.complete());
            assertEquals("normal", outcome.failedModel());
            assertEquals(List.of("float"), List.copyOf(outcome.done().keySet()));
            assertEquals(Step.RUN, outcome.failure().step());
            assertEquals(List.of("float", "normal"), ran, "hybrid never ran");
        }
    }

    @Test
    void aCancelledRunStopsBeforeTheNextModel() throws Exception {
        CancelToken cancel = new CancelToken();
        try (DeviceWorkflow w = DeviceWorkflow.prepare(threeModels(), DeviceWorkflow.Progress.NONE, cancel)) {
            assertThrows(CancelledException.class, () -> w.run((r, l, c) -> {
                DeviceRunResult res = board(r, null);
                cancel.cancel();
                return res;
            }, request, DeviceWorkflow.Progress.NONE, cancel));
            assertEquals(List.of("float"), ran);
        }
    }

    @Test
    void aFailingWriterLeavesNoFolderBehind() throws Exception {
        List<Path> folders = new ArrayList<>();
        List<DeviceWorkflow.Model> models = List.of(
                DeviceWorkflow.Model.written("normal", "n.onnx", f -> {
                    folders.add(f.getParent());
                    Files.writeString(f, "x");
                }),
                DeviceWorkflow.Model.written("hybrid", "h.onnx", f -> {
                    throw new java.io.IOException("disk full");
                }));
        Exception e = assertThrows(java.io.IOException.class,
                () -> DeviceWorkflow.prepare(models, DeviceWorkflow.Progress.NONE, null));
        assertEquals("disk full", e.getMessage());
        assertFalse(Files.exists(folders.get(0)));
    }

    @Test
    void onlyExistingModelsNeedNoFolder() throws Exception {
        try (DeviceWorkflow w = DeviceWorkflow.prepare(List.of(DeviceWorkflow.Model.existing("model", floatModel)),
                DeviceWorkflow.Progress.NONE, null)) {
            assertSame(floatModel, w.files().get("model"));
            DeviceWorkflow.Outcome o = w.run((r, l, c) -> board(r, null), request, DeviceWorkflow.Progress.NONE, null);
            assertNull(o.failure());
            assertEquals(List.of(floatModel), filesSeen);
        }
        assertTrue(Files.exists(floatModel));
    }
}
