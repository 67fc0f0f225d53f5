package dev.layerwise.core.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Class names, one per line in index order (blank lines keep their index). Immutable. */
public record Labels(List<String> names) {

    public Labels {
        names = List.copyOf(names);
    }

    public static Labels load(Path file) throws IOException {
        try {
            return new Labels(Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).toList());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": labels file not found", e);
        }
    }

    /** Name of class {@code index}, or {@code null} past the end of the list. */
    public String get(int index) {
        return index >= 0 && index < names.size() && !names.get(index).isEmpty() ? names.get(index) : null;
    }
}
