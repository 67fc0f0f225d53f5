package dev.layerwise.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtFootprintTest {

    @TempDir
    Path dir;

    /** Runs one session in a fresh process, then exits: what ONNX Runtime's telemetry leaves is what the test looks for. */
    public static void main(String[] args) throws Exception {
        try (OnnxSession s = OnnxSession.create(TestModels.smallCnn(), "probe")) {
            s.run(Map.of("input", TestModels.smallInput(1)));
        }
        System.out.println(ProcessHandle.current().pid());
    }

    @Test
    void aRunLeavesNoTelemetryLogOrDatabaseBehind() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                OrtFootprintTest.class.getName()));
        // as a user starts it: without the opt-out variable the test JVMs get
        pb.environment().remove(OrtFootprint.OPT_OUT);
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        long pid = Long.parseLong(out.lines().reduce((a, b) -> b).orElseThrow());
        assertFalse(Files.exists(OrtFootprint.debugLog(pid)), "mat-debug log of pid " + pid + " left in /tmp");
        try (var s = Files.list(cache)) {
            assertEquals(List.of(), s.toList(), "telemetry store left in the cache folder");
        }
    }

    @Test
    void onlyFoldersThisProcessCreatesAreRemoved() throws Exception {
        Path store = OrtFootprint.telemetryStore(Map.of("XDG_CACHE_HOME", dir.toString()));
        assertEquals(dir.resolve("Microsoft/DeveloperTools/.onnxruntime"), store);
        assertEquals(dir.resolve("Microsoft"), OrtFootprint.firstMissing(store));
        Files.createDirectories(dir.resolve("Microsoft/DeveloperTools"));
        assertEquals(store, OrtFootprint.firstMissing(store), "another program's Microsoft folder stays");
        Files.createDirectories(store);
        assertNull(OrtFootprint.firstMissing(store), "an existing store is not ours");
    }
}
