package dev.layerwise.core.runtime;

import dev.layerwise.core.io.InputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Class names, one per line in index order (blank lines keep their index). Immutable. */
public record Labels(List<String> names) {

    /** The file name looked for beside a model. */
    public static final String BESIDE_MODEL = "labels.txt";

    public Labels {
        names = List.copyOf(names);
    }

    public static Labels load(Path file) throws IOException {
        String text = InputFiles.readUtf8(file, "labels file", InputFiles.SMALL_TEXT_LIMIT);
        return new Labels(text.lines().map(String::strip).toList());
    }

    /** {@code labels.txt} in the model's folder, the one place that convention lives; null when absent. */
    public static Labels besideModel(Path model) throws IOException {
        Path beside = model.toAbsolutePath().resolveSibling(BESIDE_MODEL);
        return Files.isRegularFile(beside) ? load(beside) : null;
    }

    /** Name of class {@code index}, or {@code null} past the end of the list. */
    public String get(int index) {
        return index >= 0 && index < names.size() && !names.get(index).isEmpty() ? names.get(index) : null;
    }
}
