package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.MainWindow;
import dev.layerwise.app.layers.LayerRow;
import dev.layerwise.app.layers.LayersView;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The per-layer chart with the mouse, in the real window: the wheel zooms into layers around the
 * pointer, a drag pans, hovering names the layer under the pointer, a click ticks the nearest bar.
 */
class ChartUiTest extends WindowUiTest {

    private LayersView layers;

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    @BeforeEach
    void firstAnalysis() throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        layers = ((MainWindow) session.stage.getUserData()).layersView();
        // the chart has been drawn with every layer once
        waitUntil("the chart's bars", () -> layers.barBounds(wb.layers().rows().get(0).name()) != null);
    }

    /** The middle of {@code layer}'s bar on screen, or of its slot at the height {@code atY} (canvas) when given. */
    private Point2D onScreen(String layer, Double atY) throws Exception {
        return fx(() -> {
            Rectangle2D b = layers.barBounds(layer);
            assertNotNull(b, "no bar for " + layer);
            return layers.chartViewer().getCanvas().localToScreen(b.getCenterX(), atY == null ? b.getCenterY() : atY);
        });
    }

    /**
     * Turns the wheel once away from the user, as zooming in is done, and returns that direction.
     * Headless Monocle reports the turn with the opposite sign of desktop platforms (deltaY -1 for
     * "up"); the first turn finds out which way this robot turns the wheel.
     */
    private VerticalDirection zoomInDirection(FxRobot robot) throws Exception {
        int all = shown().size();
        robot.scroll(1, VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        if (shown().size() < all) {
            return VerticalDirection.UP;
        }
        robot.scroll(1, VerticalDirection.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        return VerticalDirection.DOWN;
    }

    private List<String> shown() throws Exception {
        return fx(() -> layers.chartLayers());
    }

    private List<String> graphOrder() throws Exception {
        return fx(() -> wb.layers().rows().stream().map(LayerRow::name).toList());
    }

    @Test
    void theWheelZoomsIntoTheLayersAroundThePointerAndNamesThemUnderTheBars(FxRobot robot) throws Exception {
        List<String> all = graphOrder();
        assertEquals(all, shown(), "at first every layer");
        assertFalse(fx(() -> layers.cosineChart().getCategoryPlot().getDomainAxis().isTickLabelsVisible()),
                "no names under 150 slivers");
        String aimed = all.get(100);
        robot.moveTo(onScreen(aimed, null));
        VerticalDirection in = zoomInDirection(robot);
        int before = shown().size();
        assertTrue(before < all.size(), "the first turn zoomed in");
        for (int i = 0; i < 5; i++) {
            robot.scroll(1, in);
            WaitForAsyncUtils.waitForFxEvents();
            assertTrue(shown().size() < before, "each turn up shows fewer layers: " + shown().size());
            before = shown().size();
        }
        List<String> zoomed = shown();
        assertTrue(zoomed.size() < all.size() / 4, "zoomed in to " + zoomed.size() + " layers");
        assertTrue(zoomed.contains(aimed), aimed + " stays under the pointer: " + zoomed);
        assertEquals(all.subList(all.indexOf(zoomed.get(0)), all.indexOf(zoomed.get(0)) + zoomed.size()), zoomed,
                "a contiguous run of layers in graph order");
        assertTrue(fx(() -> layers.cosineChart().getCategoryPlot().getDomainAxis().isTickLabelsVisible()),
                "layer names under the bars once zoomed in");

        robot.clickOn("#chart-show-all");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(all, shown(), "Show all layers");
    }

    @Test
    void aDragPansTheZoomedWindowAlongTheLayers(FxRobot robot) throws Exception {
        List<String> all = graphOrder();
        robot.moveTo(onScreen(all.get(75), null));
        VerticalDirection in = zoomInDirection(robot);
        for (int i = 0; i < 6 && shown().size() > 30; i++) {
            robot.scroll(1, in);
            WaitForAsyncUtils.waitForFxEvents();
        }
        List<String> before = shown();
        assertTrue(before.size() <= 30, "zoomed in to " + before.size());
        int first = all.indexOf(before.get(0));
        // drag the bars five layers to the left: the window moves five layers on
        Point2D from = onScreen(before.get(before.size() / 2), null);
        double perLayer = fx(() -> layers.barBounds(before.get(1)).getCenterX() - layers.barBounds(before.get(0)).getCenterX());
        Point2D to = new Point2D(from.getX() - 5 * perLayer, from.getY());
        robot.drag(from, MouseButton.PRIMARY).moveTo(to).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        List<String> after = shown();
        assertEquals(before.size(), after.size(), "a pan keeps the zoom");
        int moved = all.indexOf(after.get(0)) - first;
        assertTrue(moved >= 4 && moved <= 6, "moved " + moved + " layers");
        assertTrue(wb.layers().types().isEmpty(), "a drag ticks nothing");
    }

    @Test
    void hoveringNamesTheLayerUnderThePointerAndAClickTicksTheNearestBar(FxRobot robot) throws Exception {
        LayerRow row = fx(() -> wb.layers().row("Conv_117"));
        robot.moveTo(onScreen("Conv_117", null));
        WaitForAsyncUtils.waitForFxEvents();
        String readout = robot.lookup("#chart-readout").queryAs(Label.class).getText();
        assertTrue(readout.startsWith("Conv_117 (" + row.op() + ")"), readout);
        assertTrue(readout.contains(String.format(Locale.ROOT, "%.6f", row.individualCosine())), readout);

        // a click high above the bar, off its thin shape, still ticks it: the nearest bar wins
        double plotTop = fx(() -> layers.chartViewer().getCanvas().getRenderingInfo().getPlotInfo().getDataArea().getMinY());
        robot.clickOn(onScreen("Conv_117", plotTop + 6));
        waitUntil("Conv_117 ticked", () -> wb.layers().row("Conv_117").isPromoted());
        assertEquals(List.of("Conv_117"), fx(() -> List.copyOf(wb.layers().types().keySet())));
        assertEquals("Conv_117", fx(() -> layers.table().getSelectionModel().getSelectedItem().name()));
        // and a second click there takes the tick away (once the rebuild it started has redrawn the chart)
        waitUntil("the rebuild after the tick", () -> idle());
        double top = fx(() -> layers.chartViewer().getCanvas().getRenderingInfo().getPlotInfo().getDataArea().getMinY());
        robot.clickOn(onScreen("Conv_117", top + 6));
        waitUntil("Conv_117 unticked", () -> !wb.layers().row("Conv_117").isPromoted());
    }

    @Test
    void aFinishedRunDrawsTheChartOnceAndANewSelectionItsHistogramOnce() throws Exception {
        // the rows, the selected layer and the picks of a run arrive in one event: one drawing of every bar
        int[] before = fx(() -> layers.chartDrawings());
        fx(() -> {
            wb.project().run();
            return null;
        });
        waitUntil("the run", () -> idle() && layers.chartDrawings()[0] > before[0]);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, fx(() -> layers.chartDrawings()[0]) - before[0], "drawings of the cosine chart for one run");

        // another layer's histogram: series, title, subtitles, markers and range are a dozen changes, drawn once
        String other = fx(() -> wb.layers().rows().stream().map(LayerRow::name)
                .filter(n -> !n.equals(wb.layers().selectedLayerProperty().get())).findFirst().orElseThrow());
        int histogramsBefore = fx(() -> layers.chartDrawings()[1]);
        fx(() -> {
            wb.layers().selectedLayerProperty().set(other);
            return null;
        });
        waitUntil("the histogram of " + other, () -> idle() && layers.chartDrawings()[1] > histogramsBefore);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, fx(() -> layers.chartDrawings()[1]) - histogramsBefore, "drawings of the histogram for one layer");
        assertTrue(fx(() -> layers.histogramChart().getTitle().getText()).contains(other), "the histogram shows " + other);
    }

    @Test
    void aZoomByTheHistogramsOwnHandlersIsDrawnAndAClickKeepsOneDrawingPerEvent(FxRobot robot) throws Exception {
        waitUntil("the first analysis drawn", this::idle);
        WaitForAsyncUtils.waitForFxEvents();
        int settled = fx(() -> layers.chartDrawings()[1]);
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(settled, fx(() -> layers.chartDrawings()[1]), "no drawing comes without a change");

        // the viewer's own zoom (drag or wheel) changes the plot's axis and nothing else
        fx(() -> {
            ((org.jfree.chart.plot.XYPlot) layers.histogramChart().getPlot()).getDomainAxis().setRange(0, 1);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(settled + 1, fx(() -> layers.chartDrawings()[1]), "the zoom is drawn, once");

        // a click sets the canvas's anchor, which switches the chart's notifications on: they go off again
        robot.clickOn("#histogram-chart");
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(fx(() -> layers.histogramChart().isNotify()), "every change after a click would be a drawing");
        assertFalse(fx(() -> layers.cosineChart().isNotify()));
    }
}
