package dev.layerwise.app.project;

import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.quant.QuantType;
import java.nio.file.Path;

/**
 * The sidebar's settings, captured on the FX thread when Run is pressed. Immutable.
 *
 * @param input the image or .npy to analyse, or {@code null} for the dataset's first entry
 * @param toolkit the RKNN toolkit the user works with: its cfg layout and names, and for
 *     RKNN-Toolkit2 per-channel weights (its {@code quantized_method} default)
 * @param inputShapes sizes for dynamic input dimensions ({@link InputShapes#NONE} for none)
 */
public record RunSettings(Path model, Path dataset, Path input, Preprocessing preprocessing, QuantType type,
        CalibrationAlgorithm algorithm, Toolkit toolkit, InputShapes inputShapes) {

    /** Weights per output channel: RKNN-Toolkit2's default, per tensor for RKNN-Toolkit. */
    public boolean perChannel() {
        return toolkit == Toolkit.TOOLKIT2;
    }
}
