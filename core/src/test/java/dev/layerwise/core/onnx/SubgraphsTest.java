package dev.layerwise.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubgraphsTest {

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

    /**
     * A Loop whose body reads the outer {@code boxes} and {@code w}, its own carried {@code acc},
     * and holds an If whose branch reads the outer {@code scores}, the body's {@code step} and,
     * straight out as its output, the outer {@code fallback}.
     */
    private static NodeProto loop() {
        GraphProto branch = GraphProto.newBuilder().setName("then")
                .addNode(Nodes.node("Mul", "pick", List.of("scores", "step"), List.of("picked")))
                .addOutput(Nodes.valueInfo("picked", FLOAT, 4)).build();
        GraphProto other = GraphProto.newBuilder().setName("else").addOutput(Nodes.valueInfo("fallback", FLOAT, 4)).build();
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(Nodes.valueInfo("i", TensorProto.DataType.INT64_VALUE))
                .addInput(Nodes.valueInfo("c", TensorProto.DataType.BOOL_VALUE))
                .addInput(Nodes.valueInfo("acc", FLOAT, 4))
                .addNode(Nodes.node("Add", "step_add", List.of("acc", "boxes"), List.of("step")))
                .addNode(Nodes.node("If", "choose", List.of("c"), List.of("chosen"), Nodes.attr("then_branch", branch),
                        Nodes.attr("else_branch", other)))
                .addNode(Nodes.node("Mul", "scale", List.of("chosen", "w"), List.of("next")))
                .addNode(Nodes.node("Identity", "keep", List.of("c"), List.of("c_out")))
                .addOutput(Nodes.valueInfo("c_out", TensorProto.DataType.BOOL_VALUE))
                .addOutput(Nodes.valueInfo("next", FLOAT, 4)).build();
        return Nodes.node("Loop", "nms", List.of("trips", "", "init"), List.of("final"), Nodes.attr("body", body));
    }

    @Test
    void readsAreTheInputsThenWhatTheSubgraphsTakeFromOutsideAtAnyDepth() {
        assertEquals(List.of("trips", "", "init", "boxes", "scores", "fallback", "w"), Subgraphs.reads(loop()));
    }

    @Test
    void aNodeWithoutSubgraphsReadsItsInputListAsIs() {
        NodeProto add = Nodes.node("Add", "a", List.of("x", "y"), List.of("z"));
        assertSame(add.getInputList(), Subgraphs.reads(add));
    }

    @Test
    void renamingTouchesOnlyWhatTheSubgraphsTakeFromOutside() {
        NodeProto renamed = Subgraphs.renameOuterReads(loop().toBuilder(), t -> t + "__q").build();
        assertEquals(List.of("trips", "", "init"), renamed.getInputList(), "the node's own inputs are the caller's");
        GraphProto body = renamed.getAttribute(0).getG();
        assertEquals(List.of("acc", "boxes__q"), body.getNode(0).getInputList());
        assertEquals(List.of("chosen", "w__q"), body.getNode(2).getInputList());
        GraphProto then = body.getNode(1).getAttribute(0).getG();
        assertEquals(List.of("scores__q", "step"), then.getNode(0).getInputList());
        GraphProto other = body.getNode(1).getAttribute(1).getG();
        assertEquals("fallback__q", other.getOutput(0).getName());
        List<String> reads = new ArrayList<>(Subgraphs.reads(renamed));
        assertEquals(List.of("trips", "", "init", "boxes__q", "scores__q", "fallback__q", "w__q"), reads);
    }
}
