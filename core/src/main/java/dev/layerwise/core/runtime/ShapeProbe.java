package dev.layerwise.core.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
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
        return probe(model, inputs, tensors, true);
    }

    /** As {@link #probe(OnnxModel, List, List)}; {@code leaveOutWeights} false: always the full probe (tests). */
    LayerGraph.Probed probe(OnnxModel model, List<LayerGraph.Input> inputs, List<String> tensors, boolean leaveOutWeights)
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
        ModelProto full = probe.build();
        LayerGraph.Probed light = leaveOutWeights ? withoutWeights(full, model.label()) : null;
        if (light != null) {
            return light;
        }
        try (OnnxSession s = OnnxSession.create(full, model.label(), OptLevel.NO_OPT)) {
            return new LayerGraph.Probed(types(s), floatShapes(s, feeds));
        }
    }

    /**
     * Float initializers of at least this many values are graph inputs of the same type and shape in
     * the first probe: their values decide no tensor's shape (shapes come from small integer tensors,
     * and a float scale or size of a few values stays), and ORT then neither copies nor converts the
     * weights (9 MB on the sample, 45 MB on a ResNet18) to infer what it infers from their shapes.
     */
    static final int WEIGHT_VALUES = 256;

    /**
     * The probe of {@code full} with its large float initializers as graph inputs, when that one
     * session gives every float shape; {@code null} when there is nothing to leave out, when a
     * shape stays unknown (it takes a run, which needs the weights) or when ORT refuses it (the full
     * probe then says why, as before).
     */
    static LayerGraph.Probed withoutWeights(ModelProto full, String label) {
        GraphProto graph = full.getGraph();
        Map<String, ValueInfoProto> declared = new HashMap<>();
        for (ValueInfoProto i : graph.getInputList()) {
            declared.put(i.getName(), i);
        }
        Set<String> outputs = new HashSet<>();
        for (ValueInfoProto o : graph.getOutputList()) {
            outputs.add(o.getName());
        }
        GraphProto.Builder light = graph.toBuilder().clearInitializer();
        int left = 0;
        for (TensorProto t : graph.getInitializerList()) {
            long[] dims = new long[t.getDimsCount()];
            long count = 1;
            for (int d = 0; d < dims.length; d++) {
                dims[d] = t.getDims(d);
                count *= dims[d];
            }
            ValueInfoProto input = declared.get(t.getName());
            // an initializer a graph input also declares (older IR versions list both) is left out only when
            // the declaration says what the tensor is: ORT refuses a conflict, and the full probe must say so
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE || count < WEIGHT_VALUES || outputs.contains(t.getName())
                    || (input != null && !declares(input, dims))) {
                light.addInitializer(t);
                continue;
            }
            left++;
            if (input == null) {
                light.addInput(Nodes.valueInfo(t.getName(), TensorProto.DataType.FLOAT_VALUE, dims));
            }
        }
        if (left == 0) {
            return null;
        }
        try (OnnxSession s = OnnxSession.create(full.toBuilder().setGraph(light).build(), label, OptLevel.NO_OPT)) {
            Map<String, long[]> inferred = s.floatOutputShapes();
            return allKnown(inferred) ? new LayerGraph.Probed(types(s), inferred) : null;
        } catch (ModelLoadException e) {
            return null;
        }
    }

    /** True when {@code input} declares a float tensor of exactly {@code dims}. */
    private static boolean declares(ValueInfoProto input, long[] dims) {
        if (!input.getType().hasTensorType() || input.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE
                || !input.getType().getTensorType().hasShape()) {
            return false;
        }
        var shape = input.getType().getTensorType().getShape();
        if (shape.getDimCount() != dims.length) {
            return false;
        }
        for (int d = 0; d < dims.length; d++) {
            if (!shape.getDim(d).hasDimValue() || shape.getDim(d).getDimValue() != dims[d]) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Boolean> types(OnnxSession s) throws ModelLoadException {
        Map<String, Boolean> types = new HashMap<>();
        s.outputTypes().forEach((name, type) -> types.put(name, type == OnnxJavaType.FLOAT));
        return types;
    }

    /** Every dimension known and no rank 0 (ORT reports an unknown rank as rank 0, so a float scalar is confirmed by a run). */
    private static boolean allKnown(Map<String, long[]> shapes) {
        for (long[] shape : shapes.values()) {
            if (shape.length == 0) {
                return false;
            }
            for (long d : shape) {
                if (d < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Shapes of a session's float outputs: as ORT inferred them when every one is fully known,
     * otherwise from one run on zeros of the given input shapes.
     *
     * @param feeds input name to shape (fixed sizes)
     */
    static Map<String, long[]> floatShapes(OnnxSession s, Map<String, long[]> feeds) throws ModelLoadException {
        Map<String, long[]> inferred = s.floatOutputShapes();
        if (allKnown(inferred)) {
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
