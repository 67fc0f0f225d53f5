package dev.layerwise.core.runtime;

import ai.onnxruntime.OnnxJavaType;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layer graph's probe run in ONNX Runtime: every node output exposed, the model run once on
 * zeros (batch 1), ORT's inferred types and the computed shapes reported. Stateless and
 * thread-safe; each probe creates and closes its own session.
 */
public final class ShapeProbe implements LayerGraph.Probe {

    /** The one instance. */
    public static final ShapeProbe ORT = new ShapeProbe();

    private ShapeProbe() {
    }

    /** Cuts {@code model} into layers, probing it in ONNX Runtime. */
    public static LayerGraph layerGraph(OnnxModel model) throws ModelLoadException {
        return LayerGraph.build(model, ORT);
    }

    @Override
    public LayerGraph.Probed probe(OnnxModel model, List<LayerGraph.Input> inputs, List<String> tensors)
            throws ModelLoadException {
        ModelProto.Builder probe = model.proto().toBuilder();
        GraphProto.Builder pg = probe.getGraphBuilder();
        Set<String> already = new HashSet<>();
        for (ValueInfoProto o : pg.getOutputList()) {
            already.add(o.getName());
        }
        for (String t : tensors) {
            if (already.add(t)) {
                pg.addOutput(Nodes.output(t));
            }
        }
        try (OnnxSession s = OnnxSession.create(probe.build().toByteArray(), model.label())) {
            Map<String, Boolean> types = new HashMap<>();
            s.outputTypes().forEach((name, type) -> types.put(name, type == OnnxJavaType.FLOAT));
            Map<String, FloatTensor> feeds = new LinkedHashMap<>();
            for (LayerGraph.Input in : inputs) {
                feeds.put(in.name(), new FloatTensor(in.shape(), new float[Math.toIntExact(FloatTensor.elementCount(in.shape()))]));
            }
            Map<String, long[]> shapes = new HashMap<>();
            s.run(feeds).forEach((name, value) -> shapes.put(name, value.shape()));
            return new LayerGraph.Probed(types, shapes);
        } catch (InferenceException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }
}
