package dev.layerwise.app.layers;

import dev.layerwise.app.common.HoverTip;
import dev.layerwise.app.common.Messages;
import dev.layerwise.core.quant.QuantType;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.transformation.SortedList;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.control.cell.ComboBoxTableCell;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;
import org.controlsfx.control.textfield.TextFields;

/**
 * The Layers view: toolbar (filter, threshold, promotion type, chart order, rebuild), the
 * sortable layer table, the cosine chart and the selected layer's histogram. Built in code;
 * everything it shows comes from the {@link LayersViewModel}.
 */
public final class LayersView {

    private static final PseudoClass UNFRIENDLY = PseudoClass.getPseudoClass("unfriendly");
    private static final PseudoClass PROMOTED = PseudoClass.getPseudoClass("promoted");
    private static final PseudoClass NONE = PseudoClass.getPseudoClass("none");
    private static final PseudoClass IDLE = PseudoClass.getPseudoClass("idle");

    /** A row can be switched to any type: its column is as wide as the longest name. */
    private static final String LONGEST_TYPE = LayersViewModel.rowTypes().stream().map(QuantType::qtype)
            .max(java.util.Comparator.comparingInt(String::length)).orElse("");

    private final LayersViewModel vm;
    private final VendorViewModel vendor;
    private final Messages messages;
    private final BorderPane root = new BorderPane();
    private final TableView<LayerRow> table = new TableView<>();
    private final TextField filter;
    private final CosineChart chart;
    private final HistogramChart histogram;
    private final javafx.beans.property.ObjectProperty<Double> thresholdValue;
    private final ObservableBooleanValue running;
    private final javafx.beans.value.ObservableValue<?> model;
    private boolean selecting;
    private List<Fitted> fitted = List.of();

    /**
     * @param vendor a vendor error_analysis.txt's numbers, shown as extra columns and chart series when loaded
     * @param rebuild what the Rebuild button does (the composition root wires it to the Compare view model)
     * @param running true while a background task (the analysis) runs, for the empty table's text
     * @param model the project's model, null before one is opened, for the empty table's text
     */
    public LayersView(LayersViewModel vm, VendorViewModel vendor, Messages messages, Runnable rebuild,
            ObservableBooleanValue running, javafx.beans.value.ObservableValue<?> model) {
        this.vm = vm;
        this.vendor = vendor;
        this.messages = messages;
        this.running = running;
        this.model = model;
        this.filter = TextFields.createClearableTextField();
        this.thresholdValue = vm.thresholdProperty().asObject();
        this.chart = new CosineChart(vm, vendor, messages);
        this.histogram = new HistogramChart(vm, messages);
        root.getStyleClass().add("layers-view");
        root.setTop(toolbar(rebuild));
        buildTable();
        SplitPane charts = new SplitPane(chart.node(), histogram.viewer());
        charts.setDividerPositions(0.62);
        SplitPane main = new SplitPane(table, charts);
        main.setOrientation(Orientation.VERTICAL);
        main.setDividerPositions(0.5);
        root.setCenter(main);
        selectInTable(vm.selectedLayerProperty().get());
    }

    public Node node() {
        return root;
    }

    public TableView<LayerRow> table() {
        return table;
    }

    public void focusFilter() {
        filter.requestFocus();
        filter.selectAll();
    }

    /** The chart, for PNG export. */
    public org.jfree.chart.JFreeChart cosineChart() {
        return chart.chart();
    }

    public org.jfree.chart.JFreeChart histogramChart() {
        return histogram.chart();
    }

    /** The chart's viewer and where a layer's bar is drawn in it; lets UI tests click a bar. */
    public org.jfree.chart.fx.ChartViewer chartViewer() {
        return chart.viewer();
    }

    public java.awt.geom.Rectangle2D barBounds(String layer) {
        return chart.barBounds(layer);
    }

