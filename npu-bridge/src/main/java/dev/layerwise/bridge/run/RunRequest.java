package dev.layerwise.bridge.run;

import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One model run on one device. Immutable.
 *
 * @param serial device serial from discovery ({@code direct:host:port} for a direct connection)
 * @param profile how to run it
 * @param model the model file ({@code .onnx} or {@code .rknn}, as the profile wants)
 * @param input the preprocessed input tensor, sent as float32 {@code .npy}
 * @param userFiles files the profile asks the user for ({@link RunnerProfile#userFiles()}), by key
 * @param labels class names for the top-k, or {@code null}
 * @param topK how many classes to report
 * @param runTimeout longest the runner may take, or {@code null} for the profile's
 * @param keepWorkFolder leave the device's work folder in place (for debugging)
 */
public record RunRequest(String serial, RunnerProfile profile, Path model, FloatTensor input, Map<String, Path> userFiles,
        Labels labels, int topK, Duration runTimeout, boolean keepWorkFolder) {

    public RunRequest {
        userFiles = Map.copyOf(userFiles);
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1");
        }
    }

    /** A run with the profile's timeout, top-5 and no labels or extra files. */
    public static RunRequest of(String serial, RunnerProfile profile, Path model, FloatTensor input) {
        return new RunRequest(serial, profile, model, input, Map.of(), null, 5, null, false);
    }

    public RunRequest withModel(Path m) {
        return new RunRequest(serial, profile, m, input, userFiles, labels, topK, runTimeout, keepWorkFolder);
    }

    public RunRequest withLabels(Labels l) {
        return new RunRequest(serial, profile, model, input, userFiles, l, topK, runTimeout, keepWorkFolder);
    }

    public RunRequest withUserFiles(Map<String, Path> files) {
        return new RunRequest(serial, profile, model, input, files, labels, topK, runTimeout, keepWorkFolder);
    }

    public RunRequest withRunTimeout(Duration t) {
        return new RunRequest(serial, profile, model, input, userFiles, labels, topK, t, keepWorkFolder);
    }
}
