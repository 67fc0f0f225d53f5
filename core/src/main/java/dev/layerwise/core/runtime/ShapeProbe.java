package dev.layerwise.core.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
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
 * The layer graph's probe in ONNX Runtime: every node output exposed, ORT's inferred types and
 * shapes (batch 1) reported. Stateless and thread-safe; each probe creates and closes its own
 * session.
 *
 * <p>ORT infers every tensor's type and, for fixed input sizes, nearly always its shape while it
 * creates the session; the model is run once on zeros only when some float output's shape stays
 * unknown (a size computed from data, an unknown rank). The session is created without graph
 * optimisation, which changes neither types nor shapes and makes creation several times cheaper;
 * a run reads only the shapes, never copies the values.
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
        Map<String, long[]> feeds = new LinkedHashMap<>();
        for (LayerGraph.Input in : inputs) {
            feeds.put(in.name(), in.shape());
        }
        try (OnnxSession s = OnnxSession.create(probe.build(), model.label(), OptLevel.NO_OPT)) {
            Map<String, Boolean> types = new HashMap<>();
            s.outputTypes().forEach((name, type) -> types.put(name, type == OnnxJavaType.FLOAT));
            return new LayerGraph.Probed(types, floatShapes(s, feeds));
        }
    }

    /**
     * Shapes of a session's float outputs: as ORT inferred them when every one is fully known,
     * otherwise from one run on zeros of the given input shapes.
     *
     * @param feeds input name to shape (fixed sizes)
     */
    static Map<String, long[]> floatShapes(OnnxSession s, Map<String, long[]> feeds) throws ModelLoadException {
        Map<String, long[]> inferred = s.floatOutputShapes();
        boolean known = true;
        for (long[] shape : inferred.values()) {
            // ORT reports an unknown rank as rank 0, so a float scalar is confirmed by a run
            known &= shape.length > 0 && java.util.Arrays.stream(shape).allMatch(d -> d >= 0);
        }
        if (known) {
            return inferred;
        }
        Map<String, FloatTensor> zeros = new LinkedHashMap<>();
        feeds.forEach((name, shape) -> zeros.put(name, new FloatTensor(shape, new float[Math.toIntExact(FloatTensor.elementCount(shape))])));
        try {
            return s.runForShapes(zeros);
        } catch (InferenceException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }
}
