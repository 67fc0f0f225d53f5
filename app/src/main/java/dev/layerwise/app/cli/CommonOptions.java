package dev.layerwise.app.cli;

import dev.layerwise.app.cli.CliCommand.UsageException;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.runtime.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Options several commands share: the model (default: the bundled sample), preprocessing, labels. */
public final class CommonOptions {

    public static final Set<String> PREPROCESS = Set.of("mean", "std", "reorder", "labels");

    private CommonOptions() {
    }

    /** The model named on the command line, or the bundled sample when none is. */
    public static Path model(Args a) throws UsageException {
        if (a.first() != null) {
            return Path.of(a.first());
        }
        Path sample = SampleModel.locate();
        if (sample == null) {
            throw new UsageException("no MODEL given and the bundled sample (" + SampleModel.RELATIVE + ") was not found");
        }
        return sample;
    }

    /** Preprocessing from --mean/--std/--reorder; the sample's own when the model is the sample and none are given. */
    public static Preprocessing preprocessing(Args a, Path model) throws UsageException {
        String mean = a.get("mean");
        String std = a.get("std");
        String reorder = a.get("reorder");
        if (mean == null && std == null && reorder == null && SampleModel.isSample(model)) {
            return SampleModel.PREPROCESSING;
        }
        Preprocessing p;
        try {
            p = Preprocessing.parse(mean, std, reorder);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        // images have 1, 3 or 4 channels: any other count fits no model, so say so before loading one
        requireChannelCount("--mean", p.mean().length);
        requireChannelCount("--std", p.std().length);
        return p;
    }

    private static void requireChannelCount(String option, int values) throws UsageException {
        if (values != 1 && values != 3 && values != 4) {
            throw new UsageException(option + " has " + values + " values; give 1, or one per channel (3, or 4 with alpha)");
        }
    }

    /** --labels, else {@code labels.txt} beside the model, else none. */
    public static Labels labels(Args a, Path model) throws IOException {
        Path given = a.path("labels");
        if (given != null) {
            return Labels.load(given);
        }
        Path beside = model.toAbsolutePath().getParent().resolve("labels.txt");
        return Files.isRegularFile(beside) ? Labels.load(beside) : null;
    }
}
