package dev.layerwise.core.preprocess;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One calibration or test sample: one file per model input, in the order of the model's inputs.
 * Immutable and thread-safe.
 *
 * @param datasetFile the dataset list the sample came from, as the caller named it; for a sample
 *     given directly ({@link Dataset#single}) the sample file itself
 * @param line 1-based line in {@code datasetFile}, or 0 for a sample given directly
 * @param files the sample files, absolute and normalised when they came from a dataset list; at
 *     least one
 */
public record Sample(Path datasetFile, int line, List<Path> files) {

    public Sample {
        Objects.requireNonNull(datasetFile, "datasetFile");
        if (line < 0) {
            throw new IllegalArgumentException("line must be 0 or more, was " + line);
        }
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a sample needs at least one file");
        }
    }

    /** Where the sample came from, for messages: {@code /x/dataset.txt line 7}, or the file itself. */
    public String origin() {
        return line == 0 ? datasetFile.toString() : datasetFile + " line " + line;
    }
}
