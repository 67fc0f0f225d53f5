package dev.layerwise.app.layers;

import dev.layerwise.app.common.Messages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryMarker;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The per-layer error chart. Each layer's individual error, 1 − cosine, is a bar on a log scale
 * (so 0.999 and 0.97 differ at a glance), labelled in cosine; the entire cosine of the normal model
 * is a grey line and, after a rebuild, the hybrid model's an orange one, so the user sees the damage
 * stop at a promoted layer. The threshold is a dashed line, the selected layer a band.
 *
 * <p>A click ticks the bar nearest the pointer, the wheel zooms into layers around the pointer, a
 * drag pans; zoomed in far enough, layer names appear under the bars, and hovering names the nearest
 * layer below the chart. Reads and writes the {@link LayersViewModel} only.
 */
final class CosineChart {

    static final Color FRIENDLY = new Color(0x4C78A8);
    static final Color UNFRIENDLY = new Color(0xE45756);
    static final Color PROMOTED = new Color(0xF58518);
    static final Color ENTIRE_LINE = new Color(0x7F8794);
    static final Color HYBRID_LINE = new Color(0xD9730D);
    static final Color SELECTION = new Color(0x54A24B);
    static final Color VENDOR_SIM = new Color(0x2E7D32);
    static final Color BOARD = new Color(0x8E44AD);

    /** 1 − cosine is drawn from here up: a layer that loses nothing still gets a visible stub. */
    static final double FLOOR = 1e-7;
    /** Fewest layers a zoom shows; layer names show under the bars from {@link #NAMED} layers down. */
    private static final int MIN_WINDOW = 8;
    private static final int NAMED = 48;
    private static final int LABEL_CHARS = 14;

    private final LayersViewModel vm;
    private final VendorViewModel vendor;
    private final Messages messages;
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final DefaultCategoryDataset lines = new DefaultCategoryDataset();
    private final DefaultCategoryDataset vendorData = new DefaultCategoryDataset();
    private final JFreeChart chart;
    private final CategoryPlot plot;
    private final CategoryAxis domain;
    private final LogAxis range;
    private final ValueMarker thresholdLine;
    private final ChartViewer viewer;
    private final BorderPane pane = new BorderPane();
    private final Label readout = new Label();
    private final Button showAll;
    /** The rows in the chart's order (filtered, maybe sorted), and the window of them shown. */
    private List<LayerRow> ordered = List.of();
    private List<LayerRow> shown = List.of();
    private int from;
    private int to;
    private CategoryMarker selection;
    private final ChartDrawing drawing;
    private double dragX = Double.NaN;
    private int dragFrom;

