package dev.layerwise.app.layers;

import dev.layerwise.app.common.Messages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/** The selected layer's value histogram with its representable range shaded and the clipped share. */
final class HistogramChart {

    private final LayersViewModel vm;
    private final Messages messages;
    private final XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    private final XYPlot plot;
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private IntervalMarker range;

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
        viewer = new ChartViewer(chart);
        viewer.setId("histogram-chart");
        vm.histogramProperty().addListener((o, was, now) -> show(now));
        show(vm.histogramProperty().get());
    }

    ChartViewer viewer() {
        return viewer;
    }

    JFreeChart chart() {
        return chart;
    }

    private void show(HistogramModel h) {
        data.removeAllSeries();
        chart.clearSubtitles();
        if (range != null) {
            plot.removeDomainMarker(range, Layer.BACKGROUND);
            range = null;
        }
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        if (h == null) {
            chart.setTitle(new TextTitle(messages.get("layers.histogram.none"), font));
            return;
        }
        XYIntervalSeries s = new XYIntervalSeries(h.layer());
        double w = h.binWidth();
        for (int i = 0; i < h.counts().length; i++) {
            double lo = h.low() + i * w;
            s.add(lo + w / 2, lo, lo + w, h.counts()[i], 0, h.counts()[i]);
        }
        data.addSeries(s);
        String clipped = String.format(Locale.ROOT, "%.3f%%", h.clippedShare() * 100);
        chart.setTitle(new TextTitle(messages.get("layers.histogram.title", h.layer(), h.type().configName()), font));
        if (h.type().isInteger()) {
            // the marker's label would be drawn as faint as its fill: the range goes in a subtitle instead
            chart.addSubtitle(new TextTitle(messages.get("layers.histogram.range") + String.format(Locale.ROOT,
                    " [%.4g, %.4g] \u00b7 ", h.rangeLow(), h.rangeHigh()) + messages.get("layers.histogram.clipped", clipped),
                    new Font(Font.SANS_SERIF, Font.PLAIN, 11), new Color(0x2E7D32),
                    org.jfree.chart.ui.RectangleEdge.TOP, org.jfree.chart.ui.HorizontalAlignment.CENTER,
                    org.jfree.chart.ui.VerticalAlignment.CENTER, org.jfree.chart.ui.RectangleInsets.ZERO_INSETS));
        }
        if (h.type().isInteger()) {
            range = new IntervalMarker(h.rangeLow(), h.rangeHigh(), new Color(0x54A24B, false), new BasicStroke(1f),
                    new Color(0x2E7D32), new BasicStroke(1.5f), 0.18f);
            plot.addDomainMarker(range, Layer.BACKGROUND);
        }
        plot.getDomainAxis().setRange(h.low() - w, h.high() + w);
    }
}
