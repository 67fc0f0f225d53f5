package dev.layerwise.app.compare;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.ErrorMessages;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskHandle;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.DatasetComparer;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/**
 * The Compare view's dataset section: float, normal, the current hybrid and every kept candidate
 * over the calibration dataset (or an evenly spread part of it), with top-1 agreement, mean and
 * min final-output cosine and the worst image of each model. The comparison is streamed in steps
 * of about half a second, each its own task on the engine worker, so a tick's rebuild queued in
 * between runs at once and the numbers grow while the user watches; Cancel keeps what was measured.
 * Everything here is touched on the FX thread only.
 */
public final class DatasetCompareViewModel {

    /** How long one step should take: long enough to amortise a task, short enough for a tick to slip in between. */
    private static final long STEP_NANOS = 500_000_000L;
    private static final int MAX_STEP = 64;

    private final Engine engine;
    private final TaskRunner runner;
    private final ErrorReporter errors;
    private final Messages messages;
    private final CompareViewModel compare;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<OutputRow> outputs = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper classVector = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper available = new ReadOnlyIntegerWrapper(0);
    private final IntegerProperty limit = new SimpleIntegerProperty(0);
    private Job job;
    private Job shown;
    // the status line is kept as how to write it, so that a language switch rewrites it
    private java.util.function.Supplier<String> statusText = () -> "";

    /**
     * One model over the compared images. Immutable.
     *
     * @param id {@code float}, {@code normal}, {@code hybrid} or a candidate's column id
     * @param title localised model name or the candidate's name
     * @param top1Agreement share of images whose top-1 is the float model's, in [0, 1]; NaN without a class vector
     * @param meanCosine the lowest output's cosine against float, averaged over the images (what the
     *     Compare cards call the final output cosine)
     * @param minCosine the lowest cosine of any output on any one image
     * @param worstInput the image with {@code minCosine}, as the dataset describes it; null for the float model
     * @param worstFile that image's file when it is one file (so it can be analysed), else null
     * @param picks the layers the model promotes, empty for float and normal
     */
    public record Row(String id, String title, double top1Agreement, double meanCosine, double minCosine, String worstInput,
            Path worstFile, Map<String, QuantType> picks) {
        public Row {
            picks = Map.copyOf(picks);
        }
    }

    public DatasetCompareViewModel(Engine engine, TaskRunner runner, ErrorReporter errors, Messages messages,
            CompareViewModel compare) {
        this.engine = engine;
        this.runner = runner;
        this.errors = errors;
        this.messages = messages;
        this.compare = compare;
        // every comparison and every kept or removed candidate passes through the output rows
        compare.outputs().addListener((ListChangeListener<OutputRow>) c -> followCompare());
    }

    private void followCompare() {
        RunResult run = compare.lastRun();
        int size = run == null ? 0 : Math.max(1, run.calibration().samples());
        if (size != available.get()) {
            boolean all = limit.get() == 0 || limit.get() >= available.get();
            available.set(size);
            if (all || limit.get() > size) {
                limit.set(size);
            }
        }
        stale.set(shown != null && (run == null || !sameModels(shown.run, run) || !shown.sets.equals(compare.pickSets())));
        // the comparison above was relabelled or redone: titles and the status line in the current language
        render();
    }

    /**
     * Whether two runs quantize the same way (model, dataset and preprocessing through the same
     * calibration, and the same plan settings): another analysed input alone does not change the
     * numbers over the dataset, e.g. after the worst image was made the analysed input.
     */
    private static boolean sameModels(RunResult a, RunResult b) {
        return a.calibration() == b.calibration() && a.settings().toolkit() == b.settings().toolkit()
                && a.settings().type() == b.settings().type() && a.settings().dataset().equals(b.settings().dataset());
    }

    private void setStatus(java.util.function.Supplier<String> text) {
        statusText = text;
        status.set(text.get());
    }

