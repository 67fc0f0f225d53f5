package dev.layerwise.app.project;

import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.ErrorMessages;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.LatestRequest;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.engine.AnalysisSession;
import dev.layerwise.core.preprocess.ImageNet;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The project sidebar: model, dataset, input, preprocessing, type and algorithm, and the Run
 * that calibrates, quantizes and analyses. A newer Run cancels an older one. The loaded model
 * and its calibration are cached on the worker side so that changing only the input or
 * re-running is quick.
 */
public final class ProjectViewModel {

    /** The sample's ImageNet preprocessing, RKNN style (0..255 pixels). */
    public static final String SAMPLE_MEAN = ImageNet.MEAN;
    public static final String SAMPLE_STD = ImageNet.STD;
    public static final String IDENTITY_ORDER = ImageNet.RGB_ORDER;

    private final Engine engine;
    private final Messages messages;
    private final ErrorReporter errors;
    private final ErrorMessages errorMessages;
    private final LatestRequest runs;

    private final ObjectProperty<Path> model = new SimpleObjectProperty<>();
    private final ObjectProperty<Path> dataset = new SimpleObjectProperty<>();
    private final ObjectProperty<Path> input = new SimpleObjectProperty<>();
    private final StringProperty mean = new SimpleStringProperty("");
    private final StringProperty std = new SimpleStringProperty("");
    private final StringProperty channelOrder = new SimpleStringProperty(IDENTITY_ORDER);
    private final StringProperty inputShape = new SimpleStringProperty("");
    private InputShapes sessionShapes = InputShapes.NONE;
    private final ObjectProperty<QuantType> type = new SimpleObjectProperty<>(QuantType.ASYMMETRIC_AFFINE_U8);
    private final ObjectProperty<CalibrationAlgorithm> algorithm = new SimpleObjectProperty<>(CalibrationAlgorithm.NORMAL);
    private final ObjectProperty<Toolkit> toolkit = new SimpleObjectProperty<>(Toolkit.TOOLKIT1);
    private final ObservableList<QuantType> typeChoices = FXCollections.observableArrayList(defaultTypes(Toolkit.TOOLKIT1));
    private final ReadOnlyObjectWrapper<RunResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<SidebarFields> pendingOpen = new ReadOnlyObjectWrapper<>();
    /** The input shape as the last open or workspace set it, to tell a shape the user typed since. */
    private String shapeAsSet = "";
    private final ReadOnlyStringWrapper warnings = new ReadOnlyStringWrapper("");
    private final BooleanBinding runnable;

    // touched on the worker thread only (the runner has one worker), hence no locking; the session
    // keeps the model and its calibration so that changing only the input or re-running is quick
    private AnalysisSession session;

    public ProjectViewModel(Engine engine, TaskRunner runner, ErrorReporter errors, Messages messages) {
        this.engine = engine;
        this.messages = messages;
        this.errors = errors;
        this.errorMessages = new ErrorMessages(messages);
        this.runs = new LatestRequest(runner);
        this.runnable = Bindings.createBooleanBinding(() -> model.get() != null && dataset.get() != null, model, dataset);
        toolkit.addListener((o, was, now) -> {
            // RKNN-Toolkit2 has no dynamic_fixed_point-i8: its model-wide types are w8a8 and w16a16i_dfp
            List<QuantType> allowed = defaultTypes(now == null ? Toolkit.TOOLKIT1 : now);
            if (!allowed.contains(type.get())) {
                type.set(QuantType.ASYMMETRIC_AFFINE_U8);
            }
            typeChoices.setAll(allowed);
        });
    }

    /** Points the sidebar at a model; picks up {@code dataset.txt} beside it when present. */
    public void useModel(Path modelFile) {
        setFields(fields().withModel(modelFile));
    }

    /** The bundled sample with its dataset, dog image and ImageNet preprocessing. */
    public void useSample(Path sampleModel) {
        setFields(fields().withSample(sampleModel));
    }

    /** What the sidebar holds now. */
    public SidebarFields fields() {
        return new SidebarFields(model.get(), dataset.get(), input.get(), mean.get(), std.get(), channelOrder.get(),
                inputShape.get(), type.get(), algorithm.get(), toolkit.get());
    }

    /**
     * True when the user has typed an input shape since the project was last set: it is meant for
     * the next model opened (a dynamic model fails to open until its size is given), not the old one's.
     */
    public boolean inputShapeTyped() {
        return !inputShape.get().strip().isEmpty() && !inputShape.get().equals(shapeAsSet);
    }

