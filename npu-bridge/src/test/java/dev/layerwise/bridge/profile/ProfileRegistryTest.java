package dev.layerwise.bridge.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileRegistryTest {

    @Test
    void builtInProfilesLoadWithTheirScripts() throws Exception {
        ProfileRegistry r = ProfileRegistry.load(null);
        assertEquals(List.of("onnxruntime-python", "rknn-benchmark", "rknn-lite2"), r.all().stream().map(RunnerProfile::name).toList());
        RunnerProfile ort = r.get("onnxruntime-python");
        assertEquals("output.npy", ort.outputFile());
        assertTrue(new String(r.resource(ort, "ort_runner.py"), StandardCharsets.UTF_8).contains("layerwise-runner: onnxruntime"));
        RunnerProfile bench = r.get("rknn-benchmark");
        assertEquals(List.of("rknn_benchmark"), bench.userFiles());
        assertEquals(0755, bench.files().get(0).mode());
        assertEquals("rt_output0.npy", bench.outputFile());
        assertTrue(r.get("rknn-lite2").acceptsModel("m.RKNN"));
    }

    /**
     * The runners' output helper, run by the system's python3 with numpy: the files it writes are
     * the ones the bridge pulls ({@link RunnerProfile#outputFileName}), as float32, with no
     * half-written file left. Skipped where python3 or numpy is missing.
     */
    @Test
    void theRunnersWriteEveryOutputUnderTheNamesTheBridgePulls(@TempDir Path dir) throws Exception {
        ProfileRegistry r = ProfileRegistry.load(null);
        for (String p : List.of("onnxruntime-python", "rknn-lite2")) {
            assertTrue(r.get(p).files().stream().anyMatch(f -> "runner_outputs.py".equals(f.resource())), p);
        }
        Files.write(dir.resolve("runner_outputs.py"), r.resource(r.get("rknn-lite2"), "runner_outputs.py"));
        String code = "import sys, numpy as np\nsys.path.insert(0, sys.argv[1])\nfrom runner_outputs import save_all\n"
                + "ys = [np.arange(6, dtype=np.float32).reshape(1, 2, 3), np.full((1, 4), 0.5), np.array([[7]], dtype=np.int64)]\n"
                + "print(save_all(np, ys, sys.argv[1] + '/output.npy'))\n";
        Process proc;
        try {
            proc = new ProcessBuilder("python3", "-c", code, dir.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no python3: " + e.getMessage());
            return;
        }
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code2 = proc.waitFor();
        org.junit.jupiter.api.Assumptions.assumeFalse(out.contains("No module named 'numpy'"), "no numpy");
        assertEquals(0, code2, out);
        assertEquals("['1x2x3', '1x4', '1x1']", out.strip());
        List<dev.layerwise.core.tensor.FloatTensor> read = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            read.add(dev.layerwise.core.tensor.Npy.read(dir.resolve(RunnerProfile.outputFileName("output.npy", i))));
        }
        assertEquals(new dev.layerwise.core.tensor.FloatTensor(new long[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5}), read.get(0));
        assertEquals(new dev.layerwise.core.tensor.FloatTensor(new long[] {1, 4}, new float[] {0.5f, 0.5f, 0.5f, 0.5f}), read.get(1));
        assertEquals(new dev.layerwise.core.tensor.FloatTensor(new long[] {1, 1}, new float[] {7}), read.get(2));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("output.1.npy", "output.2.npy", "output.npy", "runner_outputs.py"),
                    files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("__pycache__")).sorted().toList());
        }
    }

    @Test
    void userProfilesAddAndOverride(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mine.yaml"), """
                name: my-runner
                command: ./run.sh {model} {input}
                files:
                  - resource: run.sh
                    mode: 0755
                output:
                  stdout: true
                """);
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho 0.1 0.9\n");
        ProfileRegistry r = ProfileRegistry.load(dir);
        RunnerProfile p = r.get("my-runner");
        assertNull(p.outputFile());
        assertTrue(p.outputFromStdout());
        assertEquals("#!/bin/sh\necho 0.1 0.9\n", new String(r.resource(p, "run.sh"), StandardCharsets.UTF_8));
        assertEquals(4, r.all().size());
    }

    @Test
    void unknownProfileListsTheKnownOnes() throws Exception {
        ProfileException e = assertThrows(ProfileException.class, () -> ProfileRegistry.load(null).get("tflite"));
        assertTrue(e.getMessage().contains("onnxruntime-python, rknn-benchmark, rknn-lite2"), e.getMessage());
    }

    @Test
    void malformedProfilesNameFileAndField() {
        assertTrue(message("name: x\noutput: {file: o.npy}\n").contains("f.yaml: missing 'command'"));
        assertTrue(message("name: x\ncommand: c\n").contains("output"));
        assertTrue(message("name: x\ncommand: c\noutput: {file: a/b.npy}\n").contains("plain file name"));
        assertTrue(message("name: x\ncommand: c\noutput: {file: o.npy}\nrequires: [gpu]\n").contains("requires: 'gpu'"));
        assertTrue(message("name: x\ncommand: c\noutput: {file: o.npy}\nfiles: [{as: y}]\n").contains("files[0]"));
        assertTrue(message("name: [unclosed\n").contains("not valid YAML"));
    }

    private static String message(String yaml) {
        return assertThrows(ProfileException.class,
                () -> ProfileRegistry.parse(yaml.getBytes(StandardCharsets.UTF_8), "f.yaml")).getMessage();
    }
}
