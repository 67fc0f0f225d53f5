package dev.layerwise.app.layers;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.ErrorMessages;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.analysis.VendorAnalysis;
import dev.layerwise.core.analysis.VendorComparison;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * A vendor {@code error_analysis.txt} (RKNN-Toolkit2's {@code accuracy_analysis}) set beside the
 * Layers view: its simulator and board cosines per layer, matched by tensor name, for the table's
 * vendor columns and the chart's vendor series; the rows that name no layer for the notice. A new
 * run re-matches the loaded file. State on the FX thread; reading the file runs on the worker.
 */
public final class VendorViewModel {

    /**
     * One layer's vendor cosines; {@code NaN} where the file has none.
     *
     * @param simulatorSingle the layer alone in the vendor's simulator
     * @param simulatorEntire the whole quantized model up to the layer, simulator
     * @param boardEntire the whole model on the board ({@code runtime_error entire})
     * @param boardSingleSim the layer on the board fed the simulator's inputs ({@code single_sim})
     */
    public record Cells(double simulatorSingle, double simulatorEntire, double boardEntire, double boardSingleSim) {
        static final Cells NONE = new Cells(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private final Engine engine;
    private final TaskRunner runner;
    private final ErrorReporter errors;
    private final Messages messages;
    private final Consumer<String> announce;
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper hasBoard = new ReadOnlyBooleanWrapper(false);
    // bumps on every change of the numbers so that the table and chart redraw
    private final ReadOnlyIntegerWrapper version = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final javafx.beans.property.BooleanProperty showSingles = new javafx.beans.property.SimpleBooleanProperty(false);
    private final Map<String, Cells> cells = new HashMap<>();
    private Path file;

    /** @param announce shows a one-line notice (the workbench's notification bar) */
    public VendorViewModel(Engine engine, TaskRunner runner, ErrorReporter errors, Messages messages, Consumer<String> announce) {
        this.engine = engine;
        this.runner = runner;
        this.errors = errors;
        this.messages = messages;
        this.announce = announce;
    }

    /** Reads {@code f} and matches it against {@code run}'s layers. */
    public void load(Path f, RunResult run) {
        if (run == null) {
            errors.report(messages.get("error.runFirstVendor"), null);
            return;
        }
        runner.submit(BackgroundTask.of(messages.get("task.vendor", f.getFileName()), progress -> engine.vendorAnalysis(run.run(), f))
                .onSuccess(c -> {
                    file = f;
                    show(c);
                    announce.accept(summary.get());
                })
                .onAnyError(e -> errors.report(new ErrorMessages(messages).describe(e), e)));
    }

    /** Matches the loaded file against a new run's layers (nothing when none is loaded). */
    public void rematch(RunResult run) {
        if (file != null && run != null) {
            Path f = file;
            runner.submit(BackgroundTask.of(messages.get("task.vendor", f.getFileName()), progress -> engine.vendorAnalysis(run.run(), f))
                    .onSuccess(this::show)
                    .onAnyError(e -> clear()));
        }
    }

    /** Forgets the vendor file. */
    public void clear() {
        file = null;
        cells.clear();
        loaded.set(false);
        hasBoard.set(false);
        summary.set("");
        version.set(version.get() + 1);
    }

    void show(VendorComparison c) {
        cells.clear();
        for (VendorComparison.Line l : c.lines()) {
            VendorAnalysis.Row r = l.vendor();
            if (r != null) {
                cells.put(l.ours().name(), new Cells(cos(r.simulatorSingle()), cos(r.simulatorEntire()), cos(r.runtimeEntire()),
                        cos(r.runtimeSingleSim())));
            }
        }
        hasBoard.set(c.hasRuntime());
        loaded.set(true);
        String unmatched = c.unmatched().stream().limit(6).map(r -> "[" + r.op() + "] " + r.tensor())
                .collect(Collectors.joining(", ")) + (c.unmatched().size() > 6 ? ", \u2026" : "");
        summary.set(messages.get("vendor.summary", file == null ? "" : file.getFileName().toString(), c.matched(), c.lines().size())
                + (c.unmatched().isEmpty() ? "" : " \u00b7 " + messages.get("vendor.unmatched", c.unmatched().size(), unmatched)));
        version.set(version.get() + 1);
    }

    private static double cos(VendorAnalysis.Pair p) {
        return p == null ? Double.NaN : p.cos();
    }

    /** The vendor's cosines for {@code layer}; all NaN when the file has no row for it. */
    public Cells cells(String layer) {
        return cells.getOrDefault(layer, Cells.NONE);
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    /** True when the file has the board's ({@code runtime_error}) columns. */
    public ReadOnlyBooleanProperty hasBoardProperty() {
        return hasBoard.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty versionProperty() {
        return version.getReadOnlyProperty();
    }

    /**
     * True when the table also shows the vendor's single-layer cosines (simulator {@code single},
     * board {@code single_sim}); off by default, so that the entire cosines fit beside ours.
     */
    public javafx.beans.property.BooleanProperty showSinglesProperty() {
        return showSingles;
    }

    /** Matched and unmatched counts, for the notice and the toolbar. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
