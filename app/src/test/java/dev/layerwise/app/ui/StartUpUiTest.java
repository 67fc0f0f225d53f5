package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.compare.CompareColumn;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window is on screen with the open's progress before its views are built; the views follow
 * after the first frame, Compare and Device when first brought to the front, and the Compare cards
 * are redrawn when they can be seen, not on every tick behind the Layers tab.
 */
class StartUpUiTest extends WindowUiTest {

    // the window as the composition left it, before any frame
    private boolean showing;
    private boolean starting;
    private boolean views;
    private boolean running;
    private String status;

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
        Parent root = stage.getScene().getRoot();
        showing = stage.isShowing();
        starting = root.lookup("#window-starting") != null;
        views = root.lookup("#tabs") != null || root.lookup("#layer-filter") != null;
        running = session.runner.status().isRunning();
        status = ((StatusBar) root.lookup("#status-bar")).getText();
    }

    private Node lookup(String id) {
        try {
            return fx(() -> session.stage.getScene().getRoot().lookup(id));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theWindowShowsItsFrameWithTheOpensProgressFirstThenTheLayersViewAndTheOtherTabsWhenSelected(FxRobot robot)
            throws Exception {
        assertTrue(showing, "shown by the composition");
        assertTrue(starting, "a line says the views are coming");
        assertFalse(views, "no views in the first frame");
        assertTrue(running, "the model is opening meanwhile");
        assertNotEquals("Ready", status, "the status bar says what runs");

        waitUntil("the views in the window", () -> lookup("#tabs") != null);
        assertNull(lookup("#window-starting"));
        waitUntil("the analysis fills the table", () -> !wb.layers().rows().isEmpty() && idle());
        TabPane tabs = (TabPane) lookup("#tabs");
        assertNull(fx(() -> tabs.getTabs().get(1).getContent()), "Compare is built when first selected");
        assertNull(fx(() -> tabs.getTabs().get(2).getContent()), "Device is built when first selected");
        robot.clickOn("#tab-device");
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(fx(() -> tabs.getTabs().get(2).getContent()));
        assertNotNull(lookup("#device-address"));
    }

    @Test
    void ticksBehindTheLayersTabLeaveTheCompareCardsAloneAndTheTabShowsTheNewestHybridWhenSelected(FxRobot robot)
            throws Exception {
        waitUntil("the first comparison", () -> wb.compare().columns().size() == 3 && idle());
        robot.clickOn("#tab-compare");
        WaitForAsyncUtils.waitForFxEvents();
        Node before = lookup("#compare-column-hybrid");
        assertNotNull(before);
        robot.clickOn("#tab-layers");
        WaitForAsyncUtils.waitForFxEvents();

        tickRowAndWaitForTheHybrid(3);
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(before, lookup("#compare-column-hybrid"), "not redrawn while the Layers tab is in front");

        robot.clickOn("#tab-compare");
        WaitForAsyncUtils.waitForFxEvents();
        Node after = lookup("#compare-column-hybrid");
        assertNotSame(before, after);
        assertEquals(fx(() -> wb.compare().column("hybrid")), (CompareColumn) after.getUserData(),
                "the card shows the newest hybrid");
    }
}
