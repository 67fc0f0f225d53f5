package dev.layerwise.core.compare;

import dev.layerwise.core.analysis.Metrics;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.onnx.GraphEdits;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the float, normal and hybrid models on the same inputs. The three networks live in one
 * graph (the quantized copies' tensors renamed) so one ORT session and one run per input serve
 * all three. Runs on the caller's thread.
 */
public final class Comparer {

    private static final String NORMAL = GraphEdits.COMPARE_NORMAL;
    private static final String HYBRID = GraphEdits.COMPARE_HYBRID;

    private Comparer() {
    }

    public static Comparison compare(LayerGraph graph, QuantPlan normal, QuantPlan hybrid, SampleSource inputs, Labels labels,
            ProgressListener progress) throws Exception {
        long t0 = System.nanoTime();
        if (inputs.size() == 0) {
            throw new IllegalArgumentException("no input to compare on");
        }
        String out = graph.finalOutput();
        ModelProto merged = merge(graph, QuantGraphBuilder.fakeQuantized(graph, normal),
                QuantGraphBuilder.fakeQuantized(graph, hybrid), out);
        Map<String, List<float[]>> outputs = new LinkedHashMap<>();
        List<String> names = Comparison.MODELS;
        List<String> tensors = List.of(out, out + NORMAL, out + HYBRID);
        for (String n : names) {
            outputs.put(n, new ArrayList<>());
        }
        List<String> described = new ArrayList<>();
        String label = graph.model().label();
        try (OnnxSession s = OnnxSession.create(merged.toByteArray(), label + " (comparison graph)")) {
            for (int i = 0; i < inputs.size(); i++) {
                progress.checkCancelled();
                progress.progress("comparing", i, inputs.size());
                described.add(inputs.describe(i));
                Map<String, FloatTensor> r = s.run(inputs.load(i), tensors);
                for (int k = 0; k < names.size(); k++) {
                    outputs.get(names.get(k)).add(r.get(tensors.get(k)).data());
                }
            }
            progress.progress("comparing", inputs.size(), inputs.size());
        }
        List<float[]> reference = outputs.get(Comparison.FLOAT);
        List<ModelResult> models = new ArrayList<>();
        for (String n : names) {
            models.add(result(n, outputs.get(n), reference, labels));
        }
        return new Comparison(described, models, hybrid.promotedLayers(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Top-5, cosine against float and top-1 agreement of one model's outputs. */
    public static ModelResult result(String name, List<float[]> outs, List<float[]> reference, Labels labels) {
        List<Metrics> m = new ArrayList<>();
        List<Integer> top1 = new ArrayList<>();
        int agree = 0;
        for (int i = 0; i < outs.size(); i++) {
            m.add(Metrics.compare(reference.get(i), outs.get(i)));
            int t = TopK.of(outs.get(i), 1, null).top1().index();
            top1.add(t);
            if (t == TopK.of(reference.get(i), 1, null).top1().index()) {
                agree++;
            }
        }
        return new ModelResult(name, TopK.of(outs.get(0), 5, labels), Metrics.mean(m), top1,
                outs.isEmpty() ? 0 : (double) agree / outs.size());
    }

    /** One graph: the float model plus the two quantized ones with every tensor name suffixed. */
    static ModelProto merge(LayerGraph graph, ModelProto normal, ModelProto hybrid, String out) throws ModelLoadException {
        GraphProto.Builder g = graph.model().graph().toBuilder();
        for (Object[] part : new Object[][] {{normal, NORMAL}, {hybrid, HYBRID}}) {
            GraphProto q = ((ModelProto) part[0]).getGraph();
            String suffix = (String) part[1];
            java.util.Set<String> graphInputs = new java.util.HashSet<>();
            for (ValueInfoProto in : q.getInputList()) {
                graphInputs.add(in.getName());
            }
            for (NodeProto n : q.getNodeList()) {
                NodeProto.Builder nb = n.toBuilder().setName(n.getName() + suffix);
                for (int i = 0; i < n.getInputCount(); i++) {
                    String t = n.getInput(i);
                    nb.setInput(i, t.isEmpty() || graphInputs.contains(t) ? t : t + suffix);
                }
                for (int i = 0; i < n.getOutputCount(); i++) {
                    if (!n.getOutput(i).isEmpty()) {
                        nb.setOutput(i, n.getOutput(i) + suffix);
                    }
                }
                g.addNode(nb);
            }
            for (var t : q.getInitializerList()) {
                g.addInitializer(t.toBuilder().setName(t.getName() + suffix));
            }
            g.addOutput(Nodes.output(out + suffix));
        }
        ModelProto.Builder m = graph.model().proto().toBuilder().setGraph(g);
        m.clearOpsetImport().addAllOpsetImport(normal.getOpsetImportList());
        return m.build();
    }
}
