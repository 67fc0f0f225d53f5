package dev.layerwise.app.device;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.ErrorMessages;
import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskHandle;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.common.TaskStatus;
import dev.layerwise.app.compare.CompareViewModel;
import dev.layerwise.app.compare.CompareViewModel.HostSnapshot;
import dev.layerwise.app.compare.DeviceResult;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.bridge.adb.AdbUnavailableException;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.device.DeviceState;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.bridge.run.DeviceWorkflow;
import dev.layerwise.bridge.run.RunRequest;
import dev.layerwise.bridge.run.DeviceRunResult;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Device view's state and actions: list devices (adb server plus boards added by
 * {@code HOST:PORT}), show the selected one, pick a runner profile, and run the float, normal and
 * hybrid models on the board. The results become device columns in the Compare view, compared
 * with the host result of the same model.
 *
 * <p>Threading: the two quantized models are exported on the engine's worker (an engine project
 * is single-threaded); all bridge calls run on the device worker, so a slow or lost board never
 * holds up the engine, and every bridge call is bounded by the bridge's timeouts. Device failures
 * show in the panel ({@link #errorProperty()}), not as dialogs. State changes on the FX thread only.
 */
public final class DeviceViewModel {

    /** The models a run pushes, in column order. */
    public static final List<String> MODELS = Comparison.MODELS;
    public static final String DEFAULT_PROFILE = "onnxruntime-python";

    private final Engine engine;
    private final DeviceBridge bridge;
    private final TaskRunner engineRunner;
    private final TaskRunner deviceRunner;
    private final CompareViewModel compare;
    private final ErrorReporter errors;
    private final Messages messages;

    private final ObservableList<DeviceRow> devices = FXCollections.observableArrayList();
    private final ObjectProperty<DeviceRow> selected = new SimpleObjectProperty<>();
    private final ObservableList<ProfileChoice> profiles = FXCollections.observableArrayList();
    private final ObjectProperty<ProfileChoice> profile = new SimpleObjectProperty<>();
    private final StringProperty address = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper listMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper runMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    // the last finished run, to write its lines again in another language
    private DeviceWorkflow.Outcome lastFinished;
    private HostSnapshot lastHost;
    private final ObservableList<ResultLine> results = FXCollections.observableArrayList();
    private final BooleanBinding runnable;

    // FX thread only
    private final Set<String> directSerials = new LinkedHashSet<>();
    private final Map<String, String> problems = new LinkedHashMap<>();
    private List<DeviceInfo> infos = List.of();
    // network boards the user added, kept across restarts: HOST:PORT or direct:HOST:PORT
    private final Set<String> knownBoards = new LinkedHashSet<>();
    private java.util.function.Consumer<List<String>> storeBoards = boards -> { };
    private String listNote;
    private boolean listed;
    private CancelToken token;
    private TaskHandle prepareHandle = TaskHandle.NONE;
    private TaskHandle deviceHandle = TaskHandle.NONE;

    /**
     * @param engineRunner the engine's worker, for exporting the quantized models
     * @param deviceRunner a worker for bridge calls; may be the engine's (tests)
     */
    public DeviceViewModel(Engine engine, DeviceBridge bridge, TaskRunner engineRunner, TaskRunner deviceRunner,
            CompareViewModel compare, ErrorReporter errors, Messages messages) {
        this.engine = engine;
        this.bridge = bridge;
        this.engineRunner = engineRunner;
        this.deviceRunner = deviceRunner;
        this.compare = compare;
        this.errors = errors;
        this.messages = messages;
        for (RunnerProfile p : bridge.profiles()) {
            profiles.add(ProfileChoice.of(p));
        }
        profile.set(profiles.stream().filter(p -> p.name().equals(DEFAULT_PROFILE)).findFirst()
                .orElse(profiles.isEmpty() ? null : profiles.get(0)));
        if (bridge.profilesProblem() != null) {
            error.set(messages.get("device.error.profiles", bridge.profilesProblem()));
        }
        listMessage.set(messages.get("device.list.notYet"));
        runnable = Bindings.createBooleanBinding(() -> !busy.get() && selected.get() != null && selected.get().usable()
                && profile.get() != null && profile.get().runnable(), busy, selected, profile);
    }

    // ---- device list

    /** Lists devices once, the first time the Device view is shown (starting adb has side effects). */
    public void refreshIfNeverListed() {
        if (!listed) {
            refresh();
        }
    }

    /**
     * The network boards added in earlier sessions, and where to keep the list when a board is
     * added: the first listing connects them again.
     */
    public void rememberBoards(List<String> addresses, java.util.function.Consumer<List<String>> store) {
        knownBoards.addAll(addresses);
        for (String a : addresses) {
            if (DeviceBridge.isDirect(a)) {
                directSerials.add(a);
            }
        }
        storeBoards = store;
    }

    /** Lists the adb server's devices and re-probes the boards added directly. */
    public void refresh() {
        boolean first = !listed;
        listed = true;
        List<String> direct = List.copyOf(directSerials);
        List<String> reconnect = first ? knownBoards.stream().filter(a -> !DeviceBridge.isDirect(a)).toList() : List.of();
        CancelToken t = begin();
        submitDeviceWork(BackgroundTask.of(messages.get("task.device.list"), p -> {
            List<DeviceInfo> found = new ArrayList<>();
            Map<String, String> failed = new LinkedHashMap<>();
            String note = null;
            for (String a : reconnect) {
                p.checkCancelled();
                try {
                    bridge.connect(a, t);
                } catch (DeviceException e) {
                    // listed below as offline with the reason, so the user sees the board they added
                    failed.put(a, e.getMessage());
                }
            }
            try {
                found.addAll(bridge.devices());
            } catch (AdbUnavailableException e) {
                note = e.getMessage();
            } catch (DeviceException e) {
                note = e.getMessage();
            }
            for (String serial : direct) {
                p.checkCancelled();
                try {
                    found.add(bridge.probe(serial, t));
                } catch (DeviceException e) {
                    found.add(DeviceInfo.unusable(serial, DeviceState.OFFLINE, null));
                    failed.put(serial, e.getMessage());
                }
            }
            for (String a : reconnect) {
                if (failed.containsKey(a) && found.stream().noneMatch(d -> d.serial().equals(a))) {
                    found.add(DeviceInfo.unusable(a, DeviceState.OFFLINE, null));
                }
            }
            return new Listing(found, failed, note);
        }).onSuccess(this::showListing));
    }

    private record Listing(List<DeviceInfo> devices, Map<String, String> problems, String note) {
    }

    private void showListing(Listing l) {
        problems.clear();
        problems.putAll(l.problems());
        listNote = l.note();
        infos = List.copyOf(l.devices());
        showRows(null);
    }

    /** Adds a network board: {@code HOST:PORT} through the adb server, {@code direct:HOST:PORT} straight over TCP. */
    public void connect() {
        String a = address.get() == null ? "" : address.get().strip();
        if (a.isEmpty()) {
            error.set(messages.get("device.error.noAddress"));
            return;
        }
        CancelToken t = begin();
        submitDeviceWork(BackgroundTask.of(messages.get("task.device.connect", a),
                p -> DeviceBridge.isDirect(a) ? bridge.probe(a, t) : bridge.connect(a, t)).onSuccess(info -> {
                    if (DeviceBridge.isDirect(info.serial())) {
                        directSerials.add(info.serial());
                    }
                    problems.remove(info.serial());
                    List<DeviceInfo> now = new ArrayList<>(infos.stream().filter(d -> !d.serial().equals(info.serial())).toList());
                    now.add(info);
                    infos = List.copyOf(now);
                    listed = true;
                    address.set("");
                    if (knownBoards.add(a)) {
                        storeBoards.accept(List.copyOf(knownBoards));
                    }
                    showRows(info.serial());
                }));
    }

    private void showRows(String select) {
        String keep = select != null ? select : selected.get() == null ? null : selected.get().serial();
        List<DeviceRow> rows = infos.stream().map(d -> DeviceRow.of(d, problems.get(d.serial()), messages)).toList();
        devices.setAll(rows);
        DeviceRow pick = rows.stream().filter(r -> r.serial().equals(keep)).findFirst()
                .orElse(rows.stream().filter(DeviceRow::usable).findFirst().orElse(rows.isEmpty() ? null : rows.get(0)));
        selected.set(pick);
        if (listNote != null) {
            listMessage.set(rows.isEmpty() ? listNote : messages.get("device.list.count", rows.size()) + " \u2014 " + listNote);
        } else {
            listMessage.set(rows.isEmpty() ? messages.get("device.list.none") : messages.get("device.list.count", rows.size()));
        }
    }

    // ---- runs

    /**
     * Pushes the float model, and the normal and hybrid models of the Compare view's last rebuild,
     * to the selected board, runs each with the chosen profile on the analysed input (preprocessed
     * exactly as on the host), and adds the results to the Compare view.
     */
    public void run() {
        DeviceRow d = selected.get();
        ProfileChoice choice = profile.get();
        HostSnapshot host = compare.hostSnapshot();
        if (d == null) {
            error.set(messages.get("device.error.noDevice"));
            return;
        }
        if (!d.usable()) {
            error.set(messages.get("device.error.unusable", d.serial(), d.state(), d.hint()));
            return;
        }
        if (choice == null || !choice.runnable()) {
            error.set(messages.get("device.error.profile", choice == null ? "?" : choice.name()));
            return;
        }
        if (host == null) {
            error.set(messages.get("device.error.noHost"));
            return;
        }
        RunnerProfile runner = bridge.profiles().stream().filter(p -> p.name().equals(choice.name())).findFirst().orElseThrow();
        String serial = d.serial();
        CancelToken t = begin();
        runMessage.set("");
        prepareHandle = engineRunner.submit(BackgroundTask.of(messages.get("task.device.prepare"), p -> prepare(host, p, t))
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
                    busy.set(false);
                    errors.report(new ErrorMessages(messages).describe(e), e);
                }));
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
        DeviceWorkflow workflow = DeviceWorkflow.prepare(models, new DeviceWorkflow.Progress() {
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
        deviceHandle = deviceRunner.submit(BackgroundTask.of(messages.get("task.device.run", serial),
                        p -> job.workflow().run(bridge::run, request, new BoardProgress(p), t))
                .onSuccess(f -> show(f, host))
                .onCancelled(this::cancelled)
                .onAnyError(e -> error.set(new ErrorMessages(messages).describe(e)))
                .onFinally(() -> {
                    job.workflow().close();
                    busy.set(false);
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
        public dev.layerwise.bridge.run.DeviceProgress board(String model, int index, int count) {
            String name = title(model);
            return new dev.layerwise.bridge.run.DeviceProgress() {
                @Override
                public void step(Step step, String message) {
                    String key = "device.step." + step.name().toLowerCase(java.util.Locale.ROOT);
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
            error.set(messages.get("device.error.run", title(f.failedModel()), f.failure().getMessage()));
            Step step = f.failure().step();
            if (step == Step.CONNECT || step == Step.DISCOVER) {
                // unreachable: show it as offline until a refresh finds it again
                infos = infos.stream().map(i -> i.serial().equals(f.serial())
                        ? DeviceInfo.unusable(i.serial(), DeviceState.OFFLINE, i.model()) : i).toList();
                showRows(f.serial());
            }
        } else {
            if (problems.remove(f.serial()) != null) {
                showRows(f.serial());
            }
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
        busy.set(false);
        runMessage.set(messages.get("device.run.cancelled"));
    }

    private static String describe(TopK.Entry e) {
        return "[" + e.index() + "] " + (e.label() == null ? "" : e.label() + " ") + String.format(Locale.ROOT, "%.4f", e.score());
    }

    private String title(String model) {
        return messages.get("compare.column." + model);
    }

    /** Stops the device work in progress: the bridge closes its streams, the worker gives up. */
    public void cancel() {
        if (token != null) {
            token.cancel();
        }
        prepareHandle.cancel();
        deviceHandle.cancel();
    }

    /** Starts a device action: clears the last error, makes a fresh cancel token. */
    private CancelToken begin() {
        error.set("");
        busy.set(true);
        token = new CancelToken();
        return token;
    }

    /** Device work: a device failure goes to the panel; cancellation and the rest end the busy state. */
    private <T> void submitDeviceWork(BackgroundTask<T> task) {
        deviceHandle = deviceRunner.submit(task
                .onError(DeviceException.class, e -> error.set(e.getMessage()))
                .onError(AdbUnavailableException.class, e -> error.set(e.getMessage()))
                .onCancelled(() -> busy.set(false))
                .onAnyError(e -> error.set(new ErrorMessages(messages).describe(e)))
                .onFinally(() -> busy.set(false)));
    }

    /** Writes the texts derived from the bridge's results again, e.g. after the language changed. */
    public void relabel() {
        if (listed) {
            showRows(null);
        } else {
            listMessage.set(messages.get("device.list.notYet"));
        }
        if (lastFinished != null) {
            fillResults(lastFinished, lastHost);
            if (lastFinished.failure() == null && !runMessage.get().isEmpty()) {
                runMessage.set(messages.get("device.run.done", lastFinished.done().size(), lastFinished.serial(),
                        results.stream().filter(ResultLine::agrees).count()));
            } else if (lastFinished.failure() != null && !error.get().isEmpty()) {
                error.set(messages.get("device.error.run", title(lastFinished.failedModel()), lastFinished.failure().getMessage()));
            }
        }
    }

    // ---- properties

    public ObservableList<DeviceRow> devices() {
        return devices;
    }

    public ObjectProperty<DeviceRow> selectedProperty() {
        return selected;
    }

    public ObservableList<ProfileChoice> profiles() {
        return profiles;
    }

    public ObjectProperty<ProfileChoice> profileProperty() {
        return profile;
    }

    /** What "Add" connects to: {@code HOST:PORT} or {@code direct:HOST:PORT}. */
    public StringProperty addressProperty() {
        return address;
    }

    /** How many devices, or why none could be listed (e.g. how to install adb). */
    public ReadOnlyStringProperty listMessageProperty() {
        return listMessage.getReadOnlyProperty();
    }

    /** The last device failure, naming device and step; empty when the last action worked. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** One line about the last run. */
    public ReadOnlyStringProperty runMessageProperty() {
        return runMessage.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** True when a usable device and a runnable profile are chosen and nothing runs. */
    public BooleanBinding runnableProperty() {
        return runnable;
    }

    /** The last run's outcome per model. */
    public ObservableList<ResultLine> results() {
        return results;
    }

    /** Progress of the device worker, for the panel's progress bar. */
    public TaskStatus status() {
        return deviceRunner.status();
    }

    public CompareViewModel compare() {
        return compare;
    }
}
