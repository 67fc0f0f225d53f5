package dev.layerwise.app.layers;

import javafx.application.Platform;
import org.jfree.chart.JFreeChart;

/**
 * Draws a chart on its canvas once per FX event instead of once per change. JFreeChart's canvas
 * draws the whole chart for every change event, and showing a histogram makes a dozen changes
 * (series, title, subtitles, markers, range), a finished run three to the cosine chart: each was a
 * full drawing on the FX thread, while the table and the hybrid's numbers waited. The chart's own
 * notifications stay off; {@link #request} queues one drawing after the event in progress. A
 * resize still draws at once (the canvas does that itself). FX thread only.
 */
final class ChartDrawing {

    private final JFreeChart chart;
    private boolean queued;
    private int count;

    /** Turns the chart's notifications off: call before a viewer is made for it. */
    ChartDrawing(JFreeChart chart) {
        this.chart = chart;
        chart.setNotify(false);
    }

    /** The chart has changed: it is drawn once, after the event in progress has made all its changes. */
    void request() {
        if (queued) {
            return;
        }
        queued = true;
        Platform.runLater(() -> {
            queued = false;
            count++;
            // notifying fires one change event, which the canvas answers with a drawing
            chart.setNotify(true);
            chart.setNotify(false);
        });
    }

    /** How many drawings changes have asked for so far (resizes not counted); lets UI tests count them. */
    int count() {
        return count;
    }
}
