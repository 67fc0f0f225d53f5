package dev.layerwise.core.calibration;

import dev.layerwise.core.quant.TensorRange;
import java.util.Map;

/**
 * Result of calibration: the range of every quantization tensor. Immutable.
 *
 * @param algorithm how ranges were chosen
 * @param ranges by tensor name (graph inputs and layer outputs)
 * @param histograms value histograms by tensor name (for drawing and for KL/MMSE), may be empty
 * @param samples number of samples seen
 * @param millis wall time spent, session creation included
 */
public record Calibration(CalibrationAlgorithm algorithm, Map<String, TensorRange> ranges, Map<String, Histogram> histograms,
        int samples, long millis) {
    public Calibration {
        ranges = Map.copyOf(ranges);
        histograms = Map.copyOf(histograms);
    }
}
