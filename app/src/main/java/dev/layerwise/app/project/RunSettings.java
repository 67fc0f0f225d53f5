package dev.layerwise.app.project;

import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.quant.QuantType;
import java.nio.file.Path;

/**
 * The sidebar's settings, captured on the FX thread when Run is pressed. Immutable.
 *
 * @param input the image or .npy to analyse, or {@code null} for the dataset's first entry
 */
public record RunSettings(Path model, Path dataset, Path input, Preprocessing preprocessing, QuantType type,
        CalibrationAlgorithm algorithm) {
}
