package dev.layerwise.app.layers;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.ErrorMessages;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.LatestRequest;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.analysis.LayerReport;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.TensorRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The Layers view's state: one row per layer of the last run, the user's per-layer types, the
 * threshold that marks unfriendly layers, the filter, the chart order and the selected layer
 * with its histogram. The table and the chart both read and write this, which keeps them in
 * sync.
 */
public final class LayersViewModel {

    public static final double DEFAULT_THRESHOLD = 0.99;
    private static final int HISTOGRAM_BINS = 80;

    private final Messages messages;
    private final ErrorReporter errors;
    private final TaskRunner runner;
    private final LatestRequest histograms;

    private final ObservableList<LayerRow> rows = FXCollections.observableArrayList();
    private final FilteredList<LayerRow> filtered = new FilteredList<>(rows, r -> true);
    private final StringProperty filter = new SimpleStringProperty("");
    private final DoubleProperty threshold = new SimpleDoubleProperty(DEFAULT_THRESHOLD);
    private final ObjectProperty<QuantType> promoteType = new SimpleObjectProperty<>(QuantType.DYNAMIC_FIXED_POINT_I16);
    private final ObservableList<QuantType> promotionChoices = FXCollections.observableArrayList(promotionTypes(Toolkit.TOOLKIT1));
    private final BooleanProperty chartSorted = new SimpleBooleanProperty(false);
    private final StringProperty selectedLayer = new SimpleStringProperty();
    private final ObservableList<SortKey> sortOrder = FXCollections.observableArrayList();
    private final ObjectProperty<Map<String, Double>> hybridEntire = new SimpleObjectProperty<>(Map.of());
    private final StringProperty hybridStatus = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<HistogramModel> histogram = new ReadOnlyObjectWrapper<>();
    private final List<Consumer<TypeChange>> typeListeners = new ArrayList<>();
    // > 0 while several rows change at once: they make one event, not one per row
    private int batch;
    private final IntegerProperty unfriendlyCount = new SimpleIntegerProperty(0);
    private RunResult result;
    // the picks the next run's rows take, from a file being opened; null keeps the current picks
    private Map<String, QuantType> pendingTypes;
    // undo history of the user's picks: each entry is the picks before one change (a tick, tick
    // all, clear, auto-pick, a cfg); a new run keeps the history, as the picks survive it too
    private final java.util.Deque<Map<String, QuantType>> undo = new java.util.ArrayDeque<>();
    private final java.util.Deque<Map<String, QuantType>> redo = new java.util.ArrayDeque<>();
    private final BooleanProperty canUndo = new SimpleBooleanProperty(false);
    private final BooleanProperty canRedo = new SimpleBooleanProperty(false);
    private Map<String, QuantType> current = Map.of();
    private boolean restoring;
    // what was last saved or opened: the picks and threshold a workspace file holds
    private Map<String, QuantType> savedTypes = Map.of();
    private double savedThreshold = DEFAULT_THRESHOLD;
    private final BooleanProperty unsaved = new SimpleBooleanProperty(false);

    public LayersViewModel(TaskRunner runner, ErrorReporter errors, Messages messages) {
        this.runner = runner;
        this.errors = errors;
        this.messages = messages;
        this.histograms = new LatestRequest(runner);
        filter.addListener((o, was, now) -> applyFilter());
        threshold.addListener((o, was, now) -> {
            applyThreshold();
            updateUnsaved();
        });
        selectedLayer.addListener((o, was, now) -> updateHistogram());
    }

    /** Shows the layers of a finished run; keeps the user's picks for layers that still exist. */
    public void show(RunResult r) {
        boolean fromFile = pendingTypes != null;
        Map<String, QuantType> keep = new LinkedHashMap<>(fromFile ? pendingTypes : types());
        pendingTypes = null;
        this.result = r;
        QuantType dflt = r.analysis().dtype();
        List<LayerRow> made = new ArrayList<>();
        for (LayerReport l : r.analysis().layers()) {
            LayerRow row = new LayerRow(l.index(), l.name(), l.opLabel(), l.output(), l.shape(), l.individual().cosine(),
                    l.entire().cosine(), l.individual().euclidean(), dflt, promoteType::get);
            QuantType picked = keep.get(l.name());
            if (picked != null && picked != dflt) {
                row.typeProperty().set(picked);
            }
            row.updateThreshold(threshold.get());
            row.typeProperty().addListener((o, was, now) -> {
                if (batch == 0) {
                    fire(row.name(), now);
                }
                if (row.name().equals(selectedLayer.get())) {
                    updateHistogram();
                }
            });
            made.add(row);
        }
        rows.setAll(made);
        current = types();
        if (fromFile) {
            // the picks of a workspace just opened: as saved, as far as this model has those layers
            savedTypes = current;
        }
        unfriendlyCount.set((int) rows.stream().filter(LayerRow::isUnfriendly).count());
        if (selectedLayer.get() == null || row(selectedLayer.get()) == null) {
            selectedLayer.set(rows.stream().min(Comparator.comparingDouble(LayerRow::individualCosine))
                    .map(LayerRow::name).orElse(null));
        } else {
            updateHistogram();
        }
        fire(null, null);
    }