    /** Shows {@code f} in the sidebar. */
    public void setFields(SidebarFields f) {
        shapeAsSet = f.inputShape() == null ? "" : f.inputShape();
        model.set(f.model());
        dataset.set(f.dataset());
        input.set(f.input());
        mean.set(f.mean() == null ? "" : f.mean());
        std.set(f.std() == null ? "" : f.std());
        channelOrder.set(f.channelOrder() == null ? IDENTITY_ORDER : f.channelOrder());
        inputShape.set(f.inputShape() == null ? "" : f.inputShape());
        type.set(f.type());
        algorithm.set(f.algorithm());
        // the toolkit first narrows the type choices, then the type is set again within them
        toolkit.set(f.toolkit() == null ? Toolkit.TOOLKIT1 : f.toolkit());
        type.set(f.type());
    }

    /** Calibrates, quantizes and analyses with the current settings; cancels a run in progress. */
    public void run() {
        runWith(fields(), null, null);
    }

    /**
     * Opens {@code f} (another model, the sample, a workspace's files) by running it: only when
     * the run succeeds does the sidebar show {@code f}, then {@code opened} runs, then the result
     * replaces the old one. A failed open reports the error and leaves everything as it was.
     * Without a dataset the model is only loaded, to check it is one.
     *
     * @param opening the file the user opened (a model or a workspace), named in an error's headline
     * @param opened applies what else the open brings (picks, threshold, recent files), on the FX thread
     */
    public void open(SidebarFields f, Path opening, Runnable opened) {
        if (f.model() != null && f.dataset() == null) {
            Path m = f.model();
            InputShapes shapes;
            try {
                shapes = InputShapes.parse(inputShapeEntries(f.inputShape()));
            } catch (IllegalArgumentException e) {
                errors.report(errorMessages.describeOpen(opening, e), e);
                return;
            }
            pendingOpen.set(f);
            runs.submit(BackgroundTask.of(messages.get("task.run", m.getFileName()), progress -> {
                progress.progress(messages.get("step.loading"), 0, -1);
                session = null;
                session = engine.open(m, shapes);
                sessionShapes = shapes;
                return session;
            }).onSuccess(s -> {
                setFields(f);
                opened.run();
            }).onAnyError(e -> errors.report(errorMessages.describeOpen(opening, e), e)).onFinally(() -> doneOpening(f)));
            return;
        }
        runWith(f, opening, opened);
    }

    private void runWith(SidebarFields f, Path opening, Runnable opened) {
        RunSettings settings;
        try {
            settings = captureSettings(f);
        } catch (IllegalArgumentException e) {
            errors.report(opened == null ? messages.get("error.settings", e.getMessage())
                    : errorMessages.describeOpen(opening, e), e);
            return;
        }
        List<String> collected = new CopyOnWriteArrayList<>();
        if (opened == null) {
            warnings.set("");
        } else {
            pendingOpen.set(f);
        }
        runs.submit(BackgroundTask.of(messages.get("task.run", settings.model().getFileName()),
                        progress -> execute(settings, collected::add, progress))
                .onSuccess(r -> {
                    if (opened != null) {
                        setFields(f);
                        opened.run();
                    }
                    warnings.set(String.join("\n", collected.stream().distinct().limit(20).toList()));
                    summary.set(describe(r));
                    result.set(r);
                })
                .onAnyError(e -> errors.report(opened == null ? errorMessages.describe(e) : errorMessages.describeOpen(opening, e),
                        e))
                .onFinally(() -> doneOpening(f)));
    }

    /** Clears what is being opened, unless a newer open has taken its place (a cancelled run finishes late). */
    private void doneOpening(SidebarFields f) {
        if (pendingOpen.get() == f) {
            pendingOpen.set(null);
        }
    }

    /**
     * What is being opened while its first run goes (model, dataset, input), null otherwise. The
     * fields show the open files only once it succeeds; the sidebar shows these meanwhile, so that
     * a first open does not read "(none)".
     */
    public ReadOnlyObjectProperty<SidebarFields> openingProperty() {
        return pendingOpen.getReadOnlyProperty();
    }

    /** Writes the texts derived from the last run again, e.g. after the language changed. */
    public void relabel() {
        if (result.get() != null) {
            summary.set(describe(result.get()));
        }
    }

    /** Stops the run in progress, if any. */
    public void cancel() {
        runs.cancel();
    }

    RunSettings captureSettings() {
        return captureSettings(fields());
    }

