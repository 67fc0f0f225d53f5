package dev.layerwise.core.onnx;

import dev.layerwise.core.onnx.proto.Onnx.AttributeProto;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What a node reads, its subgraphs included. The body of an If, Loop or Scan sees every tensor of
 * the graphs around it, so a branch may read an activation its node never lists as an input (a
 * detector's post-processing in a Loop reading the boxes, an If choosing between two feature
 * maps). Whatever orders the graph, cuts it into layers or parts, or copies a node under new
 * tensor names must count those reads as inputs, or the copy keeps reading the float tensors
 * (a quantized branch computed from float values) and a part lacks what its branch reads.
 * Stateless.
 */
public final class Subgraphs {

    private Subgraphs() {
    }

    /**
     * The tensors {@code n} reads: its inputs (empty optional inputs included, as listed), then the
     * names its subgraphs take from the enclosing graphs, each once, in the order they are met.
     */
    public static List<String> reads(NodeProto n) {
        if (!hasSubgraph(n)) {
            return n.getInputList();
        }
        Set<String> out = new LinkedHashSet<>(n.getInputList());
        for (AttributeProto a : n.getAttributeList()) {
            for (GraphProto g : graphsOf(a)) {
                collectOuterReads(g, Set.of(), out);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Renames, inside {@code nb}'s subgraphs, every name they take from the enclosing graphs; names a
     * subgraph defines itself (its inputs, initializers, node outputs, at any depth below) stay. The
     * node's own inputs are the caller's to rename.
     */
    public static NodeProto.Builder renameOuterReads(NodeProto.Builder nb, UnaryOperator<String> rename) {
        return renameInAttributes(nb, Set.of(), rename);
    }

    private static NodeProto.Builder renameInAttributes(NodeProto.Builder nb, Set<String> enclosing, UnaryOperator<String> rename) {
        for (int i = 0; i < nb.getAttributeCount(); i++) {
            AttributeProto a = nb.getAttribute(i);
            if (a.hasG()) {
                nb.setAttribute(i, a.toBuilder().setG(renamed(a.getG(), enclosing, rename)));
            } else if (a.getGraphsCount() > 0) {
                AttributeProto.Builder ab = a.toBuilder();
                for (int k = 0; k < a.getGraphsCount(); k++) {
                    ab.setGraphs(k, renamed(a.getGraphs(k), enclosing, rename));
                }
                nb.setAttribute(i, ab);
            }
        }
        return nb;
    }

    /** True when some attribute of {@code n} holds a graph. */
    public static boolean hasSubgraph(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG() || a.getGraphsCount() > 0) {
                return true;
            }
        }
        return false;
    }

    private static List<GraphProto> graphsOf(AttributeProto a) {
        return a.hasG() ? List.of(a.getG()) : a.getGraphsList();
    }

    /** The names a graph defines before any of its nodes run, beside those of the graphs around it. */
    private static Set<String> ownNames(GraphProto g, Set<String> enclosing) {
        Set<String> local = new HashSet<>(enclosing);
        for (ValueInfoProto in : g.getInputList()) {
            local.add(in.getName());
        }
        for (TensorProto t : g.getInitializerList()) {
            local.add(t.getName());
        }
        return local;
    }

    private static void collectOuterReads(GraphProto g, Set<String> enclosing, Set<String> out) {
        Set<String> local = ownNames(g, enclosing);
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !local.contains(in)) {
                    out.add(in);
                }
            }
            for (AttributeProto a : n.getAttributeList()) {
                for (GraphProto inner : graphsOf(a)) {
                    collectOuterReads(inner, local, out);
                }
            }
            local.addAll(n.getOutputList());
        }
        // a body may hand an outer tensor straight out as one of its outputs
        for (ValueInfoProto o : g.getOutputList()) {
            if (!local.contains(o.getName())) {
                out.add(o.getName());
            }
        }
    }

    private static GraphProto renamed(GraphProto g, Set<String> enclosing, UnaryOperator<String> rename) {
        Set<String> local = ownNames(g, enclosing);
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            NodeProto.Builder nb = n.toBuilder();
            for (int k = 0; k < n.getInputCount(); k++) {
                String in = n.getInput(k);
                if (!in.isEmpty() && !local.contains(in)) {
                    nb.setInput(k, rename.apply(in));
                }
            }
            renameInAttributes(nb, local, rename);
            local.addAll(n.getOutputList());
            b.setNode(i, nb);
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            String o = g.getOutput(i).getName();
            if (!local.contains(o)) {
                b.setOutput(i, g.getOutput(i).toBuilder().setName(rename.apply(o)));
            }
        }
        return b.build();
    }
}
