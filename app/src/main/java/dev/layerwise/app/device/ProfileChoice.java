package dev.layerwise.app.device;

import dev.layerwise.bridge.profile.RunnerProfile;

/**
 * A runner profile as the profile chooser shows it. Immutable.
 *
 * @param name profile name, e.g. {@code onnxruntime-python}
 * @param description one line from the profile
 * @param source {@code built-in} or the YAML file it came from
 * @param runnable true when the workbench can run its three ONNX models with it (the profile takes
 *     {@code .onnx} files and needs no file from the user)
 * @param rknn true when it runs a {@code .rknn} file the user chooses and needs no other file
 *     (e.g. {@code rknn-lite2})
 */
public record ProfileChoice(String name, String description, String source, boolean runnable, boolean rknn) {

    static ProfileChoice of(RunnerProfile p) {
        boolean noFiles = p.userFiles().isEmpty();
        return new ProfileChoice(p.name(), p.description(), p.source(), p.acceptsModel("model.onnx") && noFiles,
                !p.acceptsModel("model.onnx") && p.acceptsModel("model.rknn") && noFiles);
    }

    @Override
    public String toString() {
        return name;
    }
}
