package dev.layerwise.core.analysis;

import dev.layerwise.core.calibration.Calibrator;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantizedTensor;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The individual analysis computed another way, for tests: each layer runs by itself in its own
 * small graph, its activation inputs fake-quantized in Java from a plain float run, its weight and
 * bias replaced by their dequantized values, its output fake-quantized in Java. None of the
 * analysis graph's Q/DQ nodes take part.
 */
public final class IndependentLayerRun {

    private IndependentLayerRun() {
    }

    /** Every layer's individual cosine, averaged over {@code inputs}, by layer name. */
    public static Map<String, Double> individualCosines(LayerGraph graph, QuantPlan plan, SampleSource inputs) throws Exception {
        ModelProto exposed = Calibrator.withQuantTensorsExposed(graph);
        List<Map<String, FloatTensor>> floats = new ArrayList<>();
        try (OnnxSession s = OnnxSession.create(exposed.toByteArray(), "float")) {
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, FloatTensor> out = new HashMap<>(s.run(inputs.load(i)));
                out.putAll(inputs.load(i));
                floats.add(out);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Layer l : graph.layers()) {
            double sum = 0;
            for (Map<String, FloatTensor> f : floats) {
                sum += Metrics.compare(f.get(l.output()).data(), runAlone(graph, l, plan, f)).cosine();
            }
            out.put(l.name(), sum / floats.size());
        }
        return out;
    }

    /** One layer by itself on Java-fake-quantized inputs; its output fake-quantized in Java. */
    public static float[] runAlone(LayerGraph graph, Layer l, QuantPlan plan, Map<String, FloatTensor> floats) throws Exception {
        ModelProto model = graph.model().proto();
        GraphProto.Builder g = GraphProto.newBuilder().setName(l.name());
        Map<String, FloatTensor> feeds = new HashMap<>();
        for (String in : l.inputs()) {
            FloatTensor f = floats.get(in);
            QuantParams p = plan.params(in);
            float[] q = new float[f.size()];
            for (int i = 0; i < q.length; i++) {
                q[i] = p.fakeQuantize(f.data()[i]);
            }
            feeds.put(in, new FloatTensor(f.shape(), q));
            g.addInput(Nodes.valueInfo(in, TensorProto.DataType.FLOAT_VALUE, f.shape()));
        }
        QuantizedTensor w = plan.weight(l.name());
        QuantizedTensor b = plan.bias(l.name());
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (w != null && t.getName().equals(l.weight())) {
                g.addInitializer(dev.layerwise.core.onnx.Tensors.floats(t.getName(), w.shape(), w.dequantized()));
            } else if (b != null && t.getName().equals(l.bias())) {
                g.addInitializer(dev.layerwise.core.onnx.Tensors.floats(t.getName(), b.shape(), b.dequantized()));
            } else {
                g.addInitializer(t);
            }
        }
        List<NodeProto> members = new ArrayList<>();
        for (String n : l.nodes()) {
            members.add(graph.node(n));
        }
        // constants and shape arithmetic the layer reads (e.g. a Shape of its input) come along,
        // computed from the raw float tensors as in the float model
        List<NodeProto> helpers = new ArrayList<>();
        Set<String> produced = new HashSet<>(feeds.keySet());
        model.getGraph().getInitializerList().forEach(t -> produced.add(t.getName()));
        members.forEach(m -> produced.addAll(m.getOutputList()));
        for (NodeProto m : members) {
            for (String in : m.getInputList()) {
                require(in, graph, floats, feeds, g, helpers, produced);
            }
        }
        helpers.forEach(g::addNode);
        members.forEach(g::addNode);
        g.addOutput(Nodes.output(l.output()));
        ModelProto m = model.toBuilder().setGraph(g).build();
        try (OnnxSession s = OnnxSession.create(m.toByteArray(), l.name())) {
            float[] out = s.run(feeds).get(l.output()).data();
            QuantParams p = plan.params(l.output());
            float[] q = new float[out.length];
            for (int i = 0; i < q.length; i++) {
                q[i] = p.fakeQuantize(out[i]);
            }
            return q;
        }
    }

    private static void require(String t, LayerGraph graph, Map<String, FloatTensor> floats, Map<String, FloatTensor> feeds,
            GraphProto.Builder g, List<NodeProto> helpers, Set<String> produced) {
        if (t.isEmpty() || produced.contains(t)) {
            return;
        }
        produced.add(t);
        NodeProto producer = graph.nonLayerNodes().stream().filter(n -> n.getOutputList().contains(t)).findFirst().orElse(null);
        if (producer != null) {
            for (String in : producer.getInputList()) {
                require(in, graph, floats, feeds, g, helpers, produced);
            }
            helpers.add(producer);
            return;
        }
        FloatTensor raw = floats.get(t);
        if (raw == null) {
            throw new IllegalStateException("layer input '" + t + "' is neither a float tensor nor computed from constants");
        }
        feeds.put(t, raw);
        g.addInput(Nodes.valueInfo(t, TensorProto.DataType.FLOAT_VALUE, raw.shape()));
    }
}
