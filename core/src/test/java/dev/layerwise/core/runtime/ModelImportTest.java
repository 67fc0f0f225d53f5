package dev.layerwise.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.onnx.OnnxModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelImportTest {

    @Test
    void aModelThatIsAlreadyQuantizedIsSaidSoInOneLineNamingTheFirstSuchNode() throws Exception {
        TestModels.Builder b = new TestModels.Builder(3).input("input", 1, 3, 16, 16);
        String x = b.conv("Conv_0", "input", 3, 8, 3, 1, 1, "c0");
        String scale = b.init(new long[0], new float[] {0.05f});
        x = b.op("QuantizeLinear", "Quant_1", List.of(x, scale), "c0_q");
        x = b.op("DequantizeLinear", "Dequant_2", List.of(x, scale), "c0_dq");
        b.op("Relu", "Relu_3", List.of(x), "output");
        OnnxModel m = b.output("output").build(13);
        List<String> warnings = new ArrayList<>();
        ModelImport.prepare(m, InputShapes.NONE, warnings::add);
        assertEquals(List.of(m.label() + ": already quantized: 2 DequantizeLinear, QuantizeLinear nodes (the first 'Quant_1'); "
                + "Layerwise quantizes a float model, so these numbers measure a second quantization on top of that one: "
                + "give it the float export"), warnings);
    }

    @Test
    void aFloatModelGetsNoWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        ModelImport.prepare(TestModels.smallCnn(), InputShapes.NONE, warnings::add);
        assertEquals(List.of(), warnings);
    }
}
