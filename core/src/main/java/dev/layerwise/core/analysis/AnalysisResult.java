package dev.layerwise.core.analysis;

import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.TopK;
import java.util.List;

/**
 * Outcome of an accuracy analysis. Immutable.
 *
 * @param model model file name
 * @param dtype default quantized type
 * @param algorithm calibration algorithm
 * @param inputs the analysed input files, as given
 * @param layers per-layer reports in graph order
 * @param finalMetrics the model output, quantized vs float (entire), averaged over inputs
 * @param floatTop5 top-5 of the float model on the first input
 * @param quantizedTop5 top-5 of the quantized model on the first input
 * @param timing where the time went
 */
public record AnalysisResult(String model, QuantType dtype, CalibrationAlgorithm algorithm, List<String> inputs,
        List<LayerReport> layers, Metrics finalMetrics, TopK floatTop5, TopK quantizedTop5, Timing timing) {

    public AnalysisResult {
        inputs = List.copyOf(inputs);
        layers = List.copyOf(layers);
    }

    /**
     * @param buildMillis building the analysis graph
     * @param sessionMillis creating the ONNX Runtime session
     * @param runMillis running all inputs and computing metrics
     */
    public record Timing(long buildMillis, long sessionMillis, long runMillis) {
    }

    public LayerReport layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }
}
