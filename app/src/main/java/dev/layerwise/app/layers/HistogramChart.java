package dev.layerwise.app.layers;

import dev.layerwise.app.common.Messages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * The selected layer's value histogram with its representable range shaded green; what the
 * calibration saw beyond it shaded red up to the calibration min/max (dashed), with the
 * algorithm's chosen range and the clipped shares (calibration set, this input) above.
 */
final class HistogramChart {

    /** The representable range: green, as in the cosine chart's friendly bars. */
    private static final Color KEPT = new Color(0x2E7D32);
    /** What calibration saw that the range cuts off. */
    private static final Color CUT = new Color(0xC62828);
    /** Calibration's min/max. */
    private static final Color OBSERVED = new Color(0x555555);

    private final LayersViewModel vm;
    private final Messages messages;
    private final XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    private final XYPlot plot;
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final ChartDrawing drawing;

    HistogramChart(LayersViewModel vm, Messages messages) {
        this.vm = vm;
        this.messages = messages;
        NumberAxis x = new NumberAxis(messages.get("layers.histogram.axisValue"));
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(messages.get("layers.histogram.axisCount"));
        XYBarRenderer renderer = new XYBarRenderer(0.05);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, CosineChart.FRIENDLY);
        plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setDomainGridlinesVisible(false);
        chart = new JFreeChart(plot);
        chart.removeLegend();
        chart.setBackgroundPaint(Color.WHITE);
        // a histogram is a dozen changes to the chart: drawn once for all of them
        drawing = new ChartDrawing(chart);
        viewer = new ChartViewer(chart);
        viewer.setId("histogram-chart");
        drawing.shownIn(viewer);
        vm.histogramProperty().addListener((o, was, now) -> show(now));
        show(vm.histogramProperty().get());
    }

    ChartViewer viewer() {
        return viewer;
    }

    JFreeChart chart() {
        return chart;
    }

    /** How many times the histogram has been drawn for its changes (not for a resize); lets UI tests count them. */
    int draws() {
        return drawing.count();
    }

    private void show(HistogramModel h) {
        drawing.request();
        data.removeAllSeries();
        chart.clearSubtitles();
        plot.clearDomainMarkers();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        if (h == null) {
            chart.setTitle(title(messages.get("layers.histogram.none"), font));
            return;
        }
        XYIntervalSeries s = new XYIntervalSeries(h.layer());
        double w = h.binWidth();
        for (int i = 0; i < h.counts().length; i++) {
            double lo = h.low() + i * w;
            s.add(lo + w / 2, lo, lo + w, h.counts()[i], 0, h.counts()[i]);
        }
        data.addSeries(s);
        // the short type name: the long one ("asymmetric_affine-u8") pushed the layer's name out of a narrow chart
        chart.setTitle(title(messages.get("layers.histogram.title", h.layer(), h.type().qtype()), font));
        if (h.type().isInteger()) {
            // marker labels would be drawn as faint as their fill: the figures go in subtitles instead
            HistogramModel.CalibrationChoice c = h.calibration();
            if (c != null) {
                for (String line : calibrationLines(c)) {
                    subtitle(line, c.clips() ? CUT : KEPT);
                }
            }
            subtitle(messages.get("layers.histogram.range") + String.format(Locale.ROOT, " [%.4g, %.4g] \u00b7 ", h.rangeLow(),
                    h.rangeHigh()) + messages.get("layers.histogram.clipped", percent(h.clippedShare())), KEPT);
            plot.addDomainMarker(new IntervalMarker(h.rangeLow(), h.rangeHigh(), new Color(0x54A24B, false), new BasicStroke(1f),
                    KEPT, new BasicStroke(1.5f), 0.18f), Layer.BACKGROUND);
            if (c != null) {
                // what the range cuts off of what calibration saw, shaded red, edged by the observed min/max
                if (c.observedLow() < h.rangeLow()) {
                    plot.addDomainMarker(cutOff(c.observedLow(), h.rangeLow()), Layer.BACKGROUND);
                }
                if (c.observedHigh() > h.rangeHigh()) {
                    plot.addDomainMarker(cutOff(h.rangeHigh(), c.observedHigh()), Layer.BACKGROUND);
                }
                for (double edge : new double[] {c.observedLow(), c.observedHigh()}) {
                    ValueMarker m = new ValueMarker(edge, OBSERVED, new BasicStroke(1.2f, BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
                    plot.addDomainMarker(m, Layer.FOREGROUND);
                }
            }
        }
        plot.getDomainAxis().setRange(h.low() - w, h.high() + w);
    }

    /** The algorithm's range against calibration's min/max and what it cuts off, or why min/max was kept: two lines. */
    private List<String> calibrationLines(HistogramModel.CalibrationChoice c) {
        String observed = String.format(Locale.ROOT, "[%.4g, %.4g]", c.observedLow(), c.observedHigh());
        if (c.decisive()) {
            return List.of(messages.get("layers.histogram.decisive", c.algorithm(), observed),
                    messages.get("layers.histogram.decisiveWhy"));
        }
        String share = Double.isNaN(c.clippedShare()) ? "?" : percent(c.clippedShare());
        return List.of(messages.get("layers.histogram.chosen", c.algorithm(),
                String.format(Locale.ROOT, "[%.4g, %.4g]", c.chosenLow(), c.chosenHigh()), observed),
                messages.get("layers.histogram.cut", share));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.3f%%", share * 100);
    }

    private static IntervalMarker cutOff(double from, double to) {
        return new IntervalMarker(from, to, CUT, new BasicStroke(1f), CUT, new BasicStroke(1f), 0.12f);
    }

    private void subtitle(String text, Color color) {
        chart.addSubtitle(new TextTitle(text, new Font(Font.SANS_SERIF, Font.PLAIN, 11), color,
                org.jfree.chart.ui.RectangleEdge.TOP, org.jfree.chart.ui.HorizontalAlignment.CENTER,
                org.jfree.chart.ui.VerticalAlignment.CENTER, SIDE_ROOM));
    }

    private static TextTitle title(String text, Font font) {
        TextTitle t = new TextTitle(text, font);
        t.setPadding(SIDE_ROOM);
        return t;
    }

    /**
     * Room on both sides of each title line. The lines wrap at the width the chart measures, but
     * the canvas can draw wider than measured (Chinese text most), and a line as wide as the chart
     * was drawn cut at both edges.
     */
    private static final org.jfree.chart.ui.RectangleInsets SIDE_ROOM = new org.jfree.chart.ui.RectangleInsets(1, 14, 1, 14);
}
