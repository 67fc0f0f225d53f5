package dev.layerwise.core.compare;

import dev.layerwise.core.analysis.Metrics;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.onnx.GraphEdits;
import dev.layerwise.core.onnx.LayerGraph;
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
 * Runs the float, normal and hybrid models on the same inputs. The float and normal models live
 * in one graph (the normal copy's tensors renamed), so one ORT session and one run per input
 * serve both; their outputs are a {@link Reference} that every hybrid of the same analysis
 * shares. A hybrid rebuild then only creates a session for the hybrid model itself, a third of
 * the graph the three networks made together, and runs it. Runs on the caller's thread.
 */
public final class Comparer {

    private static final String NORMAL = GraphEdits.COMPARE_NORMAL;

    private Comparer() {
    }

    /**
     * The float and normal models' final outputs on some inputs: what every comparison of hybrids
     * planned from the same normal plan shares. Immutable.
     *
     * @param normal the normal plan the outputs come from
     * @param inputs the inputs they were computed on
     * @param described each input as described to the user
     * @param floats the float model's final output per input
     * @param normals the normal model's final output per input
     */
    public record Reference(QuantPlan normal, SampleSource inputs, List<String> described, List<float[]> floats,
            List<float[]> normals) {

        public Reference {
            described = List.copyOf(described);
            floats = List.copyOf(floats);
            normals = List.copyOf(normals);
        }

        /** Whether this reference was computed for exactly this plan and these inputs (the same objects). */
        public boolean isFor(QuantPlan plan, SampleSource samples) {
            return normal == plan && inputs == samples;
        }
    }

    public static Comparison compare(LayerGraph graph, QuantPlan normal, QuantPlan hybrid, SampleSource inputs, Labels labels,
            ProgressListener progress) throws Exception {
        return compare(graph, reference(graph, normal, inputs, progress), hybrid, labels, progress);
    }

    /** Runs the float and normal models on {@code inputs}. */
    public static Reference reference(LayerGraph graph, QuantPlan normal, SampleSource inputs, ProgressListener progress)
            throws Exception {
        if (inputs.size() == 0) {
            throw new IllegalArgumentException("no input to compare on");
        }
        String out = graph.finalOutput();
        ModelProto merged = merge(graph, QuantGraphBuilder.fakeQuantized(graph, normal), out);
        List<String> tensors = List.of(out, out + NORMAL);
        List<String> described = new ArrayList<>();
        List<float[]> floats = new ArrayList<>();
        List<float[]> normals = new ArrayList<>();
        try (OnnxSession s = OnnxSession.create(merged.toByteArray(), graph.model().label() + " (comparison graph)")) {
            for (int i = 0; i < inputs.size(); i++) {
                progress.checkCancelled();
                progress.progress("comparing", i, inputs.size());
                described.add(inputs.describe(i));
                Map<String, FloatTensor> r = s.run(inputs.load(i), tensors);
                floats.add(r.get(out).data());
                normals.add(r.get(out + NORMAL).data());
            }
        }
        return new Reference(normal, inputs, described, floats, normals);
    }

    /** Compares {@code hybrid} with the float and normal outputs of {@code reference}, on its inputs. */
    public static Comparison compare(LayerGraph graph, Reference reference, QuantPlan hybrid, Labels labels,
            ProgressListener progress) throws Exception {
        long t0 = System.nanoTime();
        SampleSource inputs = reference.inputs();
        List<float[]> hybrids = finalOutputs(graph, hybrid, inputs.size(), inputs::load, progress);
        progress.progress("comparing", inputs.size(), inputs.size());
        List<ModelResult> models = List.of(result(Comparison.FLOAT, reference.floats(), reference.floats(), labels),
                result(Comparison.NORMAL, reference.normals(), reference.floats(), labels),
                result(Comparison.HYBRID, hybrids, reference.floats(), labels));
        return new Comparison(reference.described(), models, hybrid.promotedLayers(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Feeds of input {@code i}. */
    @FunctionalInterface
    public interface Feeds {
        Map<String, FloatTensor> load(int i) throws Exception;
    }

    /**
     * The final output of the fake-quantized model of {@code plan} on {@code count} inputs: one
     * session, one run per input.
     */
    public static List<float[]> finalOutputs(LayerGraph graph, QuantPlan plan, int count, Feeds feeds,
            ProgressListener progress) throws Exception {
        String out = graph.finalOutput();
        List<float[]> outs = new ArrayList<>();
        byte[] model = QuantGraphBuilder.fakeQuantized(graph, plan).toByteArray();
        try (OnnxSession s = OnnxSession.create(model, graph.model().label() + " (hybrid model)")) {
            for (int i = 0; i < count; i++) {
                progress.checkCancelled();
                progress.progress("comparing", i, count);
                outs.add(s.run(feeds.load(i), List.of(out)).get(out).data());
            }
        }
        return outs;
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

    /** One graph: the float model plus the normal one with every tensor name suffixed. */
    static ModelProto merge(LayerGraph graph, ModelProto normal, String out) {
        GraphProto.Builder g = graph.model().graph().toBuilder();
        GraphProto q = normal.getGraph();
        java.util.Set<String> graphInputs = new java.util.HashSet<>();
        for (ValueInfoProto in : q.getInputList()) {
            graphInputs.add(in.getName());
        }
        for (NodeProto n : q.getNodeList()) {
            NodeProto.Builder nb = n.toBuilder().setName(n.getName() + NORMAL);
            for (int i = 0; i < n.getInputCount(); i++) {
                String t = n.getInput(i);
                nb.setInput(i, t.isEmpty() || graphInputs.contains(t) ? t : t + NORMAL);
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                if (!n.getOutput(i).isEmpty()) {
                    nb.setOutput(i, n.getOutput(i) + NORMAL);
                }
            }
            g.addNode(nb);
        }
        for (var t : q.getInitializerList()) {
            g.addInitializer(t.toBuilder().setName(t.getName() + NORMAL));
        }
        g.addOutput(Nodes.output(out + NORMAL));
        ModelProto.Builder m = graph.model().proto().toBuilder().setGraph(g);
        m.clearOpsetImport().addAllOpsetImport(normal.getOpsetImportList());
        return m.build();
    }
}