    /**
     * A change of layer types, carrying what changed and everything a rebuild needs.
     *
     * @param run the analysis run the rows show
     * @param layer the layer the user changed; {@code null} when many changed at once (a new run,
     *     a cfg or workspace applied, tick all, clear)
     * @param type the layer's new type; {@code null} with {@code layer}
     * @param picks every layer type that differs from the default, by layer name, after the change
     */
    public record TypeChange(RunResult run, String layer, QuantType type, Map<String, QuantType> picks) {
        public TypeChange {
            picks = Collections.unmodifiableMap(new LinkedHashMap<>(picks));
        }
    }

    /** {@code listener} hears every change of layer types, on the FX thread. */
    public void onTypeChange(Consumer<TypeChange> listener) {
        typeListeners.add(listener);
    }

    private void fire(String layer, QuantType type) {
        Map<String, QuantType> now = types();
        if (layer != null || !now.equals(current)) {
            if (!restoring && result != null && !now.equals(current)) {
                undo.push(current);
                redo.clear();
            }
            current = now;
        }
        canUndo.set(!undo.isEmpty());
        canRedo.set(!redo.isEmpty());
        updateUnsaved();
        TypeChange c = new TypeChange(result, layer, type, now);
        for (Consumer<TypeChange> l : List.copyOf(typeListeners)) {
            l.accept(c);
        }
    }

    /** Takes back the last change of picks (a tick, tick all, clear, auto-pick or a cfg). */
    public void undo() {
        step(undo, redo);
    }

    /** Does again what {@link #undo} took back. */
    public void redo() {
        step(redo, undo);
    }

    private void step(java.util.Deque<Map<String, QuantType>> from, java.util.Deque<Map<String, QuantType>> to) {
        if (from.isEmpty() || rows.isEmpty()) {
            return;
        }
        Map<String, QuantType> target = from.pop();
        to.push(current);
        restoring = true;
        try {
            setTypes(target);
        } finally {
            restoring = false;
        }
        canUndo.set(!undo.isEmpty());
        canRedo.set(!redo.isEmpty());
    }

    /** {@code picks} and {@code threshold} are what the workspace file now holds. */
    public void markSaved(Map<String, QuantType> picks, double savedThreshold) {
        savedTypes = Map.copyOf(picks);
        this.savedThreshold = savedThreshold;
        updateUnsaved();
    }

    /** A workspace or model was opened: its picks and {@code threshold} are the saved state; history starts afresh. */
    public void markOpened(Map<String, QuantType> picks, double savedThreshold) {
        savedTypes = Map.copyOf(picks);
        this.savedThreshold = savedThreshold;
        undo.clear();
        redo.clear();
        canUndo.set(false);
        canRedo.set(false);
        updateUnsaved();
    }

    private void updateUnsaved() {
        unsaved.set(!types().equals(savedTypes) || Math.abs(threshold.get() - savedThreshold) > 1e-12);
    }

    /** Runs {@code change} over several rows and tells listeners once. */
    private void inBatch(Runnable change) {
        Map<String, QuantType> before = types();
        batch++;
        try {
            change.run();
        } finally {
            batch--;
        }
        if (!before.equals(types())) {
            fire(null, null);
        }
    }

