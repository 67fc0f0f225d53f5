package dev.layerwise.app.device;

import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.common.TaskStatus;
import dev.layerwise.app.compare.CompareViewModel;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.core.compare.Comparison;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

/**
 * The Device view's state and actions, in two parts: the board list ({@link BoardListViewModel}:
 * adb server devices plus boards added by {@code HOST:PORT}, the selected one) and the runs
 * ({@link BoardRunViewModel}: runner profile, the float, normal and hybrid models on the board, their
 * results as device columns in the Compare view). Both share one busy state, one error line and
 * one cancel; this class wires them and gives the view one place to bind to.
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

    private final DeviceTasks tasks;
    private final BoardListViewModel boards;
    private final BoardRunViewModel runs;
    private final CompareViewModel compare;
    private final BooleanBinding runnable;

    /**
     * @param engineRunner the engine's worker, for exporting the quantized models
     * @param deviceRunner a worker for bridge calls; may be the engine's (tests)
     */
    public DeviceViewModel(Engine engine, DeviceBridge bridge, TaskRunner engineRunner, TaskRunner deviceRunner,
            CompareViewModel compare, ErrorReporter errors, Messages messages) {
        this(engine, bridge, engineRunner, deviceRunner, compare, errors, messages, null);
    }

    /** @param tempRoot where a run's written models are kept until it ends; {@code null}: the system's temporary folder */
    public DeviceViewModel(Engine engine, DeviceBridge bridge, TaskRunner engineRunner, TaskRunner deviceRunner,
            CompareViewModel compare, ErrorReporter errors, Messages messages, Path tempRoot) {
        this.compare = compare;
        this.tasks = new DeviceTasks(deviceRunner, messages);
        this.boards = new BoardListViewModel(bridge, tasks, messages);
        this.runs = new BoardRunViewModel(engine, bridge, engineRunner, tasks, boards, compare, errors, messages, tempRoot);
        ObjectProperty<DeviceRow> selected = boards.selectedProperty();
        ObjectProperty<ProfileChoice> profile = runs.profileProperty();
        ObjectProperty<Path> rknn = runs.rknnFileProperty();
        runnable = Bindings.createBooleanBinding(() -> !tasks.busy.get() && selected.get() != null && selected.get().usable()
                && profile.get() != null && (profile.get().runnable() || profile.get().rknn() && rknn.get() != null),
                tasks.busy, selected, profile, rknn);
    }

    /** The board list and the selected board. */
    public BoardListViewModel boards() {
        return boards;
    }

    /** Profiles, runs and their results. */
    public BoardRunViewModel runs() {
        return runs;
    }

    // ---- board list

    /** Lists devices once, the first time the Device view is shown (starting adb has side effects). */
    public void refreshIfNeverListed() {
        boards.refreshIfNeverListed();
    }

    /** See {@link BoardListViewModel#rememberBoards}. */
    public void rememberBoards(List<String> addresses, Consumer<List<String>> store) {
        boards.rememberBoards(addresses, store);
    }

    /** Lists the adb server's devices and re-probes the boards added directly. */
    public void refresh() {
        boards.refresh();
    }

    /** Adds a network board: {@code HOST:PORT} through the adb server, {@code direct:HOST:PORT} straight over TCP. */
    public void connect() {
        boards.connect();
    }

    // ---- runs

    /** See {@link BoardRunViewModel#run}. */
    public void run() {
        runs.run();
    }

    /** Stops the device work in progress: the bridge closes its streams, the worker gives up. */
    public void cancel() {
        tasks.cancel();
    }

    /** Writes the texts derived from the bridge's results again, e.g. after the language changed. */
    public void relabel() {
        boards.relabel();
        runs.relabel();
    }

    // ---- properties

    public ObservableList<DeviceRow> devices() {
        return boards.devices();
    }

    public ObjectProperty<DeviceRow> selectedProperty() {
        return boards.selectedProperty();
    }

    public ObservableList<ProfileChoice> profiles() {
        return runs.profiles();
    }

    public ObjectProperty<ProfileChoice> profileProperty() {
        return runs.profileProperty();
    }

    /** What "Add" connects to: {@code HOST:PORT} or {@code direct:HOST:PORT}. */
    public StringProperty addressProperty() {
        return boards.addressProperty();
    }

    /** How many devices, or why none could be listed (e.g. how to install adb). */
    public ReadOnlyStringProperty listMessageProperty() {
        return boards.listMessageProperty();
    }

    /** The last device failure, naming device and step; empty when the last action worked. */
    public ReadOnlyStringProperty errorProperty() {
        return tasks.error.getReadOnlyProperty();
    }

    /** One line about the last run. */
    public ReadOnlyStringProperty runMessageProperty() {
        return runs.runMessageProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return tasks.busy.getReadOnlyProperty();
    }

    /** True when a usable device and a runnable profile (with its {@code .rknn} file, if it takes one) are chosen and nothing runs. */
    public BooleanBinding runnableProperty() {
        return runnable;
    }

    /** The {@code .rknn} file runs with a {@code .rknn} profile push, or {@code null}. */
    public ObjectProperty<Path> rknnFileProperty() {
        return runs.rknnFileProperty();
    }

    /** See {@link BoardRunViewModel#chooseRknn}. */
    public void chooseRknn(Path file) {
        runs.chooseRknn(file);
    }

    /** The last run's outcome per model and output. */
    public ObservableList<ResultLine> results() {
        return runs.results();
    }

    /** Progress of the device worker, for the panel's progress bar. */
    public TaskStatus status() {
        return tasks.runner().status();
    }

    public CompareViewModel compare() {
        return compare;
    }
}
