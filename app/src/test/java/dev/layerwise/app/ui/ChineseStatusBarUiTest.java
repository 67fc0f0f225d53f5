package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.common.Messages;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * A Chinese window's status bar names the engine's steps in Chinese for every task: the first
 * run's calibration and analysis, and the rebuild after a tick (which named its step in English).
 */
class ChineseStatusBarUiTest extends WindowUiTest {

    private static final Messages ZH = new Messages(Locale.SIMPLIFIED_CHINESE);
    private static final List<String> ENGINE_STEPS = List.of("calibrating", "analysing", "comparing", "ranking layers", "verifying");

    private final List<String> shown = new CopyOnWriteArrayList<>();

    @Override
    Locale language() {
        return Locale.SIMPLIFIED_CHINESE;
    }

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
        session.runner.status().messageProperty().addListener((o, was, now) -> shown.add(now));
    }

    @Test
    void theFirstRunsAndATicksStepsAreNamedInChinese() throws Exception {
        waitUntil("the first comparison", () -> wb.compare().columns().size() == 3 && idle());
        assertTrue(shown.stream().anyMatch(m -> m.contains(" · " + ZH.get("step.engine.calibrating"))), shown.toString());
        int beforeTick = shown.size();
        tickRowAndWaitForTheHybrid(3);
        List<String> tick = shown.subList(beforeTick, shown.size());
        assertTrue(tick.stream().anyMatch(m -> m.contains(" · " + ZH.get("step.engine.comparing"))), tick.toString());
        for (String m : shown) {
            for (String english : ENGINE_STEPS) {
                assertTrue(!m.contains(" · " + english), "'" + m + "' names a step in English");
            }
        }
    }
}
