package dev.layerwise.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.layerwise.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/** The dequantized values a quantized constant reports, against values worked out by hand. */
class WeightQuantizerTest {

    @Test
    void perChannelWeightsDequantizeWithTheirOwnChannelsScaleAndZeroPoint() {
        // axis 0, two channels of two values: [-0.5, 1.5] and [0, 2]
        FloatTensor w = new FloatTensor(new long[] {2, 1, 1, 2}, new float[] {-0.5f, 1.5f, 0f, 2f});
        QuantizedTensor q = new WeightQuantizer().weightPerChannel("w", WeightQuantizer.Constant.of(w), QuantType.ASYMMETRIC_AFFINE_U8, 0);
        float s = 2f / 255;
        // channel 0: scale 2/255, zero point round(63.75) = 64: q = -64 + 64 = 0, 191 + 64 = 255
        // channel 1: scale 2/255, zero point 0: q = 0, 255
        assertArrayEquals(new int[] {0, 255, 0, 255}, q.q());
        assertArrayEquals(new float[] {-64 * s, 191 * s, 0f, 255 * s}, q.dequantized(), 1e-6f);
    }

    @Test
    void perTensorWeightsAndBiasesDequantizeAsQMinusZeroPointTimesScale() {
        FloatTensor w = new FloatTensor(new long[] {4}, new float[] {-1f, 0f, 0.5f, 1f});
        QuantizedTensor q = new WeightQuantizer().weight("w", WeightQuantizer.Constant.of(w), QuantType.DYNAMIC_FIXED_POINT_I8);
        // max |x| = 1: fl = 8 - 1 - ceil(log2 1) = 7, q = round(x * 128) clamped to 127
        assertArrayEquals(new int[] {-127, 0, 64, 127}, q.q());
        assertArrayEquals(new float[] {-127 / 128f, 0f, 0.5f, 127 / 128f}, q.dequantized(), 0f);
        QuantizedTensor b = new WeightQuantizer().bias("b", WeightQuantizer.Constant.of(new FloatTensor(new long[] {2}, new float[] {0.3f, -0.05f})),
                QuantType.ASYMMETRIC_AFFINE_U8, 0.1f, 0.5f);
        // scale 0.05: q = round(6) = 6, round(-1) = -1
        assertArrayEquals(new int[] {6, -1}, b.q());
        assertArrayEquals(new float[] {6 * 0.05f, -0.05f}, b.dequantized(), 1e-7f);
    }

    @Test
    void halfWeightsDequantizeToTheirHalfPrecisionValues() {
        QuantizedTensor h = new WeightQuantizer().half("w", WeightQuantizer.Constant.of(new FloatTensor(new long[] {3}, new float[] {1f, 0.1f, 65504f})));
        // 0.1 is 0x2E66 in half precision: 0.0999755859375
        assertArrayEquals(new float[] {1f, 0.0999755859375f, 65504f}, h.dequantized(), 0f);
    }

    @Test
    void valuesAreKeptAsTheInitializersBytesAndReadBackUnchanged() {
        var types = java.util.Map.of(
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.UINT8, new int[] {0, 1, 128, 255},
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.INT8, new int[] {-128, -1, 0, 127},
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.INT16, new int[] {-32768, -1, 0, 32767},
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.FLOAT16, new int[] {0, 0x3c00, 0x8000, 0xffff},
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.INT32, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE});
        var bytes = java.util.Map.of(
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.UINT8, 1,
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.INT8, 1,
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.INT16, 2,
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.FLOAT16, 2,
                dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.INT32, 4);
        types.forEach((type, values) -> {
            QuantizedTensor t = new QuantizedTensor("t", QuantParams.HALF, type, new long[] {4}, values);
            assertArrayEquals(values, t.q(), type.toString());
            org.junit.jupiter.api.Assertions.assertEquals(java.util.Arrays.hashCode(values), t.valuesHash(), type.toString());
            org.junit.jupiter.api.Assertions.assertEquals(4 * bytes.get(type), t.data().size(), type.toString());
        });
        // little-endian, as ONNX raw data is: int16 -2 is fe ff
        QuantizedTensor s = new QuantizedTensor("s", QuantParams.HALF, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.INT16,
                new long[] {1}, new int[] {-2});
        assertArrayEquals(new byte[] {(byte) 0xfe, (byte) 0xff}, s.data().toByteArray());
    }

    @Test
    void theValuesHashIsTheHashOfTheValuesAsReadBackEvenWhereAValueWasTruncated() {
        // 256 and -1 keep their low byte as uint8 (0 and 255); 0x1_3c00 keeps its half bits
        QuantizedTensor u8 = new QuantizedTensor("u", QuantParams.HALF, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.UINT8,
                new long[] {2}, new int[] {256, -1});
        assertArrayEquals(new int[] {0, 255}, u8.q());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Arrays.hashCode(new int[] {0, 255}), u8.valuesHash());
        QuantizedTensor h = new QuantizedTensor("h", QuantParams.HALF, dev.layerwise.core.onnx.proto.Onnx.TensorProto.DataType.FLOAT16,
                new long[] {1}, new int[] {0x1_3c00});
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Arrays.hashCode(new int[] {0x3c00}), h.valuesHash());
    }

    @Test
    void quantizedBiasesAndWeightsCarryTheHashOfTheirValues() {
        WeightQuantizer quantizer = new WeightQuantizer();
        WeightQuantizer.Constant bias = WeightQuantizer.Constant.of(new FloatTensor(new long[] {3}, new float[] {0.3f, -0.05f, 1e12f}));
        QuantizedTensor b = quantizer.bias("b", bias, QuantType.ASYMMETRIC_AFFINE_U8, 0.1f, 0.5f);
        // scale 0.05: 6, -1, and 2e13 clamped to the int32 maximum
        assertArrayEquals(new int[] {6, -1, Integer.MAX_VALUE}, b.q());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Arrays.hashCode(b.q()), b.valuesHash());
        QuantParams[] slices = {QuantParams.forRange(QuantType.ASYMMETRIC_AFFINE_U8, 0, 1),
            QuantParams.forRange(QuantType.ASYMMETRIC_AFFINE_U8, 0, 2)};
        QuantizedTensor pc = quantizer.biasPerChannel("b", bias, QuantType.ASYMMETRIC_AFFINE_U8, 0.1f, slices);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Arrays.hashCode(pc.q()), pc.valuesHash());
        QuantizedTensor w = quantizer.weight("w", WeightQuantizer.Constant.of(new FloatTensor(new long[] {4}, new float[] {-1f, 0f, 0.5f, 1f})),
                QuantType.DYNAMIC_FIXED_POINT_I16);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Arrays.hashCode(w.q()), w.valuesHash());
    }
}
