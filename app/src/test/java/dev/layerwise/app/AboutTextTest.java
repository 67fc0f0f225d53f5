package dev.layerwise.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.common.Messages;
import dev.layerwise.core.version.BuildInfo;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class AboutTextTest {

    private final BuildInfo build = new BuildInfo("layerwise", "2.3.4", Instant.parse("2026-11-28T08:45:10Z"), "1.29.0");

    @Test
    void aboutNamesTheVersionBuildDateAndRuntimes() {
        String text = MainWindow.aboutText(new Messages(Locale.ENGLISH), build);
        assertTrue(text.startsWith("Layerwise quantizes"), text);
        assertTrue(text.contains("Version 2.3.4, built 2026-11-28 08:45 UTC"), text);
        assertTrue(text.contains("ONNX Runtime 1.29.0, Java " + System.getProperty("java.runtime.version")), text);
    }

    @Test
    void aboutInChineseCarriesTheSameFacts() {
        String text = MainWindow.aboutText(new Messages(Locale.SIMPLIFIED_CHINESE), build);
        assertTrue(text.contains("版本 2.3.4，构建于 2026-11-28 08:45 UTC"), text);
    }

    @Test
    void theRunningBuildHasAVersionInAbout() {
        String text = MainWindow.aboutText(new Messages(Locale.ENGLISH), BuildInfo.current());
        assertTrue(text.contains("Version " + BuildInfo.current().version() + ", built "), text);
        assertTrue(!text.contains("unknown"), "filtered build info: " + text);
    }
}