    /**
     * How many times the cosine chart and the histogram have been drawn for changes to them (a
     * resize not counted), in that order; lets UI tests check one event makes one drawing.
     */
    public int[] chartDrawings() {
        return new int[] {chart.draws(), histogram.draws()};
    }

    /** The layers the chart shows now (all, or the zoomed window of them), left to right; lets UI tests follow zoom and pan. */
    public List<String> chartLayers() {
        return chart.shownLayers();
    }

    /** Where the chart draws its threshold line, on the cosine scale; lets UI tests check it follows the spinner. */
    public double chartThreshold() {
        return chart.thresholdLineValue();
    }

    /**
     * The toolbar in two groups that wrap onto a second line when the window is narrow, so that
     * nothing hides behind an overflow menu: settings on the left, the count, the hybrid's result
     * and Rebuild on the right.
     */
    private javafx.scene.layout.Pane toolbar(Runnable rebuild) {
        filter.setPromptText(messages.get("layers.filter"));
        filter.setId("layer-filter");
        filter.setPrefColumnCount(13);
        filter.textProperty().bindBidirectional(vm.filterProperty());

        Spinner<Double> threshold = new Spinner<>();
        SpinnerValueFactory.DoubleSpinnerValueFactory f = new SpinnerValueFactory.DoubleSpinnerValueFactory(0, 1, 
                vm.thresholdProperty().get(), 0.001);
        f.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double d) {
                return d == null ? "" : String.format(Locale.ROOT, "%.3f", d);
            }

