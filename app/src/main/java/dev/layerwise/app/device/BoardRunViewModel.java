package dev.layerwise.app.device;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.ErrorMessages;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.compare.CompareViewModel;
import dev.layerwise.app.compare.CompareViewModel.HostSnapshot;
import dev.layerwise.app.compare.DeviceResult;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.bridge.run.DeviceRunResult;
import dev.layerwise.bridge.run.DeviceWorkflow;
import dev.layerwise.bridge.run.RunRequest;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.OutputCheck;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Device view's runs: the runner profile, and a run on the selected board of either the
 * Compare view's float, normal and hybrid models (ONNX profiles) or a {@code .rknn} file the user
 * built (profiles that take {@code .rknn}, e.g. {@code rknn-lite2}); prepare on the engine's
 * worker (each quantized model built once, run on the host and written for the board), then
 * {@link DeviceWorkflow} on the device worker. There, too, every output the board returns is
 * judged against the host's by {@link OutputCheck}: top-1 for class vectors, value range and
 * cosine for the rest; a language switch only puts the kept judgement in other words. ONNX runs
 * with a class vector also become device columns in the Compare view. State changes on the FX
 * thread only.
 */
public final class BoardRunViewModel {

    /** An output that is not a class vector counts as agreeing with the host from this cosine up. */
    public static final double AGREEING_COSINE = 0.99;
    /** The model name of a {@code .rknn} run in the workflow and its outcome. */
    static final String RKNN = "rknn";

    private final Engine engine;
    private final DeviceBridge bridge;
    private final TaskRunner engineRunner;
    private final DeviceTasks tasks;
    private final BoardListViewModel boards;
    private final CompareViewModel compare;
    private final ErrorReporter errors;
    private final Messages messages;
    private final Path tempRoot;
    private final ResultLines lines;

    private final ObservableList<ProfileChoice> profiles = FXCollections.observableArrayList();
    private final ObjectProperty<ProfileChoice> profile = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper runMessage = new ReadOnlyStringWrapper("");
    private final ObservableList<ResultLine> results = FXCollections.observableArrayList();
    private final ObjectProperty<Path> rknnFile = new SimpleObjectProperty<>();
    private Consumer<Path> storeRknn = f -> { };
    // the last finished run, to write its lines again in another language
    private Finished lastFinished;
    private BoardJob lastJob;

    /** @param tempRoot where the models written for a run are kept until it ends; {@code null}: the system's temporary folder */
    BoardRunViewModel(Engine engine, DeviceBridge bridge, TaskRunner engineRunner, DeviceTasks tasks, BoardListViewModel boards,
            CompareViewModel compare, ErrorReporter errors, Messages messages, Path tempRoot) {
        this.engine = engine;
        this.bridge = bridge;
        this.engineRunner = engineRunner;
        this.tasks = tasks;
        this.boards = boards;
        this.compare = compare;
        this.errors = errors;
        this.messages = messages;
        this.tempRoot = tempRoot;
        this.lines = new ResultLines(messages);
        for (RunnerProfile p : bridge.profiles()) {
            profiles.add(ProfileChoice.of(p));
        }
        profile.set(profiles.stream().filter(p -> p.name().equals(DeviceViewModel.DEFAULT_PROFILE)).findFirst()
                .orElse(profiles.isEmpty() ? null : profiles.get(0)));
        if (bridge.profilesProblem() != null) {
            tasks.error.set(messages.get("device.error.profiles", bridge.profilesProblem()));
        }
    }

    /**
     * Pushes the float model, and the normal and hybrid models of the Compare view's last rebuild
     * (or, with a {@code .rknn} profile, the chosen {@code .rknn} file), to the selected board,
     * runs each with the chosen profile on the analysed input (preprocessed exactly as on the
     * host), and compares every output with the host's.
     */
    public void run() {
        DeviceRow d = boards.selectedProperty().get();
        ProfileChoice choice = profile.get();
        HostSnapshot host = compare.hostSnapshot();
        if (d == null) {
            tasks.error.set(messages.get("device.error.noDevice"));
            return;
        }
        if (!d.usable()) {
            tasks.error.set(messages.get("device.error.unusable", d.serial(), d.state(), d.hint()));
            return;
        }
        if (choice == null || !(choice.runnable() || choice.rknn())) {
            tasks.error.set(messages.get("device.error.profile", choice == null ? "?" : choice.name()));
            return;
        }
        Path rknn = choice.rknn() ? rknnFile.get() : null;
        if (choice.rknn()) {
            String problem = rknnProblem(rknn, choice.name());
            if (problem != null) {
                tasks.error.set(problem);
                return;
            }
        }
        if (host == null) {
            tasks.error.set(messages.get("device.error.noHost"));
            return;
        }
        RunnerProfile runner = bridge.profiles().stream().filter(p -> p.name().equals(choice.name())).findFirst().orElseThrow();
        String serial = d.serial();
        CancelToken t = tasks.begin();
        runMessage.set("");
        tasks.preparing(engineRunner.submit(BackgroundTask.of(messages.get("task.device.prepare"), p -> prepare(host, rknn, p, t))
                .onSuccess(job -> {
                    if (t.isCancelled()) {
                        job.workflow().close();
                        cancelled();
                    } else {
                        runOnBoard(job, serial, runner, t);
                    }
                })
                .onCancelled(this::cancelled)
                .onAnyError(e -> {
                    tasks.busy.set(false);
                    errors.report(new ErrorMessages(messages).describe(e), e);
                })));
    }

