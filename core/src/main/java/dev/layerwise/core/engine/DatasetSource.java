package dev.layerwise.core.engine;

import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.preprocess.InputLoader;
import dev.layerwise.core.preprocess.PreprocessException;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Dataset entries loaded on demand, one file per model input. */
final class DatasetSource implements SampleSource {

    private final LayerGraph graph;
    private final List<Sample> samples;
    private final Preprocessing preprocessing;
    private final Consumer<String> warnings;

    DatasetSource(LayerGraph graph, List<Sample> samples, Preprocessing preprocessing, Consumer<String> warnings) {
        this.graph = graph;
        this.samples = List.copyOf(samples);
        this.preprocessing = preprocessing;
        this.warnings = warnings;
    }

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public Map<String, FloatTensor> load(int i) throws PreprocessException {
        return load(i, warnings);
    }

    @Override
    public void warn(String warning) {
        warnings.accept(warning);
    }

    @Override
    public Map<String, FloatTensor> load(int i, Consumer<String> held) throws PreprocessException {
        Sample s = samples.get(i);
        List<LayerGraph.Input> inputs = graph.inputs();
        if (s.files().size() != inputs.size()) {
            throw new PreprocessException(describe(i) + ": " + s.files().size() + " file(s) given but the model has "
                    + inputs.size() + " input(s) " + inputs.stream().map(LayerGraph.Input::name).toList());
        }
        Map<String, FloatTensor> feeds = new LinkedHashMap<>();
        for (int k = 0; k < inputs.size(); k++) {
            LayerGraph.Input in = inputs.get(k);
            feeds.put(in.name(), InputLoader.load(s.files().get(k), in.shape(), in.name(), preprocessing, held));
        }
        return feeds;
    }

    @Override
    public String describe(int i) {
        Sample s = samples.get(i);
        String files = s.files().size() == 1 ? s.files().get(0).toString() : s.files().toString();
        return s.line() > 0 ? s.datasetFile() + " line " + s.line() + " (" + files + ")" : files;
    }
}
