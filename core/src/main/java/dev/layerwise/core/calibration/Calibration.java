package dev.layerwise.core.calibration;

import dev.layerwise.core.quant.TensorRange;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Result of calibration: the range of every quantization tensor. Immutable.
 *
 * @param algorithm how ranges were chosen
 * @param ranges chosen range by tensor name (graph inputs and layer outputs)
 * @param histograms value histograms by tensor name (for drawing and for KL/MMSE), may be empty
 * @param samples number of samples seen
 * @param millis wall time spent, session creation included
 * @param observed smallest and largest finite value seen by tensor name; equal to {@code ranges}
 *     for {@code normal}
 * @param decisionTensors tensors that keep their observed range whatever the algorithm because
 *     they decide the network's answer (graph outputs, arg-max/Softmax inputs; decision 0007)
 */
public record Calibration(CalibrationAlgorithm algorithm, Map<String, TensorRange> ranges, Map<String, Histogram> histograms,
        int samples, long millis, Map<String, TensorRange> observed, Set<String> decisionTensors) {

    public Calibration {
        ranges = Map.copyOf(ranges);
        histograms = Map.copyOf(histograms);
        observed = Map.copyOf(observed);
        decisionTensors = Set.copyOf(decisionTensors);
    }

    /** Ranges given by hand or read from a file: what was observed is not known, so the ranges stand for it. */
    public Calibration(CalibrationAlgorithm algorithm, Map<String, TensorRange> ranges, Map<String, Histogram> histograms,
            int samples, long millis) {
        this(algorithm, ranges, histograms, samples, millis, ranges, Set.of());
    }

    /**
     * Share of the calibration values of {@code tensor}, in [0, 1], that its chosen range clips;
     * empty when that cannot be told (no histogram kept and the range differs from what was
     * observed).
     */
    public OptionalDouble clippedShare(String tensor) {
        TensorRange r = ranges.get(tensor);
        return r == null ? OptionalDouble.empty() : clippedShare(tensor, r.min(), r.max());
    }

    /**
     * Share of the calibration values of {@code tensor}, in [0, 1], outside [lo, hi] (a range in
     * effect may come from another tensor, e.g. a Reshape's input); 0 when [lo, hi] holds all
     * that was observed, from the histogram otherwise, empty when neither tells.
     */
    public OptionalDouble clippedShare(String tensor, double lo, double hi) {
        TensorRange seen = observed.get(tensor);
        if (seen == null) {
            return OptionalDouble.empty();
        }
        if (lo <= seen.min() && hi >= seen.max()) {
            return OptionalDouble.of(0);
        }
        Histogram h = histograms.get(tensor);
        return h == null ? OptionalDouble.empty() : OptionalDouble.of(h.shareOutside(lo, hi));
    }
}
