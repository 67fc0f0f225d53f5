package dev.layerwise.app.layers;

import dev.layerwise.app.common.Messages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import java.util.Locale;
import javafx.collections.ListChangeListener;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.entity.ChartEntity;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;
import org.jfree.chart.plot.CategoryMarker;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The per-layer cosine bar chart: individual cosine as bars (coloured by state), entire cosine
 * as a grey line, the threshold as a line, the selected layer as a band. Clicking a bar
 * ticks that layer. Reads and writes the {@link LayersViewModel} only.
 */
final class CosineChart {

    static final Color FRIENDLY = new Color(0x4C78A8);
    static final Color UNFRIENDLY = new Color(0xE45756);
    static final Color PROMOTED = new Color(0xF58518);
    static final Color ENTIRE_LINE = new Color(0x7F8794);
    static final Color VENDOR_SIM = new Color(0x2E7D32);
    static final Color BOARD = new Color(0x8E44AD);

    private final LayersViewModel vm;
    private final VendorViewModel vendor;
    private final Messages messages;
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final DefaultCategoryDataset entireData = new DefaultCategoryDataset();
    private final DefaultCategoryDataset vendorData = new DefaultCategoryDataset();
    private final JFreeChart chart;
    private final CategoryPlot plot;
    private final ValueMarker thresholdLine;
    private final ChartViewer viewer;
    private List<LayerRow> shown = List.of();
    private CategoryMarker selection;

