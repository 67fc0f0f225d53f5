package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.common.BusyBar;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.value.ObservableDoubleValue;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The status bar's busy bar (an animation) appears only for a step of unknown length that lasts; known fractions at once. */
@ExtendWith(ApplicationExtension.class)
class BusyBarUiTest {

    @Start
    void start(Stage stage) {
        // the FX toolkit and its animation timer; no window needed
    }

    @Test
    void anUnknownStepShowsNoBarUntilItHasLastedAndAKnownFractionShowsAtOnce() throws Exception {
        DoubleProperty progress = new SimpleDoubleProperty(0);
        List<Double> shown = new CopyOnWriteArrayList<>();
        ObservableDoubleValue bar = fx(() -> {
            ObservableDoubleValue b = BusyBar.quietWhileQuick(progress, 300);
            b.addListener((o, was, now) -> shown.add(now.doubleValue()));
            return b;
        });

        // a quick task: unknown, then its steps, then done, all before the bar would have started
        fx(() -> {
            progress.set(-1);
            progress.set(0.5);
            progress.set(1);
            progress.set(0);
            return null;
        });
        assertEquals(List.of(0.5, 1.0, 0.0), shown, "no busy bar for a quick task");

        // a long one: no bar at first, the busy bar once 300 ms have passed, the fraction when one is known
        long start = System.nanoTime();
        assertEquals(0.0, fx(() -> {
            progress.set(-1);
            return bar.get();
        }), "no bar at first");
        waitUntil("the busy bar", () -> bar.get() < 0);
        assertTrue(System.nanoTime() - start >= 290_000_000L, "not before 300 ms");
        assertEquals(0.25, fx(() -> {
            progress.set(0.25);
            return bar.get();
        }));
        // unknown again: quiet again until it lasts
        assertEquals(0.0, fx(() -> {
            progress.set(-1);
            return bar.get();
        }));
        waitUntil("the busy bar again", () -> bar.get() < 0);
    }
}