            @Override
            public Double fromString(String s) {
                try {
                    return Double.valueOf(s.strip().replace(',', '.'));
                } catch (NumberFormatException e) {
                    return vm.thresholdProperty().get();
                }
            }
        });
        threshold.setValueFactory(f);
        threshold.setEditable(true);
        threshold.setPrefWidth(95);
        threshold.setId("threshold");
        // asObject() makes a new property that the bidirectional binding holds only weakly: kept in a
        // field, or the garbage collector silently cuts the spinner off from the view model
        f.valueProperty().bindBidirectional(thresholdValue);
        // a typed value counts when the user leaves the field, not only on Enter
        threshold.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                threshold.commitValue();
            }
        });

        ComboBox<QuantType> promote = new ComboBox<>(vm.promotionChoices());
        promote.valueProperty().bindBidirectional(vm.promoteTypeProperty());
        // the long config names would crowd the toolbar; the table shows them in full
        promote.setConverter(new StringConverter<>() {
            @Override
            public String toString(QuantType t) {
                return t == null ? "" : t.qtype();
            }

            @Override
            public QuantType fromString(String s) {
                return promote.getItems().stream().filter(t -> t.qtype().equals(s)).findFirst().orElse(null);
            }
        });

        CheckBox sorted = new CheckBox(messages.get("layers.sorted"));
        sorted.selectedProperty().bindBidirectional(vm.chartSortedProperty());
        sorted.setId("chart-sorted");

        Label count = new Label();
        count.setId("unfriendly-count");
        count.getStyleClass().add("unfriendly-count");
        count.textProperty().bind(vm.unfriendlyCountProperty().asString().map(n -> messages.get("layers.unfriendly", n)));
        // no rows yet: "0 under the threshold" would read as a verdict
        count.visibleProperty().bind(Bindings.isNotEmpty(vm.rows()));
        count.pseudoClassStateChanged(NONE, vm.unfriendlyCountProperty().get() == 0);
        vm.unfriendlyCountProperty().addListener((o, was, now) -> count.pseudoClassStateChanged(NONE, now.intValue() == 0));

        Button rebuildButton = new Button(messages.get("layers.rebuild"));
        rebuildButton.setId("rebuild");
        rebuildButton.setOnAction(e -> rebuild.run());
        rebuildButton.getStyleClass().add("accent");

        Label hybrid = new Label();
        hybrid.setId("hybrid-status");
        hybrid.getStyleClass().add("hybrid-status");
        hybrid.textProperty().bind(vm.hybridStatusProperty().map(t -> t.isEmpty() ? messages.get("layers.hybrid.none") : t));
        hybrid.pseudoClassStateChanged(IDLE, vm.hybridStatusProperty().get().isEmpty());
        vm.hybridStatusProperty().addListener((o, was, now) -> hybrid.pseudoClassStateChanged(IDLE, now.isEmpty()));
        // in place from the start, at one width whatever it says (shown from the run on): the first hybrid's
        // line, or the run's rows, would otherwise wrap the toolbar onto another line in the frame that shows
        // them, moving the table and both charts (laid out and drawn again, ~60 ms of the frame on the sample)
        hybrid.visibleProperty().bind(Bindings.isNotEmpty(vm.rows()));
        hybrid.fontProperty().addListener((o, was, now) -> keepWidth(hybrid));
        hybrid.paddingProperty().addListener((o, was, now) -> keepWidth(hybrid));
        hybrid.setTooltip(new javafx.scene.control.Tooltip(messages.get("layers.hybrid.tip")));

        filter.setMinWidth(110);
        for (javafx.scene.control.Control c : new javafx.scene.control.Control[] {threshold, promote, sorted, count, rebuildButton}) {
            c.setMinWidth(Region.USE_PREF_SIZE);
        }
        Label thresholdLabel = new Label(messages.get("layers.threshold"));
        Label promoteLabel = new Label(messages.get("layers.promoteTo"));
        thresholdLabel.setMinWidth(Region.USE_PREF_SIZE);
        promoteLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox thresholdGroup = new HBox(6, thresholdLabel, threshold);
        thresholdGroup.setAlignment(Pos.CENTER_LEFT);
        HBox promoteGroup = new HBox(6, promoteLabel, promote);
        promoteGroup.setAlignment(Pos.CENTER_LEFT);
        // one item a child, so a narrow window wraps item by item and never pushes Rebuild out of sight
        javafx.scene.layout.FlowPane bar = new javafx.scene.layout.FlowPane(14, 4, filter, thresholdGroup, promoteGroup, sorted,
                count, hybrid, rebuildButton);
        bar.setRowValignment(javafx.geometry.VPos.CENTER);
        bar.setMinWidth(0);
        bar.setId("layers-toolbar");
        bar.getStyleClass().add("layers-toolbar");
        bar.setPadding(new Insets(5, 8, 5, 8));
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    /** Sizes the hybrid's line for the longest thing it can say, in the font and padding the stylesheet gave it. */
    private void keepWidth(Label hybrid) {
        TextWidths widths = new TextWidths();
        double text = 0;
        for (String s : List.of(messages.get("layers.hybrid.status", 9999, -0.9999, 100.0),
                messages.get("layers.hybrid.statusNoClass", 9999, -0.9999), messages.get("layers.hybrid.none"))) {
            text = Math.max(text, widths.of(s, hybrid.getFont()));
        }
        double width = Math.ceil(text + hybrid.getPadding().getLeft() + hybrid.getPadding().getRight() + 2);
        hybrid.setMinWidth(width);
        hybrid.setPrefWidth(width);
        hybrid.setMaxWidth(width);
    }

    private void buildTable() {
        table.setId("layer-table");
        table.setEditable(true);
        Label placeholder = new Label();
        placeholder.setId("layers-placeholder");
        placeholder.setWrapText(true);
        placeholder.getStyleClass().add("hint");
        placeholder.textProperty().bind(Bindings.createStringBinding(() -> {
            if (!vm.rows().isEmpty()) {
                return messages.get("layers.noMatch", vm.filterProperty().get() == null ? "" : vm.filterProperty().get().strip());
            }
            if (running.get()) {
                return messages.get("layers.running");
            }
            // with no model Run is disabled: say what comes first
            return model.getValue() == null ? messages.get("layers.noModel") : messages.get("layers.empty");
        }, vm.rows(), vm.filterProperty(), running, model));
        table.setPlaceholder(placeholder);
        // the short columns are as wide as their content needs (see fitColumns); the Layer column takes what is left
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);

        TableColumn<LayerRow, Boolean> promote = new TableColumn<>(messages.get("layers.col.promote"));
        promote.setId("col-promote");
        promote.setCellValueFactory(c -> c.getValue().promotedProperty());
        promote.setCellFactory(CheckBoxTableCell.forTableColumn(promote));
        promote.setEditable(true);

        TableColumn<LayerRow, Integer> index = new TableColumn<>(messages.get("layers.col.index"));
        index.setId("col-index");
        index.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().index()));
        index.setEditable(false);

        TableColumn<LayerRow, String> name = text(messages.get("layers.col.layer"), LayerRow::name);
        name.setId("col-layer");
        // long graph names ("/model.22/cv3.2/cv3.2.2/Conv") differ at both ends: cut the middle, the tooltip has all
        name.setCellFactory(c -> new TooltipCell<>(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS));
        name.setMinWidth(100);
        name.setPrefWidth(220);
        TableColumn<LayerRow, String> op = text(messages.get("layers.col.op"), LayerRow::op);
        op.setId("col-op");
        TableColumn<LayerRow, String> shape = text(messages.get("layers.col.shape"), LayerRow::shape);
        shape.setId("col-shape");

        TableColumn<LayerRow, QuantType> dtype = new TableColumn<>(messages.get("layers.col.dtype"));
        dtype.setId("col-dtype");
        dtype.setCellValueFactory(c -> c.getValue().typeProperty());
        // the short name ("u8", "i16", "float16") names the type as well as the config's long one, which the tooltip gives
        StringConverter<QuantType> shortName = new StringConverter<>() {
            @Override
            public String toString(QuantType t) {
                return t == null ? "" : t.qtype();
            }

            @Override
            public QuantType fromString(String s) {
                return LayersViewModel.rowTypes().stream().filter(t -> t.qtype().equals(s)).findFirst().orElse(null);
            }
        };
        dtype.setCellFactory(c -> new ComboBoxTableCell<>(shortName, FXCollections.observableArrayList(LayersViewModel.rowTypes())) {
            private final HoverTip tip = new HoverTip(this);

            @Override
            public void updateItem(QuantType t, boolean empty) {
                super.updateItem(t, empty);
                tip.setText(empty || t == null ? null : t.configName());
            }
        });
        dtype.setEditable(true);

        TableColumn<LayerRow, Double> individual = number(messages.get("layers.col.individual"), LayerRow::individualCosine, "%.6f");
        individual.setId("col-individual");
        TableColumn<LayerRow, Double> entire = number(messages.get("layers.col.entire"), LayerRow::entireCosine, "%.6f");
        entire.setId("col-entire");
        TableColumn<LayerRow, Double> euclid = number(messages.get("layers.col.euclidean"), LayerRow::euclidean, "%.4f");
        euclid.setId("col-euclidean");
        TableColumn<LayerRow, Double> hybridEntire = number(messages.get("layers.col.hybridEntire"),
                r -> vm.hybridEntireProperty().get().getOrDefault(r.name(), Double.NaN), "%.6f");
        hybridEntire.setId("col-hybrid-entire");
        // shown once a rebuild has measured the hybrid; the cells read the map, so redraw when it changes
        hybridEntire.visibleProperty().bind(vm.hybridEntireProperty().map(m -> !m.isEmpty()));
        vm.hybridEntireProperty().addListener((o, was, now) -> table.refresh());
        explain(hybridEntire, "layers.chart.hybridTip");
        explain(individual, "layers.chart.individualTip");
        explain(entire, "layers.chart.entireTip");
        explain(euclid, "layers.col.euclideanTip");

        table.getColumns().setAll(List.of(promote, index, name, op, shape, dtype, individual, entire, hybridEntire, euclid));
        table.getColumns().add(vendorColumns());

        fitted = List.of(new Fitted(promote, r -> "", 0, 20),
                new Fitted(index, r -> Integer.toString(r.index()), 0, 0), new Fitted(op, LayerRow::op, 170, 0),
                new Fitted(shape, LayerRow::shape, 150, 0), new Fitted(dtype, r -> LONGEST_TYPE, 0, 12),
                new Fitted(individual, r -> "0.000000", 0, 0), new Fitted(entire, r -> "0.000000", 0, 0),
                new Fitted(hybridEntire, r -> "0.000000", 0, 0),
                new Fitted(euclid, r -> String.format(Locale.ROOT, "%.4f", r.euclidean()), 0, 0));
        // the vendor's columns size themselves to their header group (see vendorColumns)
        // widths follow the rows (a model's op names and shapes) and the fonts the stylesheet gives, known once shown
        vm.rows().addListener((javafx.collections.ListChangeListener<LayerRow>) c -> {
            // in the same event as the rows: the table is laid out once, at its fitted widths
            fitColumns();
            // new rows (a run again) clear the table's selection: the layer still selected is selected again
            selectInTable(vm.selectedLayerProperty().get());
        });
        // a rebuilt view (another language) fits its columns and finds its selected row once it is in the window
        table.sceneProperty().addListener((o, was, now) -> javafx.application.Platform.runLater(() -> {
            fitColumns();
            scrollToSelection();
        }));

        SortedList<LayerRow> sorted = new SortedList<>(vm.filteredRows());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        restoreSort();
        // the sort lives in the view model, so a rebuilt view (another language) sorts the same way
        table.getSortOrder().addListener((javafx.collections.ListChangeListener<TableColumn<LayerRow, ?>>) c -> keepSort());
        for (TableColumn<LayerRow, ?> c : table.getColumns()) {
            c.sortTypeProperty().addListener((o, was, now) -> keepSort());
        }

        table.setRowFactory(t -> new TableRow<>() {
            private final javafx.beans.value.ChangeListener<Boolean> refresh = (o, was, now) -> updateStates();

            @Override
            protected void updateItem(LayerRow item, boolean empty) {
                LayerRow old = getItem();
                if (old != null) {
                    old.unfriendlyProperty().removeListener(refresh);
                    old.promotedProperty().removeListener(refresh);
                }
                super.updateItem(item, empty);
                if (item != null && !empty) {
                    item.unfriendlyProperty().addListener(refresh);
                    item.promotedProperty().addListener(refresh);
                }
                updateStates();
            }

            private void updateStates() {
                LayerRow item = getItem();
                pseudoClassStateChanged(UNFRIENDLY, item != null && item.isUnfriendly());
                pseudoClassStateChanged(PROMOTED, item != null && item.isPromoted());
            }
        });

        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && !selecting) {
                selecting = true;
                try {
                    vm.selectedLayerProperty().set(now.name());
                } finally {
                    selecting = false;
                }
            }
        });
        vm.selectedLayerProperty().addListener((o, was, now) -> selectInTable(now));
        // after a re-sort, and when the window first settles its size, the selected layer stays in view
        table.comparatorProperty().addListener((o, was, now) -> scrollToSelection());
        // (a new height arrives in the middle of a layout: scrolled after it)
        table.heightProperty().addListener((o, was, now) -> javafx.application.Platform.runLater(this::scrollToSelection));

        // Space ticks the selected row, the keyboard twin of clicking its box
        table.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.SPACE && table.getEditingCell() == null) {
                LayerRow r = table.getSelectionModel().getSelectedItem();
                if (r != null) {
                    vm.toggle(r.name());
                    e.consume();
                }
            }
        });
    }

    /** A header that says what its column measures when the pointer rests on it. */
    private void explain(TableColumn<LayerRow, ?> column, String tipKey) {
        Label header = new Label(column.getText());
        header.setTooltip(new javafx.scene.control.Tooltip(messages.get(tipKey)));
        header.getTooltip().setWrapText(true);
        header.getTooltip().setMaxWidth(360);
        header.setMaxWidth(Double.MAX_VALUE);
        column.setText(null);
        column.setGraphic(header);
    }

    private void keepSort() {
        vm.sortOrderProperty().setAll(table.getSortOrder().stream()
                .map(c -> new LayersViewModel.SortKey(c.getId(), c.getSortType() == TableColumn.SortType.ASCENDING)).toList());
    }

    private void restoreSort() {
        List<TableColumn<LayerRow, ?>> order = new java.util.ArrayList<>();
        for (LayersViewModel.SortKey k : List.copyOf(vm.sortOrderProperty())) {
            table.getColumns().stream().filter(c -> k.column().equals(c.getId())).findFirst().ifPresent(c -> {
                c.setSortType(k.ascending() ? TableColumn.SortType.ASCENDING : TableColumn.SortType.DESCENDING);
                order.add(c);
            });
        }
        table.getSortOrder().setAll(order);
    }

    private void selectInTable(String layer) {
        if (selecting || layer == null) {
            return;
        }
        for (int i = 0; i < table.getItems().size(); i++) {
            if (table.getItems().get(i).name().equals(layer)) {
                selecting = true;
                try {
                    table.getSelectionModel().clearAndSelect(i);
                } finally {
                    selecting = false;
                }
                scrollToSelection();
                return;
            }
        }
    }

    /**
     * Brings the selected row into view, a few rows from the top, now: rows have one fixed height
     * (workbench.css), so the table places the row without measuring any, and the frame that shows
     * a run's rows lays out the rows around the selected layer, not the top rows first and these a
     * frame later. A table that has not been laid out with rows yet does not know its height and
     * can land some rows short: checked once the frame is laid out, and put right in that frame.
     */
    private void scrollToSelection() {
        int i = table.getSelectionModel().getSelectedIndex();
        if (i < 0) {
            return;
        }
        table.scrollTo(Math.max(0, i - 3));
        javafx.scene.Scene scene = table.getScene();
        if (scene == null) {
            return;
        }
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            int now = table.getSelectionModel().getSelectedIndex();
            if (now >= 0 && !rowInView(now)) {
                table.scrollTo(Math.max(0, now - 3));
                table.layout();
            }
        };
        scene.addPostLayoutPulseListener(once[0]);
    }

    /** Whether row {@code index} is wholly on screen (a row at the table's edge may be cut by it). */
    private boolean rowInView(int index) {
        if (!(table.lookup(".virtual-flow") instanceof javafx.scene.control.skin.VirtualFlow<?> flow)) {
            return true;
        }
        javafx.scene.control.IndexedCell<?> cell = flow.getVisibleCell(index);
        if (cell == null) {
            return false;
        }
        javafx.geometry.Bounds row = cell.localToScene(cell.getBoundsInLocal());
        javafx.geometry.Bounds shown = flow.localToScene(flow.getLayoutBounds());
        return row.getMinY() >= shown.getMinY() - 0.5 && row.getMaxY() <= shown.getMaxY() + 0.5;
    }

    /**
     * The vendor's cosines for each layer under one header, hidden until a file is imported: the
     * simulator's and the board's entire cosine (the pair users set side by side), and on request
     * (the header's context menu, kept in the view model) the single-layer ones. Short headers
     * with the full names in tooltips and four decimals keep them readable in a 1024 px window.
     */
    private TableColumn<LayerRow, Double> vendorColumns() {
        TableColumn<LayerRow, Double> group = new TableColumn<>(messages.get("layers.col.vendor"));
        group.setId("col-vendor");
        TableColumn<LayerRow, Double> simEntire = vendorColumn("col-vendor-sim-entire", "layers.col.vendorSimEntire",
                r -> vendor.cells(r.name()).simulatorEntire());
        TableColumn<LayerRow, Double> boardEntire = vendorColumn("col-board-entire", "layers.col.boardEntire",
                r -> vendor.cells(r.name()).boardEntire());
        TableColumn<LayerRow, Double> simSingle = vendorColumn("col-vendor-sim-single", "layers.col.vendorSimSingle",
                r -> vendor.cells(r.name()).simulatorSingle());
        TableColumn<LayerRow, Double> boardSingle = vendorColumn("col-board-single-sim", "layers.col.boardSingleSim",
                r -> vendor.cells(r.name()).boardSingleSim());
        group.getColumns().setAll(List.of(simEntire, boardEntire, simSingle, boardSingle));
        // a nested header shows its text but not a graphic label in place of it: the text stays, a ▾ opens the menu
        Label more = new Label("\u25be");
        more.setId("col-vendor-header");
        more.setTooltip(new javafx.scene.control.Tooltip(messages.get("layers.col.vendor.tip")));
        more.getTooltip().setWrapText(true);
        more.getTooltip().setMaxWidth(360);
        group.setGraphic(more);

        javafx.scene.control.CheckMenuItem singles = new javafx.scene.control.CheckMenuItem(messages.get("layers.col.vendor.singles"));
        singles.setId("vendor-singles");
        singles.setMnemonicParsing(false);
        singles.selectedProperty().bindBidirectional(vendor.showSinglesProperty());
        javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(singles);
        group.setContextMenu(menu);
        group.getColumns().forEach(c -> c.setContextMenu(menu));
        more.setOnMouseClicked(e -> {
            if (!menu.isShowing()) {
                menu.show(more, e.getScreenX(), e.getScreenY());
            }
            e.consume();
        });

        // set, not bound: a header column passes its visibility down to the columns under it
        Runnable show = () -> {
            boolean loaded = vendor.loadedProperty().get();
            boolean board = vendor.hasBoardProperty().get();
            boolean single = vendor.showSinglesProperty().get();
            group.setVisible(loaded);
            if (loaded) {
                simEntire.setVisible(true);
                boardEntire.setVisible(board);
                simSingle.setVisible(single);
                boardSingle.setVisible(single && board);
                // alone (a simulator-only file), the column is as wide as the header over it needs
                double alone = new javafx.scene.text.Text(group.getText()).getLayoutBounds().getWidth() + 36;
                simEntire.setPrefWidth(board || single ? 70 : Math.max(70, alone));
                simEntire.setMinWidth(board || single ? 56 : Math.max(56, alone));
            }
        };
        show.run();
        vendor.showSinglesProperty().addListener((o, was, now) -> show.run());
        // the cells read the view model when drawn: a new file or run redraws them
        vendor.versionProperty().addListener((o, was, now) -> {
            show.run();
            table.refresh();
        });
        return group;
    }

    /** A vendor column: a short header ({@code key.short}), the full name and what it measures in its tooltip. */
    private TableColumn<LayerRow, Double> vendorColumn(String id, String key, java.util.function.ToDoubleFunction<LayerRow> cell) {
        TableColumn<LayerRow, Double> c = number(messages.get(key + ".short"), cell, "%.4f");
        c.setId(id);
        c.setPrefWidth(70);
        c.setMinWidth(56);
        explain(c, key + ".tip");
        return c;
    }

    private static TableColumn<LayerRow, String> text(String title, java.util.function.Function<LayerRow, String> getter) {
        TableColumn<LayerRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(getter.apply(d.getValue())));
        c.setCellFactory(col -> new TooltipCell<>(javafx.scene.control.OverrunStyle.ELLIPSIS));
        c.setEditable(false);
        return c;
    }

    /** A text cell that shows its whole text in a tooltip, for the columns that can be too narrow for a long value. */
    private static final class TooltipCell<T> extends TableCell<LayerRow, T> {
        private final HoverTip tip = new HoverTip(this);

        TooltipCell(javafx.scene.control.OverrunStyle overrun) {
            setTextOverrun(overrun);
        }

        @Override
        protected void updateItem(T value, boolean empty) {
            super.updateItem(value, empty);
            String text = empty || value == null ? null : value.toString();
            setText(text);
            tip.setText(text);
        }
    }

    /** A column fitted to its header and its widest cell; {@code cap} (0 for none) bounds the width it starts at. */
    private record Fitted(TableColumn<LayerRow, ?> column, java.util.function.Function<LayerRow, String> text, double cap,
            double extra) {
    }

    /**
     * Sets each short column's minimum to what its header and its widest cell need in the fonts
     * the stylesheet gave the table, so a narrow window narrows the Layer column instead and no
     * number, shape or type is cut to "…". Columns with a cap (op names, shapes) may go below
     * their widest cell: those cells carry a tooltip.
     */
    private void fitColumns() {
        if (table.getScene() == null) {
            return;
        }
        table.applyCss();
        // before the first rows have cells, the placeholder has the font the cells will inherit: no layout just to measure
        javafx.scene.text.Font cellFont = table.lookupAll(".table-cell").stream()
                .filter(javafx.scene.control.Labeled.class::isInstance).map(n -> ((javafx.scene.control.Labeled) n).getFont())
                .findFirst().orElse(table.getPlaceholder() instanceof Label l ? l.getFont() : javafx.scene.text.Font.getDefault());
        javafx.scene.text.Font headerFont = table.lookupAll(".column-header .label").stream()
                .filter(javafx.scene.control.Labeled.class::isInstance).map(n -> ((javafx.scene.control.Labeled) n).getFont())
                .findFirst().orElse(cellFont);
        // headers are measured bold: some themes draw them so, and a sort arrow needs room beside the title
        javafx.scene.text.Font bold = javafx.scene.text.Font.font(headerFont.getFamily(), javafx.scene.text.FontWeight.BOLD,
                headerFont.getSize());
        TextWidths widths = new TextWidths();
        for (Fitted f : fitted) {
            double cells = 0;
            for (LayerRow r : vm.rows()) {
                cells = Math.max(cells, widths.of(f.text().apply(r), cellFont));
            }
            String title = f.column().getText() != null ? f.column().getText()
                    : f.column().getGraphic() instanceof Label l ? l.getText() : "";
            double header = widths.of(title, bold) + 18;
            double need = Math.ceil(Math.max(header, cells + 10 + f.extra()));
            double width = f.cap() > 0 ? Math.min(need, Math.max(header, f.cap())) : need;
            f.column().setMinWidth(width);
            f.column().setPrefWidth(width);
            f.column().setMaxWidth(width);
        }
        // the policy shares out the width only when something tells it to: the Layer column takes the rest now
        var policy = table.getColumnResizePolicy();
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.setColumnResizePolicy(policy);
    }

    /**
     * Text widths measured with one {@code Text} node, each distinct text and font once: a model's
     * op names and shapes repeat, and the number columns measure one sample text for every row
     * (a node per cell was some 1,300 nodes for the sample, made while the table waited to show).
     */
    static final class TextWidths {
        private final javafx.scene.text.Text probe = new javafx.scene.text.Text();
        private final java.util.Map<javafx.scene.text.Font, java.util.Map<String, Double>> known = new java.util.HashMap<>();

        double of(String s, javafx.scene.text.Font font) {
            if (s == null || s.isEmpty()) {
                return 0;
            }
            return known.computeIfAbsent(font, f -> new java.util.HashMap<>()).computeIfAbsent(s, t -> {
                probe.setFont(font);
                probe.setText(t);
                return probe.getLayoutBounds().getWidth();
            });
        }
    }

    private static TableColumn<LayerRow, Double> number(String title, java.util.function.ToDoubleFunction<LayerRow> getter,
            String format) {
        TableColumn<LayerRow, Double> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(getter.applyAsDouble(d.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null || v.isNaN() ? null : String.format(Locale.ROOT, format, v));
                setAlignment(Pos.CENTER_RIGHT);
            }
        });
        c.setPrefWidth(105);
        c.setEditable(false);
        return c;
    }
}
