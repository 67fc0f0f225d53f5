package dev.layerwise.core.compare;

import dev.layerwise.core.analysis.OutputComparison;
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
    public record Reference(QuantPlan normal, SampleSource inputs, List<String> described, List<Map<String, float[]>> floats,
            List<Map<String, float[]>> normals) {

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

    /**
     * Float, normal and hybrid on {@code inputs} from scratch, streamed (nothing kept but the
     * metrics): for one comparison of many inputs, where {@link #reference} would hold every output.
     */
    public static Comparison compare(LayerGraph graph, QuantPlan normal, QuantPlan hybrid, SampleSource inputs, Labels labels,
            ProgressListener progress) throws Exception {
        try (DatasetComparer c = DatasetComparer.open(graph, normal, Map.of(Comparison.HYBRID, hybrid), inputs, labels)) {
            return c.advanceAll(progress);
        }
    }

    /** Runs the float and normal models on {@code inputs}. */
    public static Reference reference(LayerGraph graph, QuantPlan normal, SampleSource inputs, ProgressListener progress)
            throws Exception {
        if (inputs.size() == 0) {
            throw new IllegalArgumentException("no input to compare on");
        }
        List<String> outs = graph.finalOutputs();
        ModelProto merged = merge(graph, QuantGraphBuilder.fakeQuantizedForSession(graph, normal), outs);
        List<String> tensors = withNormalOutputs(outs);
        List<String> described = new ArrayList<>();
        List<Map<String, float[]>> floats = new ArrayList<>();
        List<Map<String, float[]>> normals = new ArrayList<>();
        try (OnnxSession s = OnnxSession.create(merged, graph.model().label() + " (comparison graph)")) {
            for (int i = 0; i < inputs.size(); i++) {
                progress.checkCancelled();
                progress.progress("comparing", i, inputs.size());
                described.add(inputs.describe(i));
                Map<String, FloatTensor> r = s.run(inputs.load(i), tensors);
                floats.add(floatOutputs(r, outs));
                normals.add(normalOutputs(r, outs));
            }
        }
        return new Reference(normal, inputs, described, floats, normals);
    }

    /** The merged graph's outputs to fetch: every final output of the float model, then the normal copy's. */
    static List<String> withNormalOutputs(List<String> outs) {
        List<String> tensors = new ArrayList<>(outs);
        outs.forEach(o -> tensors.add(o + NORMAL));
        return tensors;
    }

    /** The float model's final outputs from a run of the merged graph, by output name. */
    static Map<String, float[]> floatOutputs(Map<String, FloatTensor> merged, List<String> outs) {
        Map<String, float[]> f = new LinkedHashMap<>();
        outs.forEach(o -> f.put(o, merged.get(o).data()));
        return f;
    }

    /** The normal model's final outputs from a run of the merged graph, by the float model's output names. */
    static Map<String, float[]> normalOutputs(Map<String, FloatTensor> merged, List<String> outs) {
        Map<String, float[]> n = new LinkedHashMap<>();
        outs.forEach(o -> n.put(o, merged.get(o + NORMAL).data()));
        return n;
    }

    /** Compares {@code hybrid} with the float and normal outputs of {@code reference}, on its inputs. */
    public static Comparison compare(LayerGraph graph, Reference reference, QuantPlan hybrid, Labels labels,
            ProgressListener progress) throws Exception {
        long t0 = System.nanoTime();
        SampleSource inputs = reference.inputs();
        // a hybrid without picks is the normal model: its outputs are the reference's (the
        // workbench's rebuild after every run asks for exactly that)
        List<Map<String, float[]>> hybrids = hybrid.buildsSameModelAs(reference.normal()) ? reference.normals()
                : finalOutputs(graph, hybrid, inputs.size(), inputs::load, progress);
        progress.progress("comparing", inputs.size(), inputs.size());
        Map<String, long[]> shapes = graph.finalOutputShapes();
        List<ModelResult> models = List.of(result(Comparison.FLOAT, reference.floats(), reference.floats(), shapes, labels),
                result(Comparison.NORMAL, reference.normals(), reference.floats(), shapes, labels),
                result(Comparison.HYBRID, hybrids, reference.floats(), shapes, labels));
        return new Comparison(reference.described(), models, hybrid.promotedLayers(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Feeds of input {@code i}. */
    @FunctionalInterface
    public interface Feeds {
        Map<String, FloatTensor> load(int i) throws Exception;
    }

    /**
     * Every final output of the fake-quantized model of {@code plan} on {@code count} inputs, by
     * output name: one session, one run per input.
     */
    public static List<Map<String, float[]>> finalOutputs(LayerGraph graph, QuantPlan plan, int count, Feeds feeds,
            ProgressListener progress) throws Exception {
        List<String> names = graph.finalOutputs();
        List<Map<String, float[]>> outs = new ArrayList<>();
        ModelProto model = QuantGraphBuilder.fakeQuantizedForSession(graph, plan);
        try (OnnxSession s = OnnxSession.create(model, graph.model().label() + " (hybrid model)")) {
            for (int i = 0; i < count; i++) {
                progress.checkCancelled();
                progress.progress("comparing", i, count);
                Map<String, FloatTensor> r = s.run(feeds.load(i), names);
                Map<String, float[]> m = new LinkedHashMap<>();
                names.forEach(o -> m.put(o, r.get(o).data()));
                outs.add(m);
            }
        }
        return outs;
    }

    /**
     * One model's result: every output against the float model's (top-5 for class vectors only,
     * top-1 agreement on the first of them).
     *
     * @param outs the model's outputs per input, by name
     * @param reference the float model's outputs per input, by name
     * @param shapes the outputs to judge with their shapes, in graph order
     */
    public static ModelResult result(String name, List<Map<String, float[]>> outs, List<Map<String, float[]>> reference,
            Map<String, long[]> shapes, Labels labels) {
        OutputComparison c = new OutputComparison(shapes, labels);
        for (int i = 0; i < outs.size(); i++) {
            Map<String, float[]> q = outs.get(i);
            Map<String, float[]> f = reference.get(i);
            c.add(f::get, q::get);
        }
        return result(name, c);
    }

    /** The result of a model whose inputs were all added to {@code c}. */
    static ModelResult result(String name, OutputComparison c) {
        return new ModelResult(name, c.result(), c.top1(), c.top1Agreement());
    }

    /** One graph: the float model plus the normal one with every tensor name suffixed. */
    static ModelProto merge(LayerGraph graph, ModelProto normal, List<String> outs) {
        GraphProto.Builder g = graph.model().graph().toBuilder();
        GraphProto q = normal.getGraph();
        java.util.Set<String> graphInputs = new java.util.HashSet<>();
        for (ValueInfoProto in : q.getInputList()) {
            graphInputs.add(in.getName());
        }
        for (NodeProto n : q.getNodeList()) {
            NodeProto.Builder nb = n.toBuilder().setName(n.getName() + NORMAL);
            java.util.function.UnaryOperator<String> renamed = t -> t.isEmpty() || graphInputs.contains(t) ? t : t + NORMAL;
            for (int i = 0; i < n.getInputCount(); i++) {
                nb.setInput(i, renamed.apply(n.getInput(i)));
            }
            dev.layerwise.core.onnx.Subgraphs.renameOuterReads(nb, renamed);
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
        outs.forEach(o -> g.addOutput(Nodes.output(o + NORMAL)));
        ModelProto.Builder m = graph.model().proto().toBuilder().setGraph(g);
        m.clearOpsetImport().addAllOpsetImport(normal.getOpsetImportList());
        return m.build();
    }
}
