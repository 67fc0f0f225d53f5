package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;

import dev.layerwise.app.MainWindow;
import dev.layerwise.app.Workbench;
import java.util.Locale;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * A UI test on the workbench as the app composes it ({@link TestWindow}), in English unless
 * {@link #language} says otherwise, closed in
 * order after each test. TestFX looks for {@code @Start} only among the test class's own methods,
 * so each class keeps a one-line {@code @Start} that calls {@link #open}.
 */
@ExtendWith(ApplicationExtension.class)
abstract class WindowUiTest {

    TestWindow session;
    Workbench wb;

    /** The window's language; English unless a class says otherwise. */
    Locale language() {
        return Locale.ENGLISH;
    }

    /** Opens the window on {@code stage}; call from the class's {@code @Start}. */
    void open(Stage stage) throws Exception {
        session = TestWindow.open(stage, language());
        wb = session.wb;
    }

    @AfterEach
    void stopWorker() throws Exception {
        session.close();
    }

    MainWindow window() {
        return session.window();
    }

    boolean idle() {
        return session.idle();
    }

    /** Ticks the layer of table row {@code row} and waits for the hybrid rebuilt with it; returns the layer's name. */
    String tickRowAndWaitForTheHybrid(int row) throws Exception {
        String layer = fx(() -> wb.layers().rows().get(row).name());
        fx(() -> {
            wb.layers().toggle(layer);
            return null;
        });
        waitUntil("the hybrid with " + layer, () -> idle() && wb.compare().hybridPlan() != null
                && wb.compare().hybridPlan().promotedLayers().contains(layer));
        return layer;
    }
}
