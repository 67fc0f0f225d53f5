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
