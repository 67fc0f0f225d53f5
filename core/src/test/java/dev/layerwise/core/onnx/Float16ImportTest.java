package dev.layerwise.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.onnx.proto.Onnx.ValueInfoProto;
import dev.layerwise.core.runtime.ModelImport;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Float16ImportTest {

    @Test
    void float16ModelLoadsAsItsFloat32GraphWithOneWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        OnnxModel half = RealWorldModels.float16Classifier();
        OnnxModel converted = ModelImport.prepare(half, InputShapes.NONE, warnings::add);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("float16 model loaded as float32"), warnings.get(0));
        for (ValueInfoProto v : converted.graph().getInputList()) {
            assertEquals(TensorProto.DataType.FLOAT_VALUE, v.getType().getTensorType().getElemType(), v.getName());
        }
        // the weights are the half values, exactly
        OnnxModel reference = ModelImport.prepare(RealWorldModels.float16ClassifierAsFloat32(), InputShapes.NONE, w -> { });
        for (TensorProto t : reference.graph().getInitializerList()) {
            TensorProto c = converted.graph().getInitializerList().stream().filter(x -> x.getName().equals(t.getName()))
                    .findFirst().orElseThrow();
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                assertArrayEquals(Tensors.toFloat(t).data(), Tensors.toFloat(c).data(), t.getName());
            }
        }
        Map<String, FloatTensor> feed = Map.of("data_0", RealWorldModels.input(5, 1, 3, 32, 32));
        try (OnnxSession a = OnnxSession.create(converted, "converted"); OnnxSession b = OnnxSession.create(reference, "ref")) {
            FloatTensor x = a.run(feed).get("softmaxout_1");
            assertArrayEquals(new long[] {1, 10, 1, 1}, x.shape());
            assertArrayEquals(b.run(feed).get("softmaxout_1").data(), x.data());
        }
        Project p = Project.of(half);
        assertEquals(warnings, p.warnings());
        assertEquals("conv1", p.graph().layers().get(0).name());
    }

    @Test
    void castsToFloat16AndHalfConstantsBecomeFloat32() throws Exception {
        TestModels.Builder b = new TestModels.Builder(3).input("x", 1, 4);
        b.op("Cast", "to_half", List.of("x"), "xh", Nodes.attr("to", (long) TensorProto.DataType.FLOAT16_VALUE));
        TensorProto c = Tensors.floats("", new long[] {4}, new float[] {0.5f, 2f, -1f, 0.333251953125f});
        TensorProto half = RealWorldModels.toFloat16(OnnxModel.of(TestModels.smallCnn().proto().toBuilder().setGraph(
                TestModels.smallCnn().graph().toBuilder().clearInitializer().addInitializer(c.toBuilder().setName("c"))).build()))
                .graph().getInitializer(0);
        b.op("Constant", "k", List.of(), "kh", dev.layerwise.core.onnx.proto.Onnx.AttributeProto.newBuilder().setName("value")
                .setType(dev.layerwise.core.onnx.proto.Onnx.AttributeProto.AttributeType.TENSOR).setT(half).build());
        b.op("Mul", "mul", List.of("xh", "kh"), "yh");
        b.op("Cast", "to_float", List.of("yh"), "y", Nodes.attr("to", (long) TensorProto.DataType.FLOAT_VALUE));
        OnnxModel m = b.output("y").build(13);
        List<String> warnings = new ArrayList<>();
        OnnxModel converted = ModelImport.prepare(m, InputShapes.NONE, warnings::add);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("(2 tensors, values and casts converted)"), warnings.get(0));
        try (OnnxSession s = OnnxSession.create(converted, "converted")) {
            float[] y = s.run(Map.of("x", new FloatTensor(new long[] {1, 4}, new float[] {2, 3, 4, 3}))).get("y").data();
            assertArrayEquals(new float[] {1f, 6f, -4f, 0.999755859375f}, y);
        }
    }
}
