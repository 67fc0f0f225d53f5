package dev.layerwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputSetTest {

    @TempDir
    Path dir;
    Path out;

    @BeforeEach
    void previousSet() throws IOException {
        out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("report.txt"), "old report");
        Files.writeString(out.resolve("model.onnx"), "old model");
        Files.createDirectories(out.resolve("dump/input_0"));
        Files.writeString(out.resolve("dump/input_0/a.npy"), "old dump");
    }

    /** Every file under the test folder and its text. */
    private Map<String, String> tree() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return m;
    }

    private OutputSet set() {
        return OutputSet.of(out, List.of("report.txt", "model.onnx", "dump/"));
    }

    @Test
    void completeSetReplacesThePreviousOneAndLeavesNothingBeside() throws Exception {
        String r = set().writeAndCommit(stage -> {
            AtomicFiles.writeString(stage.resolve("report.txt"), "new report");
            AtomicFiles.writeString(stage.resolve("model.onnx"), "new model");
            AtomicFiles.writeString(stage.resolve("dump/input_1/b.npy"), "new dump");
            return "done";
        });
        assertEquals("done", r);
        assertEquals(Map.of("out/report.txt", "new report", "out/model.onnx", "new model", "out/dump/input_1/b.npy", "new dump"),
                tree());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(out), s.toList(), "no staging folder, no marker");
        }
    }

    @Test
    void fullDiskHalfwayLeavesThePreviousSetIntactAndNamesTheOutputFile() throws Exception {
        Map<String, String> before = tree();
        IOException e = assertThrows(IOException.class, () -> set().writeAndCommit(stage -> {
            AtomicFiles.writeString(stage.resolve("report.txt"), "new report");
            // the machine cannot fill its disk for a test: the write fails as a full disk makes it fail
            AtomicFiles.write(stage.resolve("model.onnx"), o -> {
                o.write(new byte[100]);
                throw new IOException("No space left on device");
            });
            return null;
        }));
        assertEquals(out.resolve("model.onnx") + ": cannot write: No space left on device", e.getMessage());
        assertEquals(before, tree(), "previous set untouched, staging removed");
    }

    @Test
    void failureOtherThanIoAlsoLeavesThePreviousSet() throws IOException {
        Map<String, String> before = tree();
        assertThrows(IllegalStateException.class, () -> set().writeAndCommit(stage -> {
            AtomicFiles.writeString(stage.resolve("report.txt"), "new report");
            throw new IllegalStateException("cancelled");
        }));
        assertEquals(before, tree());
    }

    @Test
    void outputFolderIsCreatedWhenMissing() throws Exception {
        Path fresh = dir.resolve("a/b");
        OutputSet.of(fresh, List.of("x.json")).writeAndCommit(stage -> {
            AtomicFiles.writeString(stage.resolve("x.json"), "{}");
            return null;
        });
        assertEquals("{}", Files.readString(fresh.resolve("x.json")));
        assertFalse(Files.exists(fresh.resolve(OutputSet.INCOMPLETE_MARKER)));
    }

    @Test
    void stagingFolderOfAKilledRunIsRemovedByTheNext() throws Exception {
        // pid 2^22+1 is above Linux's pid_max default range, so no process has it
        Path abandoned = Files.createDirectories(dir.resolve(".out.layerwise-staging-4194305-123/dump"));
        Files.writeString(abandoned.resolve("x.npy"), "half");
        Path live = Files.createDirectories(dir.resolve(".out.layerwise-staging-" + ProcessHandle.current().pid() + "-9"));
        set().writeAndCommit(stage -> null);
        assertFalse(Files.exists(abandoned.getParent()));
        assertTrue(Files.exists(live), "a running process's stage is left alone");
    }

    @Test
    void inputLyingInTheOutputFolderUnderAnOutputsNameIsRefused() throws Exception {
        Path labels = out.resolve("report.txt");
        InputFileException e = assertThrows(InputFileException.class,
                () -> set().refuseInputs(List.of(dir.resolve("elsewhere.txt"), labels)));
        assertEquals(labels + ": is an input of this run but lies in the output folder " + out
                + " as report.txt, which the run writes; choose another -o or move the input", e.getMessage());
    }

    @Test
    void inputReachedThroughALinkOrInsideAnOutputFolderIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("labels.txt"), out.resolve("model.onnx"));
        assertThrows(InputFileException.class, () -> set().refuseInputs(List.of(link)));
        Path outLink = Files.createSymbolicLink(dir.resolve("o2"), out);
        assertThrows(InputFileException.class,
                () -> OutputSet.of(outLink, List.of("report.txt")).refuseInputs(List.of(out.resolve("report.txt"))));
        assertThrows(InputFileException.class, () -> set().refuseInputs(List.of(out.resolve("dump/input_0/a.npy"))));
    }

    @Test
    void inputsElsewhereInTheOutputFolderAreFine() throws Exception {
        Files.writeString(out.resolve("dataset.txt"), "x");
        set().refuseInputs(java.util.Arrays.asList(out.resolve("dataset.txt"), null, dir.resolve("model.onnx")));
    }
}
