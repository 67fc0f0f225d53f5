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
import dev.layerwise.bridge.run.DeviceProgress;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.bridge.run.DeviceRunResult;
import dev.layerwise.bridge.run.DeviceWorkflow;
import dev.layerwise.bridge.run.RunRequest;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Device view's runs: the runner profile, and a run of the Compare view's float, normal and
 * hybrid models on the selected board (prepare on the engine's worker, then {@link DeviceWorkflow}
 * on the device worker), its result lines and the Compare view's device columns. State changes on
 * the FX thread only.
 */
public final class BoardRunViewModel {

    private final Engine engine;
    private final DeviceBridge bridge;
    private final TaskRunner engineRunner;
    private final DeviceTasks tasks;
    private final BoardListViewModel boards;
    private final CompareViewModel compare;
    private final ErrorReporter errors;
    private final Messages messages;
    private final Path tempRoot;

    private final ObservableList<ProfileChoice> profiles = FXCollections.observableArrayList();
    private final ObjectProperty<ProfileChoice> profile = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper runMessage = new ReadOnlyStringWrapper("");
    private final ObservableList<ResultLine> results = FXCollections.observableArrayList();
    // the last finished run, to write its lines again in another language
    private DeviceWorkflow.Outcome lastFinished;
    private HostSnapshot lastHost;

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
     * Pushes the float model, and the normal and hybrid models of the Compare view's last rebuild,
     * to the selected board, runs each with the chosen profile on the analysed input (preprocessed
     * exactly as on the host), and adds the results to the Compare view.
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
        if (choice == null || !choice.runnable()) {
            tasks.error.set(messages.get("device.error.profile", choice == null ? "?" : choice.name()));
            return;
        }
        if (host == null) {
            tasks.error.set(messages.get("device.error.noHost"));
            return;
        }
        RunnerProfile runner = bridge.profiles().stream().filter(p -> p.name().equals(choice.name())).findFirst().orElseThrow();
        String serial = d.serial();
        CancelToken t = tasks.begin();
        runMessage.set("");
        tasks.preparing(engineRunner.submit(BackgroundTask.of(messages.get("task.device.prepare"), p -> prepare(host, p, t))
                .onSuccess(job -> {
                    if (t.isCancelled()) {
                        job.workflow().close();
                        cancelled();
                    } else {
                        runOnBoard(job, serial, runner, host, t);
                    }
                })
                .onCancelled(this::cancelled)
                .onAnyError(e -> {
                    tasks.busy.set(false);
                    errors.report(new ErrorMessages(messages).describe(e), e);
                })));
    }

    /** A board run made ready: the prepared workflow (models written), the input tensor it runs on and the labels. */
    private record BoardJob(DeviceWorkflow workflow, FloatTensor input, Labels labels) {
    }

    /** On the engine's worker: the input as the host preprocessed it, the normal and hybrid models written. */
    private BoardJob prepare(HostSnapshot host, ProgressListener progress, CancelToken cancel) throws Exception {
        Map<String, FloatTensor> feeds = host.run().inputs().load(0);
        if (feeds.size() != 1) {
            throw new IllegalArgumentException(messages.get("device.error.inputs", feeds.size()));
        }
        Path model = host.run().settings().model();
        String base = model.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        List<DeviceWorkflow.Model> models = List.of(DeviceWorkflow.Model.existing(Comparison.FLOAT, model),
                DeviceWorkflow.Model.written(Comparison.NORMAL, base + ".normal.onnx",
                        file -> engine.exportQuantized(host.run().project(), host.run().normalPlan(), file)),
                DeviceWorkflow.Model.written(Comparison.HYBRID, base + ".hybrid.onnx",
                        file -> engine.exportQuantized(host.run().project(), host.hybrid(), file)));
        DeviceWorkflow workflow = DeviceWorkflow.prepare(models, tempRoot, new DeviceWorkflow.Progress() {
            @Override
            public void preparing(String name, int index, int count) throws CancelledException {
                progress.checkCancelled();
                progress.progress(messages.get("step.device.export", name), index - 1, count - 1);
            }
        }, cancel);
        return new BoardJob(workflow, feeds.values().iterator().next(), host.run().labels());
    }

    /** On the device worker: the three models on the board, then the local files removed. */
    private void runOnBoard(BoardJob job, String serial, RunnerProfile runner, HostSnapshot host, CancelToken t) {
        RunRequest request = RunRequest.of(serial, runner, null, job.input()).withLabels(job.labels());
        tasks.submitRaw(BackgroundTask.of(messages.get("task.device.run", serial),
                        p -> job.workflow().run(bridge::run, request, new BoardProgress(p), t))
                .onSuccess(f -> show(f, host))
                .onCancelled(this::cancelled)
                .onAnyError(e -> tasks.error.set(new ErrorMessages(messages).describe(e)))
                .onFinally(() -> {
                    job.workflow().close();
                    tasks.busy.set(false);
                }));
    }

    /**
     * Bridge progress as task progress: one unit per model, and a step a person reads ("hybrid model
     * (3 of 3): running on the board"), not the bridge's command line, which stays in the log.
     */
    private final class BoardProgress implements DeviceWorkflow.Progress {
        private final ProgressListener task;

        BoardProgress(ProgressListener task) {
            this.task = task;
        }

        @Override
        public DeviceProgress board(String model, int index, int count) {
            String name = title(model);
            return new DeviceProgress() {
                @Override
                public void step(Step step, String message) {
                    String key = "device.step." + step.name().toLowerCase(Locale.ROOT);
                    String what = messages.has(key) ? messages.get(key) : step.label();
                    task.progress(messages.get("device.step", name, index + 1, count, what), index, count);
                }

                @Override
                public void transfer(String file, long done, long total) {
                    // a callback per chunk; report whole tenths only
                    if (total > 0 && (done == total || (done * 10 / total) != ((done - 1) * 10 / total))) {
                        task.progress(messages.get("device.step", name, index + 1, count,
                                messages.get("device.step.transfer", file, done * 100 / total)), index, count);
                    }
                }
            };
        }
    }

    private void show(DeviceWorkflow.Outcome f, HostSnapshot host) {
        List<DeviceResult> shown = new ArrayList<>();
        for (Map.Entry<String, DeviceRunResult> e : f.done().entrySet()) {
            DeviceRunResult r = e.getValue();
            shown.add(new DeviceResult(f.serial(), r.deviceModel(), e.getKey(), r.top(), r.profile(), r.pushTime().toMillis(), r.runTime().toMillis()));
        }
        lastFinished = f;
        lastHost = host;
        fillResults(f, host);
        if (!shown.isEmpty()) {
            compare.setDeviceResults(shown, host);
        }
        if (f.failure() != null) {
            // a lost or failing board is reported here, in the panel, once
            tasks.error.set(messages.get("device.error.run", title(f.failedModel()), f.failure().getMessage()));
            Step step = f.failure().step();
            if (step == Step.CONNECT || step == Step.DISCOVER) {
                boards.markUnreachable(f.serial());
            }
        } else {
            boards.reached(f.serial());
            long agree = results.stream().filter(ResultLine::agrees).count();
            runMessage.set(messages.get("device.run.done", f.done().size(), f.serial(), agree));
        }
    }

    /** The result lines in the current language. */
    private void fillResults(DeviceWorkflow.Outcome f, HostSnapshot host) {
        results.clear();
        for (Map.Entry<String, DeviceRunResult> e : f.done().entrySet()) {
            DeviceRunResult r = e.getValue();
            TopK h = host.top5().get(e.getKey());
            results.add(new ResultLine(title(e.getKey()), describe(r.top().top1()), describe(h.top1()),
                    r.top().top1().index() == h.top1().index(), r.top().largestDelta(h), r.pushTime().toMillis(),
                    r.runTime().toMillis()));
        }
    }

    private void cancelled() {
        tasks.busy.set(false);
        runMessage.set(messages.get("device.run.cancelled"));
    }

    private static String describe(TopK.Entry e) {
        return "[" + e.index() + "] " + (e.label() == null ? "" : e.label() + " ") + String.format(Locale.ROOT, "%.4f", e.score());
    }

    private String title(String model) {
        return messages.get("compare.column." + model);
    }

    /** Writes the result lines and the run's message again, e.g. after the language changed. */
    void relabel() {
        if (lastFinished != null) {
            fillResults(lastFinished, lastHost);
            if (lastFinished.failure() == null && !runMessage.get().isEmpty()) {
                runMessage.set(messages.get("device.run.done", lastFinished.done().size(), lastFinished.serial(),
                        results.stream().filter(ResultLine::agrees).count()));
            } else if (lastFinished.failure() != null && !tasks.error.get().isEmpty()) {
                tasks.error.set(messages.get("device.error.run", title(lastFinished.failedModel()),
                        lastFinished.failure().getMessage()));
            }
        }
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