    /** Starts comparing over the dataset with the current picks and candidates; a comparison in progress is cancelled. */
    public void start() {
        RunResult run = compare.lastRun();
        if (run == null) {
            return;
        }
        cancel();
        Job j = new Job(run, compare.pickSets(), compare.paramOverrides(), Math.max(1, limit.get()));
        // a candidate's name as it was when measured; the models' own names follow the language
        compare.pickSets().keySet().stream().filter(id -> id.startsWith(CompareViewModel.CANDIDATE))
                .forEach(id -> j.titles.put(id, compare.title(id)));
        job = j;
        running.set(true);
        progress.set(-1);
        setStatus(() -> messages.get("compare.dataset.opening", j.sets.size() + 2));
        j.handle = runner.submit(BackgroundTask.of(messages.get("task.datasetCompare"), outer -> {
            ProgressListener p = j.listener(outer, null);
            List<Sample> all = engine.dataset(run.settings().dataset());
            j.datasetSize = all.size();
            j.samples = spread(all, Math.min(j.limit, all.size()));
            p.checkCancelled();
            j.comparer = engine.compareOver(run.run(), j.samples, run.settings().preprocessing(), j.sets, j.params);
            return j.comparer;
        }).onSuccess(c -> step(j)).onCancelled(() -> stopped(j)).onAnyError(e -> failed(j, e)));
    }

    private void step(Job j) {
        if (j != job || j.cancelled) {
            stopped(j);
            return;
        }
        int count = j.stepSize();
        j.handle = runner.submit(BackgroundTask.of(messages.get("task.datasetCompare"), p -> {
            ProgressListener both = j.listener(p,
                    (done, total) -> runner.onUiThread(() -> showProgress(j, done, total)));
            long t0 = System.nanoTime();
            j.comparer.advance(count, both);
            j.lastStep(count, System.nanoTime() - t0);
            return j.comparer.result();
        }).onSuccess(result -> {
            show(j, result);
            if (j.comparer.finished()) {
                j.close();
                finished(j, result);
            } else {
                step(j);
            }
        }).onCancelled(() -> stopped(j)).onAnyError(e -> failed(j, e)));
    }

    private void showProgress(Job j, int done, int total) {
        if (j == job && running.get()) {
            progress.set(total > 0 ? (double) done / total : -1);
            setStatus(() -> messages.get("compare.dataset.progress", done, total));
        }
    }

    private void show(Job j, Comparison c) {
        if (j != job) {
            return;
        }
        shown = j;
        j.last = c;
        followCompare();
    }

    /** The rows and output rows of the comparison shown, titles in the current language. */
    private void render() {
        status.set(statusText.get());
        if (shown == null || shown.last == null) {
            return;
        }
        Job j = shown;
        Comparison c = j.last;
        ModelResult f = c.model(Comparison.FLOAT);
        classVector.set(f.hasClassVector());
        List<Row> made = new ArrayList<>();
        Map<String, ModelResult> quantized = new LinkedHashMap<>();
        for (ModelResult m : c.models()) {
            boolean reference = m.name().equals(Comparison.FLOAT);
            String title = j.titles.getOrDefault(m.name(), compare.title(m.name()));
            Path file = null;
            String worst = null;
            if (!reference) {
                quantized.put(m.name(), m);
                worst = c.inputs().get(m.worstInput());
                Sample s = j.samples.get(m.worstInput());
                file = s.files().size() == 1 ? s.files().get(0) : null;
            }
            made.add(new Row(m.name(), title, m.top1Agreement(), reference ? 1.0 : m.vsFloat().cosine(),
                    reference ? 1.0 : m.minCosine(), worst, file, j.sets.getOrDefault(m.name(), Map.of())));
        }
        rows.setAll(made);
        outputs.setAll(CompareViewModel.outputRows(f, quantized, id -> j.titles.getOrDefault(id, compare.title(id))));
    }

    private void finished(Job j, Comparison c) {
        if (j == job) {
            running.set(false);
            progress.set(1);
            setStatus(() -> messages.get("compare.dataset.done", c.inputs().size(), j.datasetSize, c.millis() / 1000.0));
        }
    }

    private void stopped(Job j) {
        j.close();
        if (j == job) {
            running.set(false);
            job = null;
            int done = j.last == null ? 0 : j.last.inputs().size();
            int of = j.samples.size();
            setStatus(() -> done == 0 ? messages.get("compare.dataset.cancelledNone")
                    : messages.get("compare.dataset.cancelled", done, of));
        }
    }

