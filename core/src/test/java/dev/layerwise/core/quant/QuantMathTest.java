package dev.layerwise.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantMathTest {

    @Nested
    class AsymmetricU8 {
        @ParameterizedTest(name = "[{0}, {1}] -> scale {2}, zp {3}")
        @CsvSource({
            // min, max, scale = (max' - min') / 255 with 0 inside, zp = round(-min' / scale)
            "-1.0, 1.0, 0.007843138, 128", // zp = round(127.5) = 128 (half to even)
            "0.5, 2.0, 0.007843138, 0", // widened to [0, 2]
            "-3.0, -1.0, 0.011764706, 255", // widened to [-3, 0]
            "-0.2, 5.1, 0.020784313, 10", // 0.2 / 0.0207843 = 9.62
            "0.0, 6.1823, 0.024244314, 0",
            "0.0, 0.0, 1.0, 0", // empty range: scale 1 rather than 0
        })
        void scaleAndZeroPoint(float min, float max, float scale, int zp) {
            QuantParams p = QuantMath.asymmetricU8(min, max);
            assertEquals(scale, p.scale(), 1e-9);
            assertEquals(zp, p.zeroPoint());
            assertEquals(Math.min(min, 0f), p.min());
            assertEquals(Math.max(max, 0f), p.max());
        }

        @ParameterizedTest(name = "x={0} -> q={1}")
        @CsvSource({
            // scale 0.5, zero point 10
            "0.0, 10",
            "0.25, 10", // 0.5 rounds to 0
            "0.75, 12", // 1.5 rounds to 2
            "1.25, 12", // 2.5 rounds to 2
            "1.75, 14", // 3.5 rounds to 4
            "-0.25, 10", // -0.5 rounds to -0
            "-0.75, 8", // -1.5 rounds to -2
            "-5.0, 0",
            "-6.0, 0", // clamped at 0
            "122.5, 255",
            "1000.0, 255", // clamped at 255
        })
        void quantizeRoundsHalfToEvenAndClamps(float x, int q) {
            QuantParams p = new QuantParams(QuantType.ASYMMETRIC_AFFINE_U8, 0.5f, 10, 0, -5f, 122.5f);
            assertEquals(q, p.quantize(x));
            assertEquals((q - 10) * 0.5f, p.fakeQuantize(x));
        }
    }

    @Nested
    class DynamicFixedPoint {
        @ParameterizedTest(name = "max |x| {0}: fl i8 {1}, fl i16 {2}")
        @CsvSource({
            // fl = bw - 1 - ceil(log2(max))
            "0.9, 7, 15", // ceil(log2 0.9) = 0
            "1.0, 7, 15", // log2 1 = 0 exactly
            "1.01, 6, 14",
            "3.7, 5, 13", // ceil(log2 3.7) = 2
            "4.0, 5, 13",
            "200.0, -1, 7", // ceil(log2 200) = 8
            "0.1, 10, 18", // ceil(log2 0.1) = -3
        })
        void fractionLength(float max, int fl8, int fl16) {
            assertEquals(fl8, QuantMath.dynamicFixedPoint(QuantType.DYNAMIC_FIXED_POINT_I8, -max / 2, max).fl());
            assertEquals(fl16, QuantMath.dynamicFixedPoint(QuantType.DYNAMIC_FIXED_POINT_I16, -max, max / 3).fl());
            QuantParams p = QuantMath.dynamicFixedPoint(QuantType.DYNAMIC_FIXED_POINT_I8, 0, max);
            assertEquals((float) Math.pow(2, -fl8), p.scale());
            assertEquals(0, p.zeroPoint());
        }

        @ParameterizedTest(name = "i8 fl=7: x={0} -> q={1}")
        @CsvSource({
            "0.5, 64",
            "0.99, 127", // 126.72 -> 127
            "1.0, 127", // 128 saturates at 127
            "-1.0, -127", // -128 saturates at -127: symmetric range
            "-3.0, -127",
            "0.01171875, 2", // 1.5 -> 2
            "0.01953125, 2", // 2.5 -> 2
            "-0.01171875, -2",
        })
        void quantizeSaturatesSymmetrically(float x, int q) {
            QuantParams p = QuantMath.dynamicFixedPoint(QuantType.DYNAMIC_FIXED_POINT_I8, -1f, 1f);
            assertEquals(7, p.fl());
            assertEquals(q, p.quantize(x));
        }

        @ParameterizedTest(name = "i16 fl=13: x={0} -> q={1}")
        @CsvSource({
            "3.7, 30310", // 3.7 * 8192 = 30310.4
            "4.0, 32767", // 32768 saturates
            "-4.0, -32767",
            "0.00006103515625, 0", // 0.5 -> 0
            "0.00018310546875, 2", // 1.5 -> 2
        })
        void int16(float x, int q) {
            QuantParams p = QuantMath.dynamicFixedPoint(QuantType.DYNAMIC_FIXED_POINT_I16, -2f, 3.7f);
            assertEquals(13, p.fl());
            assertEquals(q, p.quantize(x));
        }
    }

    @ParameterizedTest
    @CsvSource({"0.5, 0.0", "1.5, 2.0", "2.5, 2.0", "-0.5, -0.0", "-1.5, -2.0", "-2.5, -2.0", "2.4999, 2.0"})
    void roundHalfToEven(float x, float r) {
        assertEquals(r, QuantMath.roundHalfEven(x));
    }
}
