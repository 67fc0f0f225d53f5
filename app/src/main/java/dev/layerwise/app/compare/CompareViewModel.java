package dev.layerwise.app.compare;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.ErrorMessages;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.LatestRequest;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.analysis.OutputMetrics;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.engine.HybridComparison;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Builds the hybrid model from the user's per-layer types and compares float, normal and hybrid
 * top-5. A rebuild requested while one runs cancels it: only the newest picks matter. Device
 * results (from the Device view) become extra columns through {@link #setDeviceResults}; each
 * is compared with the host result of the same model from the {@link HostSnapshot} the device
 * run started from. A device column stays after a later rebuild, marked as older than the host
 * columns beside it; a new analysis run drops it.
 */
public final class CompareViewModel {

    /** How long the hybrid's per-layer measurement waits for a newer tick before it starts, in milliseconds. */
    static final long SETTLE_MILLIS = 300;

    private final Engine engine;
    private final Messages messages;
    private volatile long settleMillis = SETTLE_MILLIS;
    private final ErrorReporter errors;
    private final TaskRunner runner;
    private final LatestRequest rebuilds;
    private final LatestRequest profiles;
    private final javafx.beans.property.ReadOnlyObjectWrapper<Map<String, Double>> hybridEntire =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(Map.of());
    private final javafx.beans.property.ReadOnlyObjectWrapper<ModelResult> hybridResult =
            new javafx.beans.property.ReadOnlyObjectWrapper<>();

    private final ObservableList<CompareColumn> columns = FXCollections.observableArrayList();
    private final ObservableList<OutputRow> outputs = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper classVector = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyBooleanWrapper compared = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper promoted = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper deviceSection = new ReadOnlyStringWrapper("");
    private List<CompareColumn> hostColumns = List.of();
    private final ObservableList<Candidate> candidates = FXCollections.observableArrayList();
    private final LatestRequest candidateRuns;
    private List<DeviceResult> deviceResults = List.of();
    private HostSnapshot deviceBasis;
    private HostSnapshot current;
    private RunResult lastRun;
    private QuantPlan hybridPlan;
    private Rebuilt last;
    private Map<String, dev.layerwise.core.quant.QuantParams> paramOverrides = Map.of();

    public CompareViewModel(Engine engine, TaskRunner runner, ErrorReporter errors, Messages messages) {
        this.engine = engine;
        this.runner = runner;
        this.errors = errors;
        this.messages = messages;
        this.rebuilds = new LatestRequest(runner);
        // the per-layer measurement of a hybrid takes seconds and ORT cannot drop a session it is creating:
        // on its own worker, the next tick's comparison never waits behind an older tick's measurement
        this.profiles = new LatestRequest(runner.lane("layerwise-hybrid-layers"));
        this.candidateRuns = new LatestRequest(runner);
    }

    /**
     * A set of picks kept under a name ("3 × i16", "auto-pick 0.99"), shown as its own column beside
     * float, normal and the current hybrid. Immutable.
     *
     * @param result the candidate's hybrid measured on {@code run}'s input
     */
    public record Candidate(String name, Map<String, QuantType> picks, ModelResult result, RunResult run) {
        public Candidate {
            picks = Map.copyOf(picks);
        }
    }

    /** A name for the current picks: how many layers, promoted to what. */
    public String suggestCandidateName() {
        if (hybridPlan == null || hybridPlan.promotedLayers().isEmpty()) {
            return messages.get("compare.candidate.none");
        }
        java.util.Set<String> types = new java.util.TreeSet<>();
        hybridPlan.promotedLayers().forEach(l -> types.add(hybridPlan.typeOf(l).qtype()));
        return hybridPlan.promotedLayers().size() + " \u00d7 " + String.join("+", types);
    }

    /** Keeps the last rebuild's picks and result under {@code name}; a candidate of the same name is replaced. */
    public void keepCandidate(String name) {
        if (last == null || name == null || name.isBlank()) {
            return;
        }
        Map<String, QuantType> picks = new java.util.LinkedHashMap<>();
        last.hybrid().promotedLayers().forEach(l -> picks.put(l, last.hybrid().typeOf(l)));
        Candidate c = new Candidate(name.strip(), picks, last.result().hybridModel(), last.run());
        int at = indexOf(c.name());
        if (at >= 0) {
            candidates.set(at, c);
        } else {
            candidates.add(c);
        }
        refresh();
    }

    public void removeCandidate(String name) {
        int at = indexOf(name);
        if (at >= 0) {
            candidates.remove(at);
            refresh();
        }
    }

    private int indexOf(String name) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The kept candidates, in the order they were kept. */
    public ObservableList<Candidate> candidates() {
        return candidates;
    }

    /** The picks of the candidate shown in column {@code columnId}, or null. */
    public Candidate candidateOf(String columnId) {
        if (!columnId.startsWith(CANDIDATE)) {
            return null;
        }
        int i = Integer.parseInt(columnId.substring(CANDIDATE.length()));
        return i < candidates.size() ? candidates.get(i) : null;
    }

    /**
     * The named sets of picks worth measuring over the dataset, by column id in column order: the
     * current hybrid's when it promotes anything, then every kept candidate's. Empty before a comparison.
     */
    public Map<String, Map<String, QuantType>> pickSets() {
        Map<String, Map<String, QuantType>> sets = new java.util.LinkedHashMap<>();
        if (hybridPlan != null && !hybridPlan.promotedLayers().isEmpty()) {
            Map<String, QuantType> picks = new java.util.LinkedHashMap<>();
            hybridPlan.promotedLayers().forEach(l -> picks.put(l, hybridPlan.typeOf(l)));
            sets.put(Comparison.HYBRID, picks);
        }
        for (int i = 0; i < candidates.size(); i++) {
            sets.put(CANDIDATE + i, candidates.get(i).picks());
        }
        return sets;
    }

    /** The analysis run of the last comparison, or null before one. */
    public RunResult lastRun() {
        return lastRun;
    }

    /** Hand-set tensor parameters from an imported cfg, applied to every rebuild. */
    public Map<String, dev.layerwise.core.quant.QuantParams> paramOverrides() {
        return paramOverrides;
    }

    /** True once a comparison has been shown (there are picks to keep as a candidate). */
    public ReadOnlyBooleanProperty comparedProperty() {
        return compared.getReadOnlyProperty();
    }

    /** A new analysis run: each candidate is measured again on it, so its column compares like with like. */
    private void remeasureCandidates(RunResult run) {
        List<Candidate> stale = candidates.stream().filter(c -> c.run() != run).toList();
        if (stale.isEmpty()) {
            return;
        }
        Map<String, dev.layerwise.core.quant.QuantParams> params = paramOverrides;
        candidateRuns.submit(BackgroundTask.of(messages.get("task.candidates", stale.size()), progress -> {
            List<Candidate> fresh = new ArrayList<>();
            for (Candidate c : stale) {
                progress.checkCancelled();
                fresh.add(new Candidate(c.name(), c.picks(), engine.rebuild(run.run(), c.picks(), params, progress).hybridModel(),
                        run));
            }
            return fresh;
        }).onSuccess(fresh -> {
            for (Candidate c : fresh) {
                int at = indexOf(c.name());
                if (at >= 0) {
                    candidates.set(at, c);
                }
            }
            refresh();
        }).onAnyError(e -> errors.report(new ErrorMessages(messages).describe(e), e)));
    }

    /** Plans the hybrid model with {@code types} and compares it with the float and normal ones. */
    public void rebuild(RunResult run, Map<String, QuantType> types) {
        if (run == null) {
            return;
        }
        Map<String, QuantType> picks = Map.copyOf(types);
        Map<String, dev.layerwise.core.quant.QuantParams> params = paramOverrides;
        profiles.cancel();
        rebuilds.submit(BackgroundTask.of(messages.get("task.rebuild", picks.size()),
                        progress -> new Rebuilt(run, engine.rebuild(run.run(), picks, params, progress)))
                .onSuccess(this::apply).onAnyError(e -> errors.report(new ErrorMessages(messages).describe(e), e)));
    }

    private record Rebuilt(RunResult run, HybridComparison result) {
        QuantPlan hybrid() {
            return result.hybrid();
        }

        Comparison comparison() {
            return result.comparison();
        }
    }

    /**
     * What the host columns were made from, for a device run to push the same models and compare
     * with the same results. Immutable; identity tells one rebuild from the next.
     *
     * @param run the analysis run (model, calibration, normal plan, analysed input, labels)
     * @param hybrid the hybrid plan of the rebuild
     * @param top5 host top-5 on the analysed input by model: {@code float}, {@code normal}, {@code hybrid}
     */
    public record HostSnapshot(RunResult run, QuantPlan hybrid, Map<String, TopK> top5) {
        public HostSnapshot {
            top5 = Map.copyOf(top5);
        }
    }

    /** Writes the column titles and summaries again, e.g. after the language changed. */
    public void relabel() {
        if (last != null) {
            apply(last, false);
        }
    }

    private void apply(Rebuilt r) {
        apply(r, true);
        hybridResult.set(r.result().hybridModel());
        measureHybridLayers(r);
    }

    /**
     * After the comparison is shown: the hybrid's entire cosine per layer, so the Layers view can
     * draw where the damage stops. No picks: the normal analysis already has it.
     */
    private void measureHybridLayers(Rebuilt r) {
        if (r.comparison().promoted().isEmpty()) {
            hybridEntire.set(Map.of());
            return;
        }
        QuantPlan plan = r.hybrid();
        profiles.submit(BackgroundTask.of(messages.get("task.hybridLayers"), progress -> {
            settle(progress);
            Map<String, Double> entire = new java.util.LinkedHashMap<>();
            for (dev.layerwise.core.analysis.LayerReport l : engine.analyzePlan(r.run().run(), plan,
                    progress).layers()) {
                entire.put(l.name(), l.entire().cosine());
            }
            return entire;
        }).onSuccess(m -> {
            if (hybridPlan == plan) {
                hybridEntire.set(Map.copyOf(m));
            }
        }).onAnyError(e -> errors.report(new ErrorMessages(messages).describe(e), e)));
    }

    /**
     * Waits {@link #settleMillis} on the measurement's lane, giving up as soon as a newer tick
     * cancels it: ticks in a row then cost one measurement, the last one's, and a tick's rebuild
     * never shares the two cores with a measurement that is about to be thrown away (one takes
     * graph, session and run, ~0.3 s of CPU on the sample; a session ORT is creating cannot be
     * stopped).
     */
    private void settle(ProgressListener progress) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(settleMillis)) {
            progress.checkCancelled();
            Thread.sleep(10);
        }
        progress.checkCancelled();
    }

    /**
     * Sets how long the per-layer measurement of a hybrid waits after its comparison before it
     * starts ({@link #SETTLE_MILLIS} by default); read while it waits, so a test can hold a
     * measurement and then let it go.
     */
    void settleMillis(long millis) {
        settleMillis = millis;
    }

    /** The hybrid's entire cosine by layer name after the last rebuild with picks; empty otherwise. */
    public javafx.beans.property.ReadOnlyObjectProperty<Map<String, Double>> hybridEntireProperty() {
        return hybridEntire.getReadOnlyProperty();
    }

    /** The hybrid model's result in the last rebuild (final cosine, top-1 agreement with float), or null. */
    public javafx.beans.property.ReadOnlyObjectProperty<ModelResult> hybridResultProperty() {
        return hybridResult.getReadOnlyProperty();
    }

    private void apply(Rebuilt r, boolean fresh) {
        if (fresh) {
            Map<String, TopK> top5 = new java.util.LinkedHashMap<>();
            for (ModelResult m : r.comparison().models()) {
                if (m.top5() != null) {
                    top5.put(m.name(), m.top5());
                }
            }
            current = new HostSnapshot(r.run(), r.hybrid(), top5);
            if (deviceBasis != null && deviceBasis.run() != r.run()) {
                // another analysis (model, input or settings): the board's results no longer belong here
                deviceResults = List.of();
                deviceBasis = null;
            }
        }
        last = r;
        lastRun = r.run();
        hybridPlan = r.hybrid();
        ModelResult floatModel = r.comparison().model(Comparison.FLOAT);
        classVector.set(floatModel.hasClassVector());
        hostColumns = floatModel.hasClassVector() ? columnsOf(r.comparison()) : List.of();
        if (fresh) {
            remeasureCandidates(r.run());
        }
        refresh();
        compared.set(true);
        List<String> picks = r.comparison().promoted().stream()
                .map(l -> l + " \u2192 " + r.hybrid().typeOf(l).configName()).toList();
        promoted.set(picks.isEmpty() ? messages.get("compare.promotedNone")
                : messages.get("compare.promoted", picks.size(), String.join(",  ", picks)));
        summary.set(messages.get("compare.summary", r.comparison().promoted().size(),
                r.comparison().inputs().isEmpty() ? "" : fileName(r.comparison().inputs().get(0)), r.comparison().millis()));
    }

    /** The file name in a described input: {@code 0.png} from {@code dataset.txt line 1 (/data/img/0.png)} or a path. */
    static String fileName(String described) {
        String d = described.endsWith(")") && described.contains("(") ? described.substring(described.lastIndexOf('(') + 1,
                described.length() - 1) : described;
        int slash = Math.max(d.lastIndexOf('/'), d.lastIndexOf('\\'));
        return slash < 0 ? d : d.substring(slash + 1);
    }

    private List<CompareColumn> columnsOf(Comparison c) {
        ModelResult f = c.model(Comparison.FLOAT);
        List<CompareColumn> out = new ArrayList<>();
        for (ModelResult m : c.models()) {
            String title = messages.has("compare.column." + m.name()) ? messages.get("compare.column." + m.name()) : m.name();
            out.add(column(m.name(), title, false, m.top5(), m == f ? 1.0 : m.vsFloat().cosine(), f.top5()));
        }
        return out;
    }

    /** The output rows and the cards again, from the last comparison and the candidates measured on its run. */
    private void refresh() {
        // outputs first: the view decides from them whether an empty column list means "no class vector"
        outputs.setAll(last == null ? List.of() : outputRows(last.comparison().model(Comparison.FLOAT), quantizedModels(),
                this::title));
        columns.setAll(all());
    }

    /** Normal, hybrid and every candidate measured on the current run, by column id, in column order. */
    private Map<String, ModelResult> quantizedModels() {
        Map<String, ModelResult> models = new java.util.LinkedHashMap<>();
        models.put(Comparison.NORMAL, last.comparison().model(Comparison.NORMAL));
        models.put(Comparison.HYBRID, last.comparison().model(Comparison.HYBRID));
        for (int i = 0; i < candidates.size(); i++) {
            // measured on an older run until remeasured: no column rather than a misleading one
            if (candidates.get(i).run() == lastRun) {
                models.put(CANDIDATE + i, candidates.get(i).result());
            }
        }
        return models;
    }

    /** The id prefix of a kept candidate's column: {@code candidate-0}, {@code candidate-1}, … */
    static final String CANDIDATE = "candidate-";

    /** A column's title: the localised model name, or a candidate's name. */
    public String title(String id) {
        Candidate c = candidateOf(id);
        if (c != null) {
            return c.name();
        }
        return messages.has("compare.column." + id) ? messages.get("compare.column." + id) : id;
    }

    /**
     * One row per graph output with each quantized model's metrics against float.
     *
     * @param models the quantized models by column id, in column order
     * @param titles a column id's title
     */
    static List<OutputRow> outputRows(ModelResult floatModel, Map<String, ModelResult> models,
            java.util.function.Function<String, String> titles) {
        List<OutputRow> rows = new ArrayList<>();
        for (int i = 0; i < floatModel.outputs().size(); i++) {
            OutputMetrics fo = floatModel.outputs().get(i);
            List<OutputRow.Cell> cells = new ArrayList<>();
            for (Map.Entry<String, ModelResult> e : models.entrySet()) {
                ModelResult m = e.getValue();
                OutputMetrics o = m.outputs().get(i);
                cells.add(new OutputRow.Cell(e.getKey(), titles.apply(e.getKey()), o.metrics().cosine(), o.metrics().euclidean(),
                        o.maxAbsError(), m.worstOutput().name().equals(o.name()), o.minCosine(), o.worstInput()));
            }
            rows.add(new OutputRow(fo.name(), fo.shapeText(), fo.classVector(), cells));
        }
        return rows;
    }

    /**
     * A column from a top-5 list, with deltas and disagreements against the float top-5; the
     * device bridge uses it to add its columns.
     */
    public static CompareColumn column(String id, String title, boolean device, TopK top5, double finalCosine, TopK floatTop5) {
        List<CompareColumn.Entry> entries = new ArrayList<>();
        List<TopK.Entry> ref = floatTop5.entries();
        for (int i = 0; i < top5.entries().size(); i++) {
            TopK.Entry e = top5.entries().get(i);
            double delta = e.score() - floatTop5.scoreOf(e.index());
            boolean differs = i >= ref.size() || ref.get(i).index() != e.index();
            entries.add(new CompareColumn.Entry(i + 1, e.index(), e.label(), e.score(), delta, differs));
        }
        boolean top1Differs = !entries.isEmpty() && !ref.isEmpty() && entries.get(0).index() != ref.get(0).index();
        return new CompareColumn(id, title, device, entries, finalCosine, top1Differs);
    }

    /** Hand-set tensor parameters from an imported cfg; they apply to the next rebuilds. */
    public void setParamOverrides(Map<String, dev.layerwise.core.quant.QuantParams> params) {
        this.paramOverrides = Map.copyOf(params);
    }

    /** The host results the current columns show, or {@code null} before the first comparison. */
    public HostSnapshot hostSnapshot() {
        return current;
    }

    /**
     * Replaces the device columns with one board's results; host columns stay.
     *
     * @param basis the snapshot the device run pushed and ran; deltas are against its top-5
     */
    public void setDeviceResults(List<DeviceResult> results, HostSnapshot basis) {
        this.deviceResults = List.copyOf(results);
        this.deviceBasis = results.isEmpty() ? null : basis;
        columns.setAll(all());
    }

    public void clearDeviceResults() {
        setDeviceResults(List.of(), null);
    }

    private List<CompareColumn> all() {
        DeviceResult first = deviceResults.isEmpty() ? null : deviceResults.get(0);
        deviceSection.set(first == null ? "" : messages.get("compare.device.section", first.serial(),
                first.deviceModel() == null ? "?" : first.deviceModel()));
        List<CompareColumn> all = new ArrayList<>(hostColumns);
        TopK floatTop5 = hostColumns.isEmpty() ? null : last.comparison().model(Comparison.FLOAT).top5();
        for (int i = 0; i < candidates.size() && floatTop5 != null; i++) {
            Candidate c = candidates.get(i);
            // measured on an older run until remeasured: no column rather than a misleading one
            if (c.run() == lastRun) {
                all.add(column(CANDIDATE + i, c.name(), false, c.result().top5(), c.result().vsFloat().cosine(), floatTop5));
            }
        }
        for (DeviceResult d : deviceResults) {
            TopK host = deviceBasis.top5().get(d.model());
            if (host != null) {
                all.add(deviceColumn(d, host, deviceBasis != current));
            }
        }
        return all;
    }

    private CompareColumn deviceColumn(DeviceResult d, TopK host, boolean older) {
        String model = messages.get("compare.column." + d.model());
        CompareColumn c = column("device-" + d.model(), messages.get("compare.column.device", model, d.serial()), true,
                d.top5(), Double.NaN, host);
        String note = older ? messages.get("compare.device.older")
                : messages.get("compare.device.note", d.profile(), d.pushMillis(), d.runMillis());
        return c.with(messages.get("compare.reference.host." + d.model()), note);
    }

    /** Writes the hybrid fake-quantized ONNX model (the last rebuild's). */
    public void exportHybridModel(Path file) {
        RunResult run = lastRun;
        QuantPlan plan = hybridPlan;
        if (run == null || plan == null) {
            errors.report(messages.get("error.nothingToExport"), null);
            return;
        }
        runner.submit(BackgroundTask.of(messages.get("task.export", file.getFileName()), progress -> {
            engine.exportQuantized(run.project(), engine.quantizedModel(run.project(), plan), file);
            return file;
        }).onAnyError(e -> errors.report(new ErrorMessages(messages).describe(e), e)));
    }

    public CompareColumn column(String id) {
        return columns.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    public ObservableList<CompareColumn> columns() {
        return columns;
    }

    /** Every graph output of the last comparison, in graph order. */
    public ObservableList<OutputRow> outputs() {
        return outputs;
    }

    /** False when no output of the model is a class vector: there are no top-5 columns then, only the output table. */
    public ReadOnlyBooleanProperty classVectorProperty() {
        return classVector.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The hybrid model's promoted layers and their types, one line. */
    public ReadOnlyStringProperty promotedProperty() {
        return promoted.getReadOnlyProperty();
    }

    /** The heading over the device columns: which board, and what its deltas are against; empty without device columns. */
    public ReadOnlyStringProperty deviceSectionProperty() {
        return deviceSection.getReadOnlyProperty();
    }

    /** The last rebuilt hybrid plan, or null. */
    public QuantPlan hybridPlan() {
        return hybridPlan;
    }

    public void cancel() {
        rebuilds.cancel();
        profiles.cancel();
    }
}