    CosineChart(LayersViewModel vm, VendorViewModel vendor, Messages messages) {
        this.vm = vm;
        this.vendor = vendor;
        this.messages = messages;
        CategoryAxis domain = new CategoryAxis();
        // a real model has hundreds of layers: names go in tooltips, not under the bars
        domain.setTickLabelsVisible(false);
        domain.setTickMarksVisible(false);
        domain.setCategoryMargin(0.15);
        domain.setLowerMargin(0.005);
        domain.setUpperMargin(0.005);
        NumberAxis range = new NumberAxis(messages.get("layers.chart.axis"));
        range.setAutoRangeIncludesZero(false);
        Renderer renderer = new Renderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.0);
        renderer.setDrawBarOutline(false);
        renderer.setDefaultToolTipGenerator((dataset, row, column) -> tooltip(column));
        // bars hang from 1.0: a bar's length is what the layer loses, so healthy layers nearly vanish
        // and unfriendly ones stand out, and the entire-cosine line stays visible over white
        renderer.setBase(1.0);
        renderer.setSeriesPaint(0, FRIENDLY);
        plot = new CategoryPlot(data, domain, range, renderer);
        // entire cosine falls layer after layer as error accumulates: a line over the bars reads better
        // than a second bar per layer, and keeps each individual bar wide enough to click
        LineAndShapeRenderer line = new LineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, ENTIRE_LINE);
        line.setSeriesStroke(0, new BasicStroke(1.6f));
        line.setDefaultToolTipGenerator((dataset, row, column) -> tooltip(column));
        plot.setDataset(1, entireData);
        plot.setRenderer(1, line);
        // a vendor file's numbers as marks over the bars: its simulator's single-layer cosine as
        // diamonds, the board's whole-model cosine as a dashed line (where the user's complaint
        // "the simulator says one thing, the board another" becomes visible)
        LineAndShapeRenderer vendorMarks = new LineAndShapeRenderer(false, true);
        vendorMarks.setSeriesPaint(0, VENDOR_SIM);
        vendorMarks.setSeriesShape(0, new java.awt.geom.Path2D.Double(new java.awt.Polygon(new int[] {0, 4, 0, -4},
                new int[] {-4, 0, 4, 0}, 4)));
        vendorMarks.setSeriesLinesVisible(1, true);
        vendorMarks.setSeriesShapesVisible(1, false);
        vendorMarks.setSeriesPaint(1, BOARD);
        vendorMarks.setSeriesStroke(1, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {5f, 3f}, 0f));
        vendorMarks.setDefaultToolTipGenerator((dataset, row, column) -> tooltip(column));
        plot.setDataset(2, vendorData);
        plot.setRenderer(2, vendorMarks);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        thresholdLine = new ValueMarker(vm.thresholdProperty().get(), UNFRIENDLY, new BasicStroke(1.5f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        thresholdLine.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        thresholdLine.setLabelPaint(UNFRIENDLY);
        thresholdLine.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        thresholdLine.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(thresholdLine, Layer.FOREGROUND);
        chart = new JFreeChart(plot);
        chart.setTitle(new TextTitle(messages.get("layers.chart.title"), new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        viewer = new ChartViewer(chart);
        viewer.setId("cosine-chart");
        viewer.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX event) {
                String layer = layerAt(event.getEntity());
                if (layer != null) {
                    vm.chartClicked(layer);
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX event) {
            }
        });

        vm.filteredRows().addListener((ListChangeListener<LayerRow>) c -> reload());
        vm.chartSortedProperty().addListener((o, was, now) -> reload());
        vm.thresholdProperty().addListener((o, was, now) -> {
            updateThreshold();
            chart.fireChartChanged();
        });
        // colours depend on each row's type: repaint when any changes
        vm.onTypeChange(c -> chart.fireChartChanged());
        vm.selectedLayerProperty().addListener((o, was, now) -> updateSelection());
        vendor.versionProperty().addListener((o, was, now) -> reload());
        reload();
    }

    ChartViewer viewer() {
        return viewer;
    }

    JFreeChart chart() {
        return chart;
    }

    private void reload() {
        shown = vm.chartRows();
        data.setNotify(false);
        data.clear();
        entireData.setNotify(false);
        entireData.clear();
        vendorData.setNotify(false);
        vendorData.clear();
        String individual = messages.get("layers.chart.individual");
        String entire = messages.get("layers.chart.entire");
        String vendorSim = messages.get("layers.chart.vendorSim");
        String board = messages.get("layers.chart.board");
        boolean withVendor = vendor.loadedProperty().get();
        for (LayerRow r : shown) {
            data.addValue(r.individualCosine(), individual, r.name());
            entireData.addValue(r.entireCosine(), entire, r.name());
            if (withVendor) {
                VendorViewModel.Cells c = vendor.cells(r.name());
                vendorData.addValue(Double.isNaN(c.simulatorSingle()) ? null : c.simulatorSingle(), vendorSim, r.name());
                if (vendor.hasBoardProperty().get()) {
                    vendorData.addValue(Double.isNaN(c.boardEntire()) ? null : c.boardEntire(), board, r.name());
                }
            }
        }
        vendorData.setNotify(true);
        updateThreshold();
        updateSelection();
        entireData.setNotify(true);
        data.setNotify(true);
    }

    private void updateThreshold() {
        double t = vm.thresholdProperty().get();
        thresholdLine.setValue(t);
        thresholdLine.setLabel(messages.get("layers.chart.threshold", String.format(Locale.ROOT, "%.3f", t)));
        double min = t;
        for (LayerRow r : shown) {
            min = Math.min(min, Math.min(r.individualCosine(), r.entireCosine()));
            VendorViewModel.Cells c = vendor.cells(r.name());
            for (double v : new double[] {c.simulatorSingle(), c.boardEntire()}) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                }
            }
        }
        double pad = Math.max(0.002, (1 - min) * 0.08);
        plot.getRangeAxis().setRange(Math.max(-1, min - pad), 1 + pad / 4);
    }

    double thresholdLineValue() {
        return thresholdLine.getValue();
    }

    private void updateSelection() {
        if (selection != null) {
            // removeDomainMarker(marker) looks in the foreground only: name the layer it was added to
            plot.removeDomainMarker(0, selection, Layer.BACKGROUND, false);
            selection = null;
        }
        String name = vm.selectedLayerProperty().get();
        if (name != null && shown.stream().anyMatch(r -> r.name().equals(name))) {
            selection = new CategoryMarker(name, new Color(0x54A24B), new BasicStroke(1f));
            selection.setDrawAsLine(false);
            selection.setAlpha(0.25f);
            plot.addDomainMarker(selection, Layer.BACKGROUND);
        }
    }

    private String tooltip(int column) {
        if (column < 0 || column >= shown.size()) {
            return null;
        }
        LayerRow r = shown.get(column);
        String text = messages.get("layers.chart.tooltip", r.name(), r.op(), String.format(Locale.ROOT, "%.6f", r.individualCosine()),
                String.format(Locale.ROOT, "%.6f", r.entireCosine())) + " \u00b7 " + r.type().configName();
        VendorViewModel.Cells c = vendor.cells(r.name());
        if (!Double.isNaN(c.simulatorSingle())) {
            text += " \u00b7 " + messages.get("layers.chart.vendorTip", String.format(Locale.ROOT, "%.5f", c.simulatorSingle()),
                    Double.isNaN(c.boardEntire()) ? "\u2013" : String.format(Locale.ROOT, "%.5f", c.boardEntire()));
        }
        return text;
    }

    private static String layerAt(ChartEntity entity) {
        if (entity instanceof CategoryItemEntity item) {
            return String.valueOf(item.getColumnKey());
        }
        return null;
    }

    /** Where the bar of {@code layer}'s individual cosine is, in the canvas's coordinates; for tests. */
    java.awt.geom.Rectangle2D barBounds(String layer) {
        for (Object o : viewer.getCanvas().getRenderingInfo().getEntityCollection().getEntities()) {
            if (o instanceof CategoryItemEntity item && item.getDataset() == data && layer.equals(item.getColumnKey())) {
                return item.getArea().getBounds2D();
            }
        }
        return null;
    }

    private final class Renderer extends BarRenderer {
        @Override
        public Paint getItemPaint(int row, int column) {
            if (column >= shown.size()) {
                return FRIENDLY;
            }
            LayerRow r = shown.get(column);
            if (r.isPromoted()) {
                return PROMOTED;
            }
            return r.individualCosine() < vm.thresholdProperty().get() ? UNFRIENDLY : FRIENDLY;
        }
    }
}