    private RunSettings captureSettings(SidebarFields f) {
        if (f.model() == null) {
            throw new IllegalArgumentException(messages.get("error.noModel"));
        }
        if (f.dataset() == null) {
            throw new IllegalArgumentException(messages.get("error.noDataset"));
        }
        Preprocessing pre = Preprocessing.parse(f.mean(), f.std(), f.channelOrder());
        InputShapes shapes = InputShapes.parse(inputShapeEntries(f.inputShape()));
        return new RunSettings(f.model(), f.dataset(), f.input(), pre, f.type(), f.algorithm(), f.toolkit(), shapes);
    }

    private RunResult execute(RunSettings s, Consumer<String> warn, ProgressListener progress) throws Exception {
        progress.progress(messages.get("step.loading"), 0, -1);
        if (session == null || !s.model().equals(session.modelFile()) || !s.inputShapes().equals(sessionShapes)) {
            session = null;
            session = engine.open(s.model(), s.inputShapes());
            sessionShapes = s.inputShapes();
        }
        session.project().warnings().forEach(warn);
        progress.checkCancelled();
        List<Sample> calibrationSamples = engine.dataset(s.dataset());
        if (calibrationSamples.isEmpty()) {
            throw new IllegalArgumentException(messages.get("error.emptyDataset", s.dataset()));
        }
        Calibration calibration = engine.calibrate(session, calibrationSamples, s.preprocessing(), s.algorithm(), s.type(),
                warn, progress);
        Sample analysed = s.input() != null ? engine.single(s.input()) : calibrationSamples.get(0);
        return new RunResult(s, engine.analyze(session, calibration, s.type(), s.perChannel(), s.algorithm(), analysed,
                s.preprocessing(), warn, progress));
    }

    private String describe(RunResult r) {
        AnalysisResult a = r.analysis();
        return messages.get("run.summary", a.layers().size(), a.dtype().configName(), a.algorithm().configName(),
                r.calibration().samples(), String.format(Locale.ROOT, "%.4f", a.finalMetrics().cosine()));
    }

    public ObjectProperty<Path> modelProperty() {
        return model;
    }

    public ObjectProperty<Path> datasetProperty() {
        return dataset;
    }

    public ObjectProperty<Path> inputProperty() {
        return input;
    }

    public StringProperty meanProperty() {
        return mean;
    }

    public StringProperty stdProperty() {
        return std;
    }

    /**
     * Sizes for dynamic inputs as the command line's {@code --input-shape} takes them, several
     * separated by spaces or semicolons: {@code images=1,3,640,640}. Empty for none.
     */
    public StringProperty inputShapeProperty() {
        return inputShape;
    }

    /** The entries of an input-shape text: split on spaces and semicolons, blanks dropped. */
    public static List<String> inputShapeEntries(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(text.strip().split("[;\\s]+")).filter(e -> !e.isEmpty()).toList();
    }

    public StringProperty channelOrderProperty() {
        return channelOrder;
    }

    public ObjectProperty<QuantType> typeProperty() {
        return type;
    }

    public ObjectProperty<CalibrationAlgorithm> algorithmProperty() {
        return algorithm;
    }

    public ReadOnlyObjectProperty<RunResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public RunResult result() {
        return result.get();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty warningsProperty() {
        return warnings.getReadOnlyProperty();
    }

    /** True when a model and a dataset are set. */
    public BooleanBinding runnableProperty() {
        return runnable;
    }

    /** The quantized types a user may pick as the default (float32 quantizes nothing). */
    public static List<QuantType> defaultTypes() {
        return defaultTypes(Toolkit.TOOLKIT1);
    }

    /** The default types of a toolkit: RKNN-Toolkit2 has w8a8 (u8) and w16a16i_dfp (i16), no dynamic fixed point i8. */
    public static List<QuantType> defaultTypes(Toolkit t) {
        return t == Toolkit.TOOLKIT2 ? List.of(QuantType.ASYMMETRIC_AFFINE_U8, QuantType.DYNAMIC_FIXED_POINT_I16)
                : List.of(QuantType.ASYMMETRIC_AFFINE_U8, QuantType.DYNAMIC_FIXED_POINT_I8, QuantType.DYNAMIC_FIXED_POINT_I16);
    }

    /** The RKNN toolkit the user works with (a workspace setting). */
    public ObjectProperty<Toolkit> toolkitProperty() {
        return toolkit;
    }

    /** The default types offered for the current toolkit. */
    public ObservableList<QuantType> typeChoices() {
        return typeChoices;
    }
}
