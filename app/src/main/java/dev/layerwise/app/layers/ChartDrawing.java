package dev.layerwise.app.layers;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import org.jfree.chart.JFreeChart;

/**
 * Draws a chart on its canvas once per FX event instead of once per change. JFreeChart's canvas
 * draws the whole chart for every change event, and showing a histogram makes a dozen changes
 * (series, title, subtitles, markers, range), a finished run three to the cosine chart: each was a
 * full drawing on the FX thread, while the table and the hybrid's numbers waited. The chart's own
 * notifications stay off; {@link #request} (the app's changes, and every change of the plot) queues
 * one drawing after the event in progress, made in the next frame before its layout. A resize
 * still draws at once (the canvas does that itself). FX thread only.
 */
final class ChartDrawing {

    private final JFreeChart chart;
    private Node node;
    private boolean queued;
    private boolean drawing;
    private int count;

    /**
     * Turns the chart's notifications off and has every change of its plot (data, axes: also a
     * zoom or pan by the viewer's own mouse handlers) queue a drawing; call before a viewer is
     * made for it. A click on the canvas sets its anchor, which turns the chart's notifications
     * back on (JFreeChart's canvas does so; neither chart draws the anchor): they are turned off
     * again after that event, or every change after one click would be a whole drawing again.
     */
    ChartDrawing(JFreeChart chart) {
        this.chart = chart;
        chart.setNotify(false);
        chart.getPlot().addChangeListener(e -> request());
        chart.addChangeListener(e -> {
            if (chart.isNotify() && !drawing) {
                Platform.runLater(() -> chart.setNotify(false));
            }
        });
    }

    /**
     * The node the chart is shown in. Once it is in a scene, a drawing is made in the next frame
     * before that frame is laid out, so a change and the table's rows it came with reach the screen
     * in one frame: a drawing queued behind a frame already on its way was drawn after it, and the
     * next frame (the first tick's numbers, right after a run) waited for it.
     */
    void shownIn(Node node) {
        this.node = node;
    }

    /** The chart has changed: it is drawn once, after the event in progress has made all its changes. */
    void request() {
        if (queued) {
            return;
        }
        queued = true;
        Scene scene = node == null ? null : node.getScene();
        if (scene != null) {
            Runnable[] once = new Runnable[1];
            once[0] = () -> {
                scene.removePreLayoutPulseListener(once[0]);
                drawQueued();
            };
            scene.addPreLayoutPulseListener(once[0]);
            Platform.requestNextPulse();
        }
        // also queued as an event, whichever comes first draws: a scene left before its next pulse
        // (the window rebuilt in another language) still gets its drawing
        Platform.runLater(this::drawQueued);
    }

    private void drawQueued() {
        if (!queued) {
            return;
        }
        queued = false;
        count++;
        // notifying fires one change event, which the canvas answers with a drawing
        drawing = true;
        chart.setNotify(true);
        chart.setNotify(false);
        drawing = false;
    }

    /** How many drawings changes have asked for so far (resizes not counted); lets UI tests count them. */
    int count() {
        return count;
    }
}
