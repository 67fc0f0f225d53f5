package dev.layerwise.bridge.run;

import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.core.task.CancelledException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A device run of several models on one input, start to end: prepare (write the models the host
 * makes, e.g. quantized copies, into a local temporary folder), then for each model in order push,
 * run, pull and clean up on the board ({@link Runner}, i.e. {@link Bridge#run}), then delete the
 * local folder ({@link #close}). {@code device-run} and the workbench's Device view both run boards
 * through this class.
 *
 * <p>Threading: {@link #prepare} may run on one worker (the engine's, which owns the host models)
 * and {@link #run} on another (the device worker); one thread at a time. A failure on the board
 * ends the run and is returned in the {@link Outcome} with the models that did run; cancelling the
 * token throws {@link CancelledException}.
 */
public final class DeviceWorkflow implements AutoCloseable {

    /** Writes a model file the host makes. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file) throws Exception;
    }

    /**
     * One model of the run.
     *
     * @param name the model's name in the outcome (e.g. {@code float}, {@code normal}, {@code hybrid})
     * @param file an existing model file, or the file name to write into the temporary folder
     * @param writer what writes it, or {@code null} for an existing file
     */
    public record Model(String name, Path file, Writer writer) {

        /** A model file that exists, e.g. the float model or the user's {@code .rknn}. */
        public static Model existing(String name, Path file) {
            return new Model(name, file, null);
        }

        /** A model the host writes under {@code fileName} when the run is prepared. */
        public static Model written(String name, String fileName, Writer writer) {
            return new Model(name, Path.of(fileName), writer);
        }
    }

    /** Runs one request on a board: {@link Bridge#run}, or a seam in front of it. */
    @FunctionalInterface
    public interface Runner {
        DeviceRunResult run(RunRequest request, DeviceProgress listener, CancelToken cancel) throws DeviceException;
    }

    /** Where each step of the workflow reports. */
    public interface Progress {

        /** A model is being written on the host. */
        default void preparing(String model, int index, int count) throws CancelledException {
        }

        /** The bridge's progress for the board run of one model. */
        default DeviceProgress board(String model, int index, int count) {
            return DeviceProgress.NONE;
        }

        Progress NONE = new Progress() {
        };
    }

    /**
     * What the board did. Immutable.
     *
     * @param serial the board
     * @param done the results of the models that ran, in run order
     * @param failure what stopped the run, or {@code null} when every model ran
     * @param failedModel the model that failed, or {@code null}
     */
    public record Outcome(String serial, Map<String, DeviceRunResult> done, DeviceException failure, String failedModel) {
        public Outcome {
            done = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(done));
        }

        public boolean complete() {
            return failure == null;
        }
    }

    /** Name start of the local folder that holds the models the host writes for a run. */
    public static final String TEMP_PREFIX = "layerwise-device-";

    private final Path folder;
    private final Map<String, Path> files;

    private DeviceWorkflow(Path folder, Map<String, Path> files) {
        this.folder = folder;
        this.files = files;
    }

    /**
     * Writes the models the host makes into a new folder in the system's temporary folder; existing
     * files are used where they are. On failure or cancellation nothing is left behind.
     */
    public static DeviceWorkflow prepare(List<Model> models, Progress progress, CancelToken cancel) throws Exception {
        return prepare(models, null, progress, cancel);
    }

    /**
     * As {@link #prepare(List, Progress, CancelToken)}, with the written models in a new
     * {@code layerwise-device-*} folder under {@code tempRoot} ({@code null}: the system's
     * temporary folder), so that a caller (a test) can see that nothing is left behind.
     */
    public static DeviceWorkflow prepare(List<Model> models, Path tempRoot, Progress progress, CancelToken cancel)
            throws Exception {
        boolean writes = models.stream().anyMatch(m -> m.writer() != null);
        Path folder = !writes ? null : tempRoot == null ? Files.createTempDirectory(TEMP_PREFIX)
                : Files.createTempDirectory(tempRoot, TEMP_PREFIX);
        DeviceWorkflow w = new DeviceWorkflow(folder, new LinkedHashMap<>());
        try {
            for (int i = 0; i < models.size(); i++) {
                Model m = models.get(i);
                if (cancel != null && cancel.isCancelled()) {
                    throw new CancelledException();
                }
                Path file = m.file();
                if (m.writer() != null) {
                    progress.preparing(m.name(), i, models.size());
                    file = folder.resolve(m.file().getFileName().toString());
                    m.writer().write(file);
                }
                w.files.put(m.name(), file);
            }
            return w;
        } catch (Exception | Error e) {
            w.close();
            throw e;
        }
    }

    /** The prepared model files by name, in run order. */
    public Map<String, Path> files() {
        return java.util.Collections.unmodifiableMap(files);
    }

    /**
     * Runs every prepared model on the board, in order, each as {@code request} with its model
     * file; the first board failure ends the run.
     *
     * @param request serial, profile, input, labels and options; its model is replaced per run
     * @throws CancelledException when {@code cancel} was cancelled
     */
    public Outcome run(Runner runner, RunRequest request, Progress progress, CancelToken cancel) throws CancelledException {
        Map<String, DeviceRunResult> done = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Path> e : files.entrySet()) {
            if (cancel != null && cancel.isCancelled()) {
                throw new CancelledException();
            }
            try {
                done.put(e.getKey(), runner.run(request.withModel(e.getValue()), progress.board(e.getKey(), i, files.size()),
                        cancel));
            } catch (DeviceException failure) {
                if (cancel != null && cancel.isCancelled()) {
                    throw new CancelledException();
                }
                return new Outcome(request.serial(), done, failure, e.getKey());
            }
            i++;
        }
        return new Outcome(request.serial(), done, null, null);
    }

    /** Deletes the temporary folder, if any; the board's folders are the bridge's to remove. */
    @Override
    public void close() {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp folder the OS cleans up eventually; nothing the user can do about it
        }
    }
}