    /** Why {@code file} cannot be run with a {@code .rknn} profile, one line naming it; {@code null} when it can. */
    private String rknnProblem(Path file, String profileName) {
        if (file == null) {
            return messages.get("device.error.noRknn", profileName);
        }
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".rknn")) {
            return messages.get("device.error.notRknn", file, profileName);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return messages.get("device.error.rknnMissing", file);
        }
        return null;
    }

    /**
     * Uses {@code file} for runs with a {@code .rknn} profile, remembers it, and picks the first
     * such profile (rknn-lite2) when another is chosen. A file that is not a {@code .rknn} is
     * refused with a line in the panel.
     */
    public void chooseRknn(Path file) {
        String problem = rknnProblem(file, "rknn-lite2");
        if (problem != null) {
            tasks.error.set(problem);
            return;
        }
        tasks.error.set("");
        rknnFile.set(file);
        storeRknn.accept(file);
        if (profile.get() == null || !profile.get().rknn()) {
            profiles.stream().filter(p -> p.name().equals("rknn-lite2")).findFirst()
                    .or(() -> profiles.stream().filter(ProfileChoice::rknn).findFirst())
                    .ifPresent(profile::set);
        }
    }

    /** The {@code .rknn} chosen in an earlier session (kept if it is still there), and where to keep the next choice. */
    public void rememberRknn(Path saved, Consumer<Path> store) {
        if (saved != null && Files.isRegularFile(saved)) {
            rknnFile.set(saved);
        }
        storeRknn = store;
    }

    /**
     * A board run made ready: the prepared workflow (models written), the input tensor it runs on,
     * the labels, and the host's outputs of each model ({@code float}, {@code normal},
     * {@code hybrid}) on that input; {@code rknn} is the user's file for a {@code .rknn} run.
     */
    private record BoardJob(DeviceWorkflow workflow, FloatTensor input, Labels labels, HostSnapshot host,
            Map<String, Map<String, FloatTensor>> hostOutputs, Path rknn) {
    }

    /** A board run's outcome and its outputs judged against the host's, both made on the device worker. */
    private record Finished(DeviceWorkflow.Outcome outcome, List<ResultLines.Judged> judged) {
    }

    /** On the engine's worker: the input as the host preprocessed it, the models written, the host's outputs. */
    private BoardJob prepare(HostSnapshot host, Path rknn, ProgressListener progress, CancelToken cancel) throws Exception {
        Map<String, FloatTensor> feeds = host.run().inputs().load(0);
        if (feeds.size() != 1) {
            throw new IllegalArgumentException(messages.get("device.error.inputs", feeds.size()));
        }
        Project project = host.run().project();
        // each model is built once: the host runs it and the board gets the file written from it
        ModelProto normal = engine.quantizedModel(project, host.run().normalPlan());
        ModelProto hybrid = engine.quantizedModel(project, host.hybrid());
        Map<String, Map<String, FloatTensor>> hostOutputs = new LinkedHashMap<>();
        hostOutputs.put(Comparison.FLOAT, engine.outputs(project, null, feeds));
        hostOutputs.put(Comparison.NORMAL, engine.outputs(project, normal, feeds));
        hostOutputs.put(Comparison.HYBRID, engine.outputs(project, hybrid, feeds));
        Path model = host.run().settings().model();
        String base = model.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        List<DeviceWorkflow.Model> models = rknn != null ? List.of(DeviceWorkflow.Model.existing(RKNN, rknn))
                : List.of(DeviceWorkflow.Model.existing(Comparison.FLOAT, model),
                        DeviceWorkflow.Model.written(Comparison.NORMAL, base + ".normal.onnx",
                                file -> engine.exportQuantized(project, normal, file)),
                        DeviceWorkflow.Model.written(Comparison.HYBRID, base + ".hybrid.onnx",
                                file -> engine.exportQuantized(project, hybrid, file)));
        DeviceWorkflow workflow = DeviceWorkflow.prepare(models, tempRoot, new DeviceWorkflow.Progress() {
            @Override
            public void preparing(String name, int index, int count) throws CancelledException {
                progress.checkCancelled();
                progress.progress(messages.get("step.device.export", name), index - 1, count - 1);
            }
        }, cancel);
        return new BoardJob(workflow, feeds.values().iterator().next(), host.run().labels(), host, hostOutputs, rknn);
    }

    /** On the device worker: the models on the board, then the local files removed. */
    private void runOnBoard(BoardJob job, String serial, RunnerProfile runner, CancelToken t) {
        RunRequest request = RunRequest.of(serial, runner, null, job.input()).withLabels(job.labels());
        tasks.submitRaw(BackgroundTask.of(messages.get("task.device.run", serial), p -> {
                    DeviceWorkflow.Outcome f = job.workflow().run(bridge::run, request, new BoardProgress(p, messages, this::title), t);
                    return new Finished(f, ResultLines.judge(f, job.rknn(), job.hostOutputs(), job.labels()));
                })
                .onSuccess(done -> show(done, job))
                .onCancelled(this::cancelled)
                .onAnyError(e -> tasks.error.set(new ErrorMessages(messages).describe(e)))
                .onFinally(() -> {
                    job.workflow().close();
                    tasks.busy.set(false);
                }));
    }

    private void show(Finished done, BoardJob job) {
        DeviceWorkflow.Outcome f = done.outcome();
        List<DeviceResult> shown = new ArrayList<>();
        for (Map.Entry<String, DeviceRunResult> e : f.done().entrySet()) {
            DeviceRunResult r = e.getValue();
            // a Compare column is a top-5 list: only for a class vector the host columns also have
            if (job.rknn() == null && r.top() != null && job.host().top5().containsKey(e.getKey())) {
                shown.add(new DeviceResult(f.serial(), r.deviceModel(), e.getKey(), r.top(), r.profile(), r.pushTime().toMillis(),
                        r.runTime().toMillis()));
            }
        }
        lastFinished = done;
        lastJob = job;
        fillResults();
        if (!shown.isEmpty()) {
            compare.setDeviceResults(shown, job.host());
        }
        if (f.failure() != null) {
            // a lost or failing board is reported here, in the panel, once
            tasks.error.set(failure(f, job));
            Step step = f.failure().step();
            if (step == Step.CONNECT || step == Step.DISCOVER) {
                boards.markUnreachable(f.serial());
            }
        } else {
            boards.reached(f.serial());
            runMessage.set(done(f, job));
        }
    }

    private String failure(DeviceWorkflow.Outcome f, BoardJob job) {
        if (job.rknn() == null) {
            return messages.get("device.error.run", title(f.failedModel()), f.failure().getMessage());
        }
        // a .rknn built for another input size fails in the runner: say what was sent
        return messages.get(f.failure().step() == Step.RUN ? "device.error.rknnRun" : "device.error.rknnBoard",
                job.rknn().getFileName(), f.failure().getMessage(), job.input().shapeText());
    }

    private String done(DeviceWorkflow.Outcome f, BoardJob job) {
        // a model agrees when every output it returned does
        Map<String, Boolean> byModel = new LinkedHashMap<>();
        for (ResultLine l : results) {
            byModel.merge(l.model(), l.agrees(), Boolean::logicalAnd);
        }
        long agree = byModel.values().stream().filter(b -> b).count();
        if (job.rknn() != null) {
            return messages.get("device.run.rknnDone", job.rknn().getFileName(), f.serial(), agree, byModel.size());
        }
        return messages.get(compare.columns().stream().anyMatch(c -> c.device()) ? "device.run.done" : "device.run.doneNoColumns",
                f.done().size(), f.serial(), agree);
    }

    /** The last run's result lines in the current language, from the outputs judged once. */
    private void fillResults() {
        results.setAll(lines.of(lastFinished.judged(), lastJob.rknn()));
    }

    private void cancelled() {
        tasks.busy.set(false);
        runMessage.set(messages.get("device.run.cancelled"));
    }

    private String title(String model) {
        return lines.title(model);
    }

    /** Writes the result lines and the run's message again, e.g. after the language changed. */
    void relabel() {
        if (lastFinished != null) {
            DeviceWorkflow.Outcome f = lastFinished.outcome();
            fillResults();
            if (f.failure() == null && !runMessage.get().isEmpty()) {
                runMessage.set(done(f, lastJob));
            } else if (f.failure() != null && !tasks.error.get().isEmpty()) {
                tasks.error.set(failure(f, lastJob));
            }
        }
    }

    /** The {@code .rknn} file runs with a {@code .rknn} profile push, or {@code null}. */
    public ObjectProperty<Path> rknnFileProperty() {
        return rknnFile;
    }

    public ObservableList<ProfileChoice> profiles() {
        return profiles;
    }

    public ObjectProperty<ProfileChoice> profileProperty() {
        return profile;
    }

    /** One line about the last run. */
    public ReadOnlyStringProperty runMessageProperty() {
        return runMessage.getReadOnlyProperty();
    }

    /** The last run's outcome per model. */
    public ObservableList<ResultLine> results() {
        return results;
    }
}
