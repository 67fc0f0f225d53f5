package dev.layerwise.bridge.profile;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How to run a model on a device: which files to push, the command, and where the result comes
 * from. Loaded from YAML ({@link ProfileRegistry}). Immutable.
 *
 * <p>The command is a shell template written by the profile's author; its placeholders
 * {@code {model}}, {@code {input}}, {@code {output}} and {@code {dir}} are replaced by quoted
 * device paths, so file names never act as shell syntax.
 *
 * @param name e.g. {@code onnxruntime-python}
 * @param description one line for lists
 * @param modelTypes accepted model file extensions without dot ({@code onnx}, {@code rknn}); empty accepts any
 * @param requires what the device must have: {@code python3}, {@code python:MODULE}, {@code lib:rknnrt}
 * @param files extra files pushed into the work folder
 * @param command shell template run in the work folder
 * @param outputFile file the command writes (pulled back), or {@code null} to parse stdout
 * @param timeout longest the command may run
 * @param source where the profile came from ({@code built-in} or a file path)
 */
public record RunnerProfile(String name, String description, List<String> modelTypes, List<String> requires,
        List<FileSpec> files, String command, String outputFile, Duration timeout, String source) {

    /**
     * A file to push.
     *
     * @param resource a file shipped with the profile (built-in resource or next to the YAML file), or {@code null}
     * @param userKey key of a file the user gives at run time ({@code --file KEY=PATH}), or {@code null}
     * @param target name in the work folder
     * @param mode Unix permissions, e.g. 0755 for binaries
     */
    public record FileSpec(String resource, String userKey, String target, int mode) {
    }

    public RunnerProfile {
        modelTypes = List.copyOf(modelTypes);
        requires = List.copyOf(requires);
        files = List.copyOf(files);
    }

    /** True when the result is read from the command's output rather than a file. */
    public boolean outputFromStdout() {
        return outputFile == null;
    }

    /** Whether a model file with this name suits the profile. */
    public boolean acceptsModel(String fileName) {
        if (modelTypes.isEmpty()) {
            return true;
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        return modelTypes.stream().anyMatch(t -> lower.endsWith("." + t));
    }

    /** Keys of files the user must supply at run time. */
    public List<String> userFiles() {
        return files.stream().filter(f -> f.userKey() != null).map(FileSpec::userKey).toList();
    }

    private static final java.util.regex.Pattern NUMBERED = java.util.regex.Pattern.compile("(.*?)(\\d+)(\\.[^.]+)");

    /**
     * Where a runner writes graph output {@code i} (from 0) when its first output goes to
     * {@code first}: the others beside it, numbered as {@code rknn_benchmark} numbers them when the
     * name ends in a number ({@code rt_output0.npy}, {@code rt_output1.npy}, …), else
     * {@code output.npy}, {@code output.1.npy}, {@code output.2.npy}, … The bridge pulls them in
     * this order for as long as they exist.
     */
    public static String outputFileName(String first, int i) {
        if (i == 0) {
            return first;
        }
        java.util.regex.Matcher m = NUMBERED.matcher(first);
        if (m.matches()) {
            return m.group(1) + (Integer.parseInt(m.group(2)) + i) + m.group(3);
        }
        int dot = first.lastIndexOf('.');
        return dot <= 0 ? first + "." + i : first.substring(0, dot) + "." + i + first.substring(dot);
    }
}
