package dev.layerwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LauncherTest {

    @Test
    void linuxWithoutDisplayGetsOneLinePointingToTheCommandLine() {
        String m = Launcher.noDisplay(Map.of("HOME", "/root"), "Linux", null);
        assertEquals("layerwise: the workbench needs a display and none is set (DISPLAY, WAYLAND_DISPLAY); without one, use"
                + " the command line, e.g. 'layerwise analyze MODEL --dataset LIST -o DIR' ('layerwise --help' lists the"
                + " commands)", m);
    }

    @Test
    void x11WaylandHeadlessMonocleWindowsAndMacNeedNoCheck() {
        assertNull(Launcher.noDisplay(Map.of("DISPLAY", ":0"), "Linux", null));
        assertNull(Launcher.noDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux", null));
        assertNull(Launcher.noDisplay(Map.of(), "Linux", "Monocle"));
        assertNull(Launcher.noDisplay(Map.of(), "Windows 11", null));
        assertNull(Launcher.noDisplay(Map.of(), "Mac OS X", null));
        assertEquals(Launcher.noDisplay(Map.of(), "Linux", null), Launcher.noDisplay(Map.of("DISPLAY", " "), "Linux", null));
    }

    @Test
    void unreachableDisplayIsRecognisedInJavaFxsFailure() {
        assertTrue(Launcher.isDisplayFailure(new RuntimeException("launch failed",
                new UnsupportedOperationException("Unable to open DISPLAY"))));
        assertTrue(!Launcher.isDisplayFailure(new IllegalStateException("other")));
    }

    @Test
    void mainWithAModelAndNoDisplayExitsWithOneLine() throws Exception {
        Path model = TestModels.repoRoot().resolve("sample-models/shufflenetv2_x1/shufflenetv2_x1.onnx");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), model.toString()));
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), err);
        assertEquals("", out);
        assertEquals(List.of(Launcher.noDisplay(Map.of(), "Linux", null)), err.lines().toList());
    }
}