    private void failed(Job j, Throwable e) {
        j.close();
        if (j == job) {
            running.set(false);
            job = null;
            setStatus(() -> "");
            progress.set(0);
        }
        if (!(e instanceof CancelledException)) {
            errors.report(new ErrorMessages(messages).describe(e), e);
        }
    }

    /** Stops the comparison in progress; what it measured so far stays, marked as partial. */
    public void cancel() {
        Job j = job;
        if (j != null) {
            // the flag as well as the handle: the handle in hand may be the step before the one running
            j.cancelled = true;
            j.handle.cancel();
        }
    }

    /**
     * {@code count} entries spread evenly over {@code all}, first entry first and in order (the
     * first {@code count} would all come from one end of a sorted list).
     */
    static List<Sample> spread(List<Sample> all, int count) {
        if (count >= all.size()) {
            return List.copyOf(all);
        }
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(all.get((int) ((long) i * all.size() / count)));
        }
        return out;
    }

    /** Float, normal, the hybrid and each candidate, over the images compared so far. */
    public ObservableList<Row> rows() {
        return rows;
    }

    /** Every graph output with each quantized model's mean and min cosine over the images compared so far. */
    public ObservableList<OutputRow> outputs() {
        return outputs;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** True when the numbers shown were measured before the last run or change of picks or candidates. */
    public ReadOnlyBooleanProperty staleProperty() {
        return stale.getReadOnlyProperty();
    }

    /** False when no output is a class vector (no top-1 agreement then). */
    public ReadOnlyBooleanProperty classVectorProperty() {
        return classVector.getReadOnlyProperty();
    }

    /** Share of the images done, in [0, 1]; -1 while the models are being built. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** One line: what is being done, how far it got, or how it ended. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The number of images in the calibration dataset of the last run; 0 before one. */
    public ReadOnlyIntegerProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    /** How many images to compare on, spread over the dataset; the whole dataset by default. */
    public IntegerProperty limitProperty() {
        return limit;
    }

    /** One comparison over the dataset: what it started from and the comparer it advances. */
    private static final class Job {
        final RunResult run;
        final Map<String, Map<String, QuantType>> sets;
        final Map<String, dev.layerwise.core.quant.QuantParams> params;
        final Map<String, String> titles = new LinkedHashMap<>();
        final int limit;
        TaskHandle handle = TaskHandle.NONE;
        volatile List<Sample> samples = List.of();
        volatile DatasetComparer comparer;
        volatile int step = 1;
        volatile int datasetSize;
        volatile boolean cancelled;
        Comparison last;

        Job(RunResult run, Map<String, Map<String, QuantType>> sets, Map<String, dev.layerwise.core.quant.QuantParams> params,
                int limit) {
            this.run = run;
            this.sets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sets));
            this.params = params;
            this.limit = limit;
        }

        /** The task's listener, also cancelled by {@link #cancelled}; {@code ticks} hears each image done, or null. */
        ProgressListener listener(ProgressListener task, java.util.function.BiConsumer<Integer, Integer> ticks) {
            return new ProgressListener() {
                @Override
                public void progress(String step, int done, int total) {
                    task.progress(step, done, total);
                    if (ticks != null) {
                        ticks.accept(done, total);
                    }
                }

                @Override
                public boolean isCancelled() {
                    return cancelled || task.isCancelled();
                }
            };
        }

        int stepSize() {
            return step;
        }

        /** Sizes the next step so that it takes about {@link #STEP_NANOS}. */
        void lastStep(int count, long nanos) {
            double perImage = (double) nanos / Math.max(1, count);
            step = (int) Math.max(1, Math.min(MAX_STEP, STEP_NANOS / Math.max(1, perImage)));
        }

        /** Closes the comparer's sessions; called on the FX thread once no task of this job can be running. */
        void close() {
            DatasetComparer c = comparer;
            comparer = null;
            if (c != null) {
                c.close();
            }
        }
    }
}
