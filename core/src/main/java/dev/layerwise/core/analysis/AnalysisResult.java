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
 * @param outputs every graph output, quantized vs float (entire), in graph order; at least one
 * @param timing where the time went
 */
public record AnalysisResult(String model, QuantType dtype, CalibrationAlgorithm algorithm, List<String> inputs,
        List<LayerReport> layers, List<OutputMetrics> outputs, Timing timing) {

    public AnalysisResult {
        inputs = List.copyOf(inputs);
        layers = List.copyOf(layers);
        outputs = List.copyOf(outputs);
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("an analysis judges at least one output");
        }
    }

    /** The output with the lowest cosine: the model is as good as its worst output. */
    public OutputMetrics worstOutput() {
        return OutputComparison.worst(outputs);
    }

    /** The worst output's metrics ({@code final.cosine} in analysis.json). */
    public Metrics finalMetrics() {
        return worstOutput().metrics();
    }

    /** Top-5 of the float model on the first input, of the first class-vector output; {@code null} when none is one. */
    public TopK floatTop5() {
        OutputMetrics c = OutputComparison.firstClassVector(outputs);
        return c == null ? null : c.floatTop5();
    }

    /** As {@link #floatTop5()}, for the quantized model. */
    public TopK quantizedTop5() {
        OutputMetrics c = OutputComparison.firstClassVector(outputs);
        return c == null ? null : c.top5();
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
