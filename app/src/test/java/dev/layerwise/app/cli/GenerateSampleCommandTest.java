package dev.layerwise.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.cli.CliTest.Outcome;
import dev.layerwise.sample.ShuffleNetV2Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateSampleCommandTest {

    @TempDir
    Path dir;

    @Test
    void refusesToReplaceExistingFilesThenReplacesThemWithForce() throws Exception {
        Path out = dir.resolve("sample");
        Files.createDirectories(out);
        Files.writeString(out.resolve("dataset.txt"), "my own dataset\n");

        Outcome refused = CliTest.cli("generate-sample", "-o", out.toString());
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("dataset.txt") && refused.err().contains("--force"), refused.err());
        assertEquals("my own dataset\n", Files.readString(out.resolve("dataset.txt")), "the user's file is untouched");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(1, s.count(), "nothing else was written");
        }

        Outcome forced = CliTest.cli("generate-sample", "-o", out.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(forced.out().contains("layerwise analyze"), forced.out());
        Path bundled = SampleModel.folder();
        for (String f : ShuffleNetV2Sample.files()) {
            assertArrayEquals(Files.readAllBytes(bundled.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
    }

    @Test
    void explainsItselfAndRejectsAFolderGivenWithoutDashO() throws Exception {
        Path out = dir.resolve("a/b");
        assertFalse(Files.exists(out));
        Outcome help = CliTest.cli("generate-sample", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--force"), help.out());
        Outcome usage = CliTest.cli("generate-sample");
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("missing -o DIR"), usage.err());
        Outcome positional = CliTest.cli("generate-sample", out.toString());
        assertEquals(2, positional.code());
        assertFalse(Files.exists(out));
    }

    @Test
    void refusesAFileAsTheFolder() throws Exception {
        Path file = dir.resolve("not-a-folder");
        Files.writeString(file, "x");
        Outcome o = CliTest.cli("generate-sample", "-o", file.toString());
        assertEquals(1, o.code());
        assertTrue(o.err().contains("not a folder"), o.err());
        assertEquals(List.of("x"), Files.readAllLines(file));
    }
}
