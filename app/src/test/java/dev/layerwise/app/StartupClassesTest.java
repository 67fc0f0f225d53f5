package dev.layerwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list of classes loaded ahead of the FX thread names the window's classes, each once, all of them still there. */
class StartupClassesTest {

    @Test
    void everyListedClassStillExists() {
        List<String> missing = new ArrayList<>();
        for (String name : StartupClasses.names()) {
            try {
                Class.forName(name, false, StartupClasses.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "renamed or removed since " + StartupClasses.LIST
                + " was made: make it again as decision 0026 says");
    }

    @Test
    void theListHoldsTheWindowsViewsAndWhatTheyAreBuiltFromEachOnce() {
        List<String> names = StartupClasses.names();
        assertTrue(names.size() > 1000, "only " + names.size() + " names");
        assertEquals(names.size(), new HashSet<>(names).size(), "a name listed twice");
        for (String expected : List.of("dev.layerwise.app.MainWindow", "dev.layerwise.app.layers.LayersView",
                "dev.layerwise.app.layers.CosineChart", "javafx.scene.control.skin.TableViewSkin", "org.jfree.chart.fx.ChartViewer",
                "org.controlsfx.control.StatusBar")) {
            assertTrue(names.contains(expected), expected + " is not listed");
        }
        // in the order the FX thread first used them: the frame's classes before the views'
        assertTrue(names.indexOf("dev.layerwise.app.MainWindow") < names.indexOf("dev.layerwise.app.layers.LayersView"));
    }
}
