package dev.layerwise.app.cli;

import dev.layerwise.core.analysis.Analyzer;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes every layer's float, entire and individual output of each analysed input as
 * {@code DIR/input_N/{float,entire,individual}/LAYER.npy}.
 */
final class NpyDumper implements Analyzer.TensorSink {

    private final Path dir;
    private final LayerGraph graph;

    NpyDumper(Path dir, LayerGraph graph) {
        this.dir = dir;
        this.graph = graph;
    }

    @Override
    public void accept(int input, Map<String, FloatTensor> outputs) throws Exception {
        Path base = dir.resolve("input_" + input);
        for (Layer l : graph.layers()) {
            String file = safe(l.name()) + ".npy";
            write(base.resolve("float").resolve(file), outputs.get(l.output()));
            write(base.resolve("entire").resolve(file), outputs.get(l.output() + QuantGraphBuilder.ENTIRE));
            write(base.resolve("individual").resolve(file), outputs.get(l.output() + QuantGraphBuilder.INDIVIDUAL));
        }
    }

    private static void write(Path file, FloatTensor t) throws Exception {
        if (t != null) {
            Npy.write(file, t);
        }
    }

    /** A layer name as a file name: path separators and other awkward characters become '_'. */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