    public LayerRow row(String name) {
        for (LayerRow r : rows) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** Flips a layer's tick (promote to the promotion type, or back to the default). */
    public void toggle(String name) {
        LayerRow r = row(name);
        if (r != null) {
            r.promotedProperty().set(!r.isPromoted());
        }
    }

    /** A bar was clicked: the layer is ticked (or unticked) and becomes the selection. */
    public void chartClicked(String name) {
        toggle(name);
        selectedLayer.set(name);
    }

    /** Ticks every layer under the threshold. */
    public void promoteUnfriendly() {
        inBatch(() -> {
            for (LayerRow r : rows) {
                if (r.isUnfriendly()) {
                    r.promotedProperty().set(true);
                }
            }
        });
    }

    public void clearPromotions() {
        inBatch(() -> {
            for (LayerRow r : rows) {
                r.promotedProperty().set(false);
            }
        });
    }

    /** The user's per-layer types that differ from the default, by layer name, in graph order. */
    public Map<String, QuantType> types() {
        Map<String, QuantType> out = new LinkedHashMap<>();
        for (LayerRow r : rows) {
            if (r.type() != r.defaultType()) {
                out.put(r.name(), r.type());
            }
        }
        return out;
    }

    /**
     * Sets per-layer types (from a workspace or a cfg). Layers not named go back to the default.
     * Before the first run they are kept and applied when the rows appear.
     */
    public void setTypes(Map<String, QuantType> wanted) {
        if (rows.isEmpty()) {
            pendingTypes = Map.copyOf(wanted);
            return;
        }
        inBatch(() -> {
            for (LayerRow r : rows) {
                r.typeProperty().set(wanted.getOrDefault(r.name(), r.defaultType()));
            }
        });
    }

    /** Types for the rows of the next {@link #show}, e.g. from a workspace being opened. */
    public void setPendingTypes(Map<String, QuantType> wanted) {
        pendingTypes = Map.copyOf(wanted);
    }

    /** The rows in the chart's order: the filtered rows, in graph order or by individual cosine. */
    public List<LayerRow> chartRows() {
        List<LayerRow> out = new ArrayList<>(filtered);
        if (chartSorted.get()) {
            out.sort(Comparator.comparingDouble(LayerRow::individualCosine).thenComparingInt(LayerRow::index));
        }
        return out;
    }

    private void applyFilter() {
        String f = filter.get() == null ? "" : filter.get().strip().toLowerCase(Locale.ROOT);
        filtered.setPredicate(f.isEmpty() ? r -> true
                : r -> r.name().toLowerCase(Locale.ROOT).contains(f) || r.op().toLowerCase(Locale.ROOT).contains(f)
                        || r.output().toLowerCase(Locale.ROOT).contains(f));
        // the histogram shows the selected layer: a layer the filter hides gives way to the worst one shown
        String selected = selectedLayer.get();
        if (selected == null || filtered.stream().noneMatch(r -> r.name().equals(selected))) {
            selectedLayer.set(filtered.stream().min(Comparator.comparingDouble(LayerRow::individualCosine))
                    .map(LayerRow::name).orElse(null));
        }
    }

    private void applyThreshold() {
        for (LayerRow r : rows) {
            r.updateThreshold(threshold.get());
        }
        unfriendlyCount.set((int) rows.stream().filter(LayerRow::isUnfriendly).count());
    }

    private void updateHistogram() {
        LayerRow row = selectedLayer.get() == null ? null : row(selectedLayer.get());
        RunResult r = result;
        if (row == null || r == null) {
            histogram.set(null);
            return;
        }
        float[] values = r.floatOutputs().get(row.output());
        if (values == null) {
            histogram.set(null);
            return;
        }
        QuantType t = row.type();
        QuantParams params = paramsFor(r, row, t);
        String name = row.name();
        histograms.submit(BackgroundTask.of(messages.get("task.histogram", name), progress -> {
            double lo = (params.qmin() - (double) params.zeroPoint()) * params.scale();
            double hi = (params.qmax() - (double) params.zeroPoint()) * params.scale();
            return HistogramModel.of(name, values, lo, hi, t, HISTOGRAM_BINS, calibrationChoice(r, row.output(), params));
        }).onSuccess(histogram::set).onAnyError(e -> errors.report(new ErrorMessages(messages).describe(e), e)));
    }

    /**
     * What the run's calibration chose for the range {@code params} were made from, against the
     * min/max it saw for {@code tensor}; {@code null} for float layers.
     */
    private static HistogramModel.CalibrationChoice calibrationChoice(RunResult r, String tensor, QuantParams params) {
        Calibration c = r.calibration();
        TensorRange seen = c.observed().get(tensor);
        if (seen == null || !params.type().isInteger()) {
            return null;
        }
        return new HistogramModel.CalibrationChoice(c.algorithm().configName(), params.min(), params.max(), seen.min(),
                seen.max(), c.clippedShare(tensor, params.min(), params.max()).orElse(Double.NaN),
                c.decisionTensors().contains(tensor));
    }

    private static QuantParams paramsFor(RunResult r, LayerRow row, QuantType t) {
        if (t == r.normalPlan().typeOf(row.name())) {
            return r.normalPlan().params(row.output());
        }
        if (!t.isInteger()) {
            return t == QuantType.FLOAT16 ? QuantParams.HALF : QuantParams.FLOAT;
        }
        // a promoted layer is quantized from the same calibrated range with more bits
        TensorRange range = r.calibration().ranges().get(row.output());
        QuantParams normal = r.normalPlan().params(row.output());
        return range != null ? QuantParams.forRange(t, range.min(), range.max())
                : QuantParams.forRange(t, normal.min(), normal.max());
    }

    /** Writes the visible rows as CSV (comma-separated, dot decimals, header row). */
    public void exportCsv(Path file) {
        List<LayerRow> snapshot = List.copyOf(filtered);
        runner.submit(BackgroundTask.of(messages.get("task.exportCsv", file.getFileName()), progress -> {
            AtomicFiles.writeString(file, csv(snapshot));
            return file;
        }).onAnyError(e -> errors.report(new ErrorMessages(messages).describe(e), e)));
    }

    static String csv(List<LayerRow> rows) {
        StringBuilder sb = new StringBuilder("index,layer,op,output,shape,dtype,individual_cosine,entire_cosine,euclidean\n");
        for (LayerRow r : rows) {
            sb.append(r.index()).append(',').append(quote(r.name())).append(',').append(quote(r.op())).append(',')
                    .append(quote(r.output())).append(',').append(r.shape()).append(',').append(r.type().configName())
                    .append(',').append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f", r.individualCosine(),
                            r.entireCosine(), r.euclidean()))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    public ObservableList<LayerRow> rows() {
        return rows;
    }

    /** The rows passing the filter, in graph order; the table sorts its own view of them. */
    public FilteredList<LayerRow> filteredRows() {
        return filtered;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    public ObjectProperty<QuantType> promoteTypeProperty() {
        return promoteType;
    }

    public BooleanProperty chartSortedProperty() {
        return chartSorted;
    }

    public StringProperty selectedLayerProperty() {
        return selectedLayer;
    }

    public ReadOnlyObjectProperty<HistogramModel> histogramProperty() {
        return histogram.getReadOnlyProperty();
    }

    public IntegerProperty unfriendlyCountProperty() {
        return unfriendlyCount;
    }

    /**
     * The hybrid model's entire cosine per layer (its output against float with the picks of the
     * last rebuild applied), by layer name; empty until a rebuild has measured it.
     */
    public ObjectProperty<Map<String, Double>> hybridEntireProperty() {
        return hybridEntire;
    }

    /** Shows the hybrid of a rebuild with {@code promoted} layers promoted in the toolbar's line; null clears it. */
    public void showHybrid(dev.layerwise.core.compare.ModelResult hybrid, int promoted) {
        // no picks: the hybrid is the normal model, which the count beside it already describes
        // a detector or segmenter has no class vector and so no top-1 to agree on
        hybridStatus.set(hybrid == null || promoted == 0 ? ""
                : !hybrid.hasClassVector() ? messages.get("layers.hybrid.statusNoClass", promoted, hybrid.vsFloat().cosine())
                : messages.get("layers.hybrid.status", promoted, hybrid.vsFloat().cosine(), hybrid.top1Agreement() * 100));
    }

    /** One line on the hybrid of the last rebuild (final cosine, top-1 agreement), empty before one. */
    public StringProperty hybridStatusProperty() {
        return hybridStatus;
    }

    /** One column of the table's sort: its id and direction. */
    public record SortKey(String column, boolean ascending) {
    }

    /** The table's sort, first key first; kept here so that a view rebuilt in another language sorts the same. */
    public ObservableList<SortKey> sortOrderProperty() {
        return sortOrder;
    }

    /** True when the picks or the threshold differ from the last saved or opened workspace. */
    public javafx.beans.value.ObservableBooleanValue unsavedProperty() {
        return unsaved;
    }

    public javafx.beans.value.ObservableBooleanValue canUndoProperty() {
        return canUndo;
    }

    public javafx.beans.value.ObservableBooleanValue canRedoProperty() {
        return canRedo;
    }

    public boolean hasResult() {
        return result != null;
    }

    /** Types a row may take. */
    public static List<QuantType> rowTypes() {
        return List.of(QuantType.values());
    }

    /**
     * What "Promote to" offers under a toolkit: int16, float16 (RKNN-Toolkit2's choice on
     * RK3588-class chips) and, for RKNN-Toolkit only, float32 — a Toolkit2 cfg has no float32
     * layer, so such a pick could not be exported.
     */
    public static List<QuantType> promotionTypes(Toolkit toolkit) {
        return toolkit == Toolkit.TOOLKIT2 ? List.of(QuantType.DYNAMIC_FIXED_POINT_I16, QuantType.FLOAT16)
                : List.of(QuantType.DYNAMIC_FIXED_POINT_I16, QuantType.FLOAT16, QuantType.FLOAT32);
    }

    /** The "Promote to" choices of the current toolkit (see {@link #useToolkit}); FX thread. */
    public ObservableList<QuantType> promotionChoices() {
        return promotionChoices;
    }

    /** Offers the toolkit's promotion types and picks its usual one: int16 for RKNN-Toolkit, float16 for RKNN-Toolkit2. */
    public void useToolkit(Toolkit toolkit) {
        promotionChoices.setAll(promotionTypes(toolkit));
        promoteType.set(toolkit == Toolkit.TOOLKIT2 ? QuantType.FLOAT16 : QuantType.DYNAMIC_FIXED_POINT_I16);
    }
}