    CosineChart(LayersViewModel vm, VendorViewModel vendor, Messages messages) {
        this.vm = vm;
        this.vendor = vendor;
        this.messages = messages;
        domain = new ShortNameAxis();
        domain.setTickMarksVisible(false);
        domain.setCategoryMargin(0.15);
        domain.setLowerMargin(0.005);
        domain.setUpperMargin(0.005);
        domain.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        domain.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        domain.setMaximumCategoryLabelWidthRatio(6f);
        range = new LogAxis(messages.get("layers.chart.axis"));
        range.setSmallestValue(FLOOR);
        range.setNumberFormatOverride(new CosineFormat());
        range.setMinorTickMarksVisible(true);
        range.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        Renderer renderer = new Renderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.0);
        renderer.setDrawBarOutline(false);
        renderer.setMinimumBarLength(0);
        // bars stand on the bottom of the axis: the taller, the more the layer loses
        renderer.setBase(FLOOR);
        renderer.setSeriesPaint(0, FRIENDLY);
        plot = new CategoryPlot(data, domain, range, renderer);
        LineAndShapeRenderer line = new LineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, ENTIRE_LINE);
        line.setSeriesStroke(0, new BasicStroke(1.6f));
        line.setSeriesPaint(1, HYBRID_LINE);
        line.setSeriesStroke(1, new BasicStroke(1.8f));
        plot.setDataset(1, lines);
        plot.setRenderer(1, line);
        // a vendor file's numbers as marks over the bars: its simulator's single-layer error as
        // diamonds, the board's whole-model error as a dashed line (where "the simulator says one
        // thing, the board another" becomes visible)
        LineAndShapeRenderer vendorMarks = new LineAndShapeRenderer(false, true);
        vendorMarks.setSeriesPaint(0, VENDOR_SIM);
        vendorMarks.setSeriesShape(0, new java.awt.geom.Path2D.Double(new java.awt.Polygon(new int[] {0, 4, 0, -4},
                new int[] {-4, 0, 4, 0}, 4)));
        vendorMarks.setSeriesLinesVisible(1, true);
        vendorMarks.setSeriesShapesVisible(1, false);
        vendorMarks.setSeriesPaint(1, BOARD);
        vendorMarks.setSeriesStroke(1, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {5f, 3f}, 0f));
        plot.setDataset(2, vendorData);
        plot.setRenderer(2, vendorMarks);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setRangePannable(false);
        thresholdLine = new ValueMarker(1 - vm.thresholdProperty().get(), UNFRIENDLY, new BasicStroke(1.5f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        // named in the legend, not beside the line, where it sat on the bars
        plot.addRangeMarker(thresholdLine, Layer.FOREGROUND);
        chart = new JFreeChart(plot);
        // the title is what a PNG export carries: what is drawn, no instructions for the window
        chart.setTitle(new TextTitle(messages.get("layers.chart.title"), new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        drawing = new ChartDrawing(chart);
        viewer = new ChartViewer(chart);
        viewer.setId("cosine-chart");
        drawing.shownIn(viewer);
        // JFreeChart's own zoom and pan act on the value axis; here they act on layers
        viewer.getCanvas().setRangeZoomable(false);
        viewer.getCanvas().setDomainZoomable(false);
        viewer.getCanvas().setTooltipEnabled(false);
        viewer.addEventFilter(ScrollEvent.SCROLL, this::scrolled);
        viewer.addEventFilter(MouseEvent.MOUSE_PRESSED, this::pressed);
        viewer.addEventFilter(MouseEvent.MOUSE_DRAGGED, this::dragged);
        viewer.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                dragX = Double.NaN;
                e.consume();
            }
        });
        viewer.addEventFilter(MouseEvent.MOUSE_CLICKED, this::clicked);
        viewer.addEventFilter(MouseEvent.MOUSE_MOVED, this::moved);

        readout.setId("chart-readout");
        readout.getStyleClass().add("hint");
        readout.setMinWidth(0);
        // a narrow chart wraps the hint and a long layer's figures onto a second line instead of cutting them
        readout.setWrapText(true);
        readout.setText(messages.get("layers.chart.hint"));
        showAll = new Button(messages.get("layers.chart.showAll"));
        showAll.setId("chart-show-all");
        showAll.setOnAction(e -> setWindow(0, ordered.size()));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bottom = new HBox(8, readout, grow, showAll);
        bottom.setAlignment(Pos.CENTER_LEFT);
        bottom.setPadding(new Insets(2, 8, 2, 8));
        pane.setCenter(viewer);
        pane.setBottom(bottom);

        vm.filteredRows().addListener((ListChangeListener<LayerRow>) c -> reload());
        vm.chartSortedProperty().addListener((o, was, now) -> reload());
        vm.thresholdProperty().addListener((o, was, now) -> {
            updateThreshold();
            redraw();
        });
        // colours depend on each row's type: repaint when any changes
        vm.onTypeChange(c -> redraw());
        vm.hybridEntireProperty().addListener((o, was, now) -> fill());
        vm.selectedLayerProperty().addListener((o, was, now) -> updateSelection());
        vendor.versionProperty().addListener((o, was, now) -> fill());
        reload();
    }

    /** The chart with its readout line, for the layout. */
    Node node() {
        return pane;
    }

    ChartViewer viewer() {
        return viewer;
    }

    JFreeChart chart() {
        return chart;
    }

    double thresholdLineValue() {
        return 1 - thresholdLine.getValue();
    }

    /** The names of the layers the chart shows now, left to right; for tests. */
    List<String> shownLayers() {
        return shown.stream().map(LayerRow::name).toList();
    }

    private void reload() {
        ordered = vm.chartRows();
        from = 0;
        to = ordered.size();
        fill();
    }

    /** Shows the layers {@code [newFrom, newTo)} of the chart's order, at least {@link #MIN_WINDOW} of them. */
    void setWindow(int newFrom, int newTo) {
        int n = ordered.size();
        int width = Math.max(Math.min(MIN_WINDOW, n), Math.min(n, newTo - newFrom));
        int start = Math.max(0, Math.min(n - width, newFrom));
        if (start != from || start + width != to) {
            from = start;
            to = start + width;
            fill();
        }
    }

    private void fill() {
        shown = List.copyOf(ordered.subList(Math.min(from, ordered.size()), Math.min(to, ordered.size())));
        data.setNotify(false);
        data.clear();
        lines.setNotify(false);
        lines.clear();
        vendorData.setNotify(false);
        vendorData.clear();
        String individual = messages.get("layers.chart.individual");
        String entire = messages.get("layers.chart.entire");
        String hybrid = messages.get("layers.chart.hybrid");
        Map<String, Double> hybridEntire = vm.hybridEntireProperty().get();
        // the entire cosine accumulates along the graph: drawn in cosine order it is noise
        boolean graphOrder = !vm.chartSortedProperty().get();
        for (LayerRow r : shown) {
            data.addValue(error(r.individualCosine()), individual, r.name());
            if (graphOrder) {
                lines.addValue(error(r.entireCosine()), entire, r.name());
            }
        }
        if (graphOrder && !hybridEntire.isEmpty()) {
            for (LayerRow r : shown) {
                Double h = hybridEntire.get(r.name());
                lines.addValue(h == null ? null : error(h), hybrid, r.name());
            }
        }
        if (vendor.loadedProperty().get()) {
            String vendorSim = messages.get("layers.chart.vendorSim");
            String board = messages.get("layers.chart.board");
            for (LayerRow r : shown) {
                VendorViewModel.Cells c = vendor.cells(r.name());
                vendorData.addValue(Double.isNaN(c.simulatorSingle()) ? null : error(c.simulatorSingle()), vendorSim, r.name());
                if (vendor.hasBoardProperty().get()) {
                    vendorData.addValue(Double.isNaN(c.boardEntire()) ? null : error(c.boardEntire()), board, r.name());
                }
            }
        }
        vendorData.setNotify(true);
        boolean named = shown.size() <= NAMED;
        domain.setTickLabelsVisible(named);
        showAll.setVisible(shown.size() < ordered.size());
        updateThreshold();
        updateSelection();
        updateLegend(graphOrder, graphOrder && !hybridEntire.isEmpty());
        lines.setNotify(true);
        data.setNotify(true);
        redraw();
    }

    /**
     * A finished run sets the rows, the selected layer and the picks in one event: one drawing for
     * all three, not one each before the table could show its rows.
     */
    private void redraw() {
        drawing.request();
    }

    /** How many times the chart has been drawn for its changes (not for a resize); lets UI tests count them. */
    int draws() {
        return drawing.count();
    }

    static double error(double cosine) {
        return Math.max(FLOOR, 1 - cosine);
    }

    private void updateLegend(boolean entire, boolean hybrid) {
        LegendItemCollection items = new LegendItemCollection();
        items.add(new LegendItem(messages.get("layers.chart.individual"), null, messages.get("layers.chart.individualTip"), null,
                new Rectangle2D.Double(-4, -4, 8, 8), FRIENDLY));
        Shape stroke = new Line2D.Double(-7, 0, 7, 0);
        if (entire) {
            items.add(lineItem(messages.get("layers.chart.entire"), messages.get("layers.chart.entireTip"), stroke, ENTIRE_LINE,
                    new BasicStroke(1.6f)));
        }
        if (hybrid) {
            items.add(lineItem(messages.get("layers.chart.hybrid"), messages.get("layers.chart.hybridTip"), stroke, HYBRID_LINE,
                    new BasicStroke(1.8f)));
        }
        if (vendor.loadedProperty().get()) {
            items.add(new LegendItem(messages.get("layers.chart.vendorSim"), null, null, null,
                    new java.awt.geom.Path2D.Double(new java.awt.Polygon(new int[] {0, 4, 0, -4}, new int[] {-4, 0, 4, 0}, 4)),
                    VENDOR_SIM));
            if (vendor.hasBoardProperty().get()) {
                items.add(lineItem(messages.get("layers.chart.board"), null, stroke, BOARD, new BasicStroke(1.6f,
                        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 3f}, 0f)));
            }
        }
        items.add(lineItem(messages.get("layers.chart.threshold", String.format(Locale.ROOT, "%.3f", vm.thresholdProperty().get())),
                null, stroke, UNFRIENDLY, thresholdLine.getStroke()));
        plot.setFixedLegendItems(items);
    }

    private static LegendItem lineItem(String label, String tip, Shape line, Paint paint, java.awt.Stroke stroke) {
        LegendItem item = new LegendItem(label, null, tip, null, false, line, false, paint, false, paint, stroke, true, line, stroke,
                paint);
        return item;
    }

    private void updateThreshold() {
        double t = vm.thresholdProperty().get();
        double lineAt = error(t);
        thresholdLine.setValue(lineAt);
        double lo = lineAt;
        double hi = lineAt;
        for (LayerRow r : shown) {
            lo = Math.min(lo, error(r.individualCosine()));
            hi = Math.max(hi, Math.max(error(r.individualCosine()), error(r.entireCosine())));
            VendorViewModel.Cells c = vendor.cells(r.name());
            for (double v : new double[] {c.simulatorSingle(), c.boardEntire()}) {
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, error(v));
                    hi = Math.max(hi, error(v));
                }
            }
        }
        // whole decades, so that the ticks are 0.9, 0.99, 0.999 … however narrow the data
        double lower = Math.pow(10, Math.floor(Math.log10(Math.max(FLOOR, lo / 1.5))));
        double upper = Math.min(2, Math.pow(10, Math.ceil(Math.log10(hi * 1.5))));
        range.setRange(lower, Math.max(upper, lower * 100));
        updateLegend(!vm.chartSortedProperty().get(), !vm.chartSortedProperty().get() && !vm.hybridEntireProperty().get().isEmpty());
    }

    private void updateSelection() {
        if (selection != null) {
            // removeDomainMarker(marker) looks in the foreground only: name the layer it was added to
            plot.removeDomainMarker(0, selection, Layer.BACKGROUND, false);
            selection = null;
        }
        String name = vm.selectedLayerProperty().get();
        if (name != null && shown.stream().anyMatch(r -> r.name().equals(name))) {
            selection = new CategoryMarker(name, SELECTION, new BasicStroke(1f));
            selection.setDrawAsLine(false);
            selection.setAlpha(0.25f);
            plot.addDomainMarker(0, selection, Layer.BACKGROUND, false);
        }
        redraw();
    }

    private String describe(LayerRow r) {
        String hybrid = "";
        Double h = vm.hybridEntireProperty().get().get(r.name());
        if (h != null) {
            hybrid = " \u00b7 " + messages.get("layers.chart.hybridValue", String.format(Locale.ROOT, "%.6f", h));
        }
        String text = messages.get("layers.chart.tooltip", r.name(), r.op(), String.format(Locale.ROOT, "%.6f", r.individualCosine()),
                String.format(Locale.ROOT, "%.6f", r.entireCosine())) + hybrid + " \u00b7 " + r.type().configName();
        VendorViewModel.Cells c = vendor.cells(r.name());
        if (!Double.isNaN(c.simulatorSingle())) {
            text += " \u00b7 " + messages.get("layers.chart.vendorTip", String.format(Locale.ROOT, "%.5f", c.simulatorSingle()),
                    Double.isNaN(c.boardEntire()) ? "\u2013" : String.format(Locale.ROOT, "%.5f", c.boardEntire()));
        }
        return text;
    }

    /** The layer whose bar is nearest {@code x} (canvas coordinates) inside the plot, or null. */
    LayerRow nearest(double x, double y) {
        var info = viewer.getCanvas().getRenderingInfo();
        if (info == null || shown.isEmpty()) {
            return null;
        }
        Rectangle2D area = info.getPlotInfo().getDataArea();
        if (area.getWidth() <= 0 || y < area.getMinY() - 4 || y > area.getMaxY() + 4 || x < area.getMinX() - 4
                || x > area.getMaxX() + 4) {
            return null;
        }
        LayerRow best = null;
        double bestDistance = Double.MAX_VALUE;
        for (int i = 0; i < shown.size(); i++) {
            double middle = domain.getCategoryMiddle(i, shown.size(), area, plot.getDomainAxisEdge());
            double d = Math.abs(middle - x);
            if (d < bestDistance) {
                bestDistance = d;
                best = shown.get(i);
            }
        }
        return best;
    }

    private void clicked(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        e.consume();
        if (!e.isStillSincePress()) {
            return;
        }
        Point p = canvasPoint(e);
        LayerRow r = nearest(p.x(), p.y());
        if (r != null) {
            vm.chartClicked(r.name());
        }
    }

    private void moved(MouseEvent e) {
        Point p = canvasPoint(e);
        LayerRow r = nearest(p.x(), p.y());
        String text = r == null ? messages.get("layers.chart.hint") : describe(r);
        readout.setText(text);
        if (r != null) {
            viewer.getCanvas().setTooltip(text, e.getScreenX(), e.getScreenY());
        } else {
            viewer.getCanvas().setTooltip(null, 0, 0);
        }
    }

    private void pressed(MouseEvent e) {
        if (e.getButton() == MouseButton.PRIMARY) {
            dragX = canvasPoint(e).x();
            dragFrom = from;
            e.consume();
        }
    }

    private void dragged(MouseEvent e) {
        if (Double.isNaN(dragX)) {
            return;
        }
        e.consume();
        double perLayer = layerWidth();
        if (perLayer > 0) {
            int shift = (int) Math.round((dragX - canvasPoint(e).x()) / perLayer);
            setWindow(dragFrom + shift, dragFrom + shift + (to - from));
        }
    }

    private void scrolled(ScrollEvent e) {
        e.consume();
        if (e.getDeltaY() == 0 || ordered.isEmpty()) {
            return;
        }
        var info = viewer.getCanvas().getRenderingInfo();
        Point p = canvasPoint(e.getX(), e.getY());
        double share = 0.5;
        if (info != null && info.getPlotInfo().getDataArea().getWidth() > 0) {
            Rectangle2D area = info.getPlotInfo().getDataArea();
            share = Math.max(0, Math.min(1, (p.x() - area.getMinX()) / area.getWidth()));
        }
        zoom(e.getDeltaY() > 0 ? 0.7 : 1 / 0.7, share);
    }

    /** Scales the window by {@code factor} (under 1 zooms in), keeping the layer at {@code share} of the width in place. */
    void zoom(double factor, double share) {
        int width = to - from;
        int newWidth = (int) Math.round(width * factor);
        if (newWidth == width) {
            newWidth += factor < 1 ? -1 : 1;
        }
        double anchor = from + share * width;
        int newFrom = (int) Math.round(anchor - share * newWidth);
        setWindow(newFrom, newFrom + newWidth);
    }

    private double layerWidth() {
        var info = viewer.getCanvas().getRenderingInfo();
        if (info == null || shown.isEmpty()) {
            return 0;
        }
        return info.getPlotInfo().getDataArea().getWidth() / shown.size();
    }

    private record Point(double x, double y) {
    }

    private Point canvasPoint(MouseEvent e) {
        return canvasPoint(e.getX(), e.getY());
    }

    /** Viewer coordinates to the canvas's, where JFreeChart's data area lives. */
    private Point canvasPoint(double x, double y) {
        javafx.geometry.Point2D p = viewer.getCanvas().sceneToLocal(viewer.localToScene(x, y));
        return new Point(p.getX(), p.getY());
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

    /**
     * Names under the bars, shortened to the last part of a path-like name and at most
     * {@link #LABEL_CHARS} characters: drawn upright, a full "/model.22/cv3.2/cv3.2.2/Conv" took
     * the height of the plot in a small window. The hover readout and the table give the full name.
     */
    private static final class ShortNameAxis extends CategoryAxis {
        @Override
        protected org.jfree.chart.text.TextBlock createLabel(Comparable category, float width,
                org.jfree.chart.ui.RectangleEdge edge, java.awt.Graphics2D g2) {
            return super.createLabel(shortName(category.toString()), width, edge, g2);
        }
    }

    static String shortName(String name) {
        String tail = name;
        int slash = name.lastIndexOf('/', name.length() - 2);
        if (slash >= 0) {
            tail = name.substring(slash + 1);
        }
        return tail.length() <= LABEL_CHARS ? tail : tail.substring(0, LABEL_CHARS - 1) + "\u2026";
    }

    /** Tick labels in cosine: the axis is 1 − cosine on a log scale, people read cosines. */
    private static final class CosineFormat extends NumberFormat {
        @Override
        public StringBuffer format(double error, StringBuffer to, FieldPosition pos) {
            int decimals = error >= 1 ? 0 : Math.max(1, (int) Math.ceil(-Math.log10(error) - 1e-9));
            return to.append(String.format(Locale.ROOT, "%." + Math.min(8, decimals) + "f", 1 - error));
        }

        @Override
        public StringBuffer format(long error, StringBuffer to, FieldPosition pos) {
            return format((double) error, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            return null;
        }
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
