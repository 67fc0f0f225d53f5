package dev.layerwise.app.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @Test
    void roundTripKeepsEverySettingAndPathsRelativeToTheFile(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("models/net.onnx");
        Workspace w = new Workspace(Workspace.VERSION, Workspace.relativize(dir, model), "models/dataset.txt", null,
                "1,2,3", "4,5,6", "2 1 0", java.util.List.of("images=1,3,640,640", "im_info=1,3"), "asymmetric_affine-u8",
                "kl_divergence", 0.985, "float16", Map.of("Conv_1", "dynamic_fixed_point-i16", "Conv_2", "float16"), "2");
        Path file = dir.resolve("p" + Workspace.SUFFIX);
        w.write(file);
        String text = Files.readString(file);
        assertTrue(text.contains("model: models/net.onnx"), text);
        assertTrue(text.contains("Conv_1: dynamic_fixed_point-i16"), text);
        assertTrue(text.contains("toolkit: \"2\"") || text.contains("toolkit: '2'") || text.contains("toolkit: 2"), text);
        assertTrue(text.contains("input_shape:\n- \"images=1,3,640,640\"\n- \"im_info=1,3\"\n"), text);
        Workspace back = Workspace.read(file);
        assertEquals(w, back);
        assertEquals(model, Workspace.resolve(dir, back.model()));
    }

    @Test
    void unknownFieldsFromANewerVersionAreIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.layerwise.yaml");
        Files.writeString(file, "layerwise_workspace: 2\nmodel: m.onnx\nfuture_setting: yes\n");
        assertEquals("m.onnx", Workspace.read(file).model());
    }

    @Test
    void recentFilesKeepsNewestFirstWithoutDuplicatesAndSurvivesARestart(@TempDir Path dir) {
        Path store = dir.resolve("recent.txt");
        RecentFiles r = new RecentFiles(store, 2);
        r.add(dir.resolve("a.onnx"));
        r.add(dir.resolve("b.onnx"));
        r.add(dir.resolve("a.onnx"));
        r.add(dir.resolve("c.onnx"));
        assertEquals(java.util.List.of(dir.resolve("c.onnx"), dir.resolve("a.onnx")), new RecentFiles(store, 2).files());
    }
}
