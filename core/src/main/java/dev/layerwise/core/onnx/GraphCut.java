package dev.layerwise.core.onnx;

import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parts of one model: the nodes that compute some of its tensors, where tensors another session
 * computes come in as graph inputs instead of being computed again. A part keeps the model's
 * nodes unchanged and in their order, so ONNX Runtime sees the subgraph it saw inside the whole
 * model (the analysis relies on this to keep its numbers; decision 0025). Immutable, thread-safe.
 */
public final class GraphCut {

    private final ModelProto model;
    private final Map<String, long[]> fed;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Set<String> modelInputs = new HashSet<>();
    /** Per node, the nodes writing its inputs (fed tensors, inputs and initializers have none). */
    private final int[][] upstream;

    /**
     * @param fed float32 tensors, with their shapes (batch 1), that a part takes as inputs wherever
     *     it would otherwise compute them
     */
    public GraphCut(ModelProto model, Map<String, long[]> fed) {
        this.model = model;
        this.fed = fed;
        GraphProto g = model.getGraph();
        for (int i = 0; i < g.getNodeCount(); i++) {
            for (String o : g.getNode(i).getOutputList()) {
                if (!fed.containsKey(o)) {
                    producer.put(o, i);
                }
            }
        }
        for (ValueInfoProto in : g.getInputList()) {
            modelInputs.add(in.getName());
        }
        upstream = new int[g.getNodeCount()][];
        for (int i = 0; i < upstream.length; i++) {
            upstream[i] = Subgraphs.reads(g.getNode(i)).stream().map(producer::get).filter(java.util.Objects::nonNull)
                    .mapToInt(Integer::intValue).toArray();
        }
    }

    /** How many of the model's nodes the part computing {@code outputs} holds. */
    public int nodeCount(List<String> outputs) {
        return count(keep(outputs));
    }

    /**
     * The part that computes {@code outputs}: their graph outputs in that order; as inputs, the
     * model's inputs it reads, then the fed tensors it reads.
     *
     * @throws IllegalArgumentException when an output is neither computed by a node, fed, nor an input
     */
    public ModelProto part(List<String> outputs) {
        Reach r = reach(outputs);
        GraphProto src = model.getGraph();
        GraphProto.Builder g = src.toBuilder().clearNode().clearInput().clearOutput().clearInitializer().clearValueInfo();
        Set<String> computed = new HashSet<>();
        for (int i = 0; i < r.kept.length; i++) {
            if (r.kept[i]) {
                NodeProto n = src.getNode(i);
                g.addNode(n);
                computed.addAll(n.getOutputList());
            }
        }
        for (ValueInfoProto in : src.getInputList()) {
            if (r.read.contains(in.getName()) && !r.fed.contains(in.getName())) {
                g.addInput(in);
            }
        }
        for (Map.Entry<String, long[]> f : fed.entrySet()) {
            // a float tensor a kept node writes anyway (the node is kept for another output, e.g. a
            // TopK for its int64 indices) is computed here: as an input too, ORT would refuse the model
            if (r.fed.contains(f.getKey()) && !computed.contains(f.getKey())) {
                g.addInput(Nodes.valueInfo(f.getKey(), TensorProto.DataType.FLOAT_VALUE, f.getValue()));
            }
        }
        for (TensorProto t : src.getInitializerList()) {
            if (r.read.contains(t.getName())) {
                g.addInitializer(t);
            }
        }
        for (ValueInfoProto v : src.getValueInfoList()) {
            if (computed.contains(v.getName())) {
                g.addValueInfo(v);
            }
        }
        Map<String, ValueInfoProto> declared = new HashMap<>();
        for (ValueInfoProto o : src.getOutputList()) {
            declared.put(o.getName(), o);
        }
        List<String> missing = new ArrayList<>();
        for (String o : outputs) {
            g.addOutput(declared.getOrDefault(o, Nodes.output(o)));
            if (!computed.contains(o) && !modelInputs.contains(o) && !r.fed.contains(o)) {
                missing.add(o);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no node computes " + missing);
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** The nodes kept, the tensors read (inputs, initializers, fed ones) and the fed tensors read. */
    private record Reach(boolean[] kept, Set<String> read, Set<String> fed) {
    }

    private Reach reach(List<String> outputs) {
        boolean[] kept = keep(outputs);
        Set<String> read = new HashSet<>(outputs);
        GraphProto src = model.getGraph();
        for (int i = 0; i < kept.length; i++) {
            if (kept[i]) {
                read.addAll(Subgraphs.reads(src.getNode(i)));
            }
        }
        Set<String> usedFeeds = new HashSet<>();
        for (String t : read) {
            if (fed.containsKey(t)) {
                usedFeeds.add(t);
            }
        }
        return new Reach(kept, read, usedFeeds);
    }

    /** The nodes that {@code outputs} need, walked through node indices (the cut is tried many times per analysis). */
    private boolean[] keep(List<String> outputs) {
        boolean[] kept = new boolean[upstream.length];
        int[] todo = new int[upstream.length];
        int top = 0;
        for (String o : outputs) {
            Integer p = producer.get(o);
            if (p != null && !kept[p]) {
                kept[p] = true;
                todo[top++] = p;
            }
        }
        while (top > 0) {
            for (int q : upstream[todo[--top]]) {
                if (!kept[q]) {
                    kept[q] = true;
                    todo[top++] = q;
                }
            }
        }
        return kept;
    }

    /** How many nodes {@link #keep} marks. */
    private static int count(boolean[] kept) {
        int n = 0;
        for (boolean k : kept) {
            if (k) {
                n++;
            }
        }
        return n;
    }

    /** The names of a model's graph inputs, in order. */
    public static List<String> inputNames(ModelProto model) {
        return model.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList();
    }
}
