package dev.layerwise.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** QuantParams writes out equals, hashCode and toString; they must behave as the record's own would. */
class QuantParamsTest {

    /** The same six values as a record of the JDK's making, to hold ours against. */
    private record Plain(QuantType type, float scale, int zeroPoint, int fl, float min, float max) {
        static Plain of(QuantParams p) {
            return new Plain(p.type(), p.scale(), p.zeroPoint(), p.fl(), p.min(), p.max());
        }
    }

    private static final List<QuantParams> SAMPLES = List.of(
            new QuantParams(QuantType.ASYMMETRIC_AFFINE_U8, 0.0123f, 128, 0, -1.5f, 1.6f),
            new QuantParams(QuantType.ASYMMETRIC_AFFINE_U8, 0.0123f, 127, 0, -1.5f, 1.6f),
            new QuantParams(QuantType.DYNAMIC_FIXED_POINT_I8, 0.0078125f, 0, 7, -1f, 1f),
            new QuantParams(QuantType.DYNAMIC_FIXED_POINT_I8, 0.0078125f, 0, 6, -1f, 1f),
            new QuantParams(QuantType.DYNAMIC_FIXED_POINT_I16, 1f, 0, 0, 0f, 0f),
            new QuantParams(QuantType.DYNAMIC_FIXED_POINT_I16, 1f, 0, 0, -0f, 0f),
            new QuantParams(QuantType.FLOAT32, 1f, 0, 0, Float.NaN, Float.NaN),
            new QuantParams(QuantType.FLOAT32, 1f, 0, 0, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY),
            QuantParams.FLOAT, QuantParams.HALF);

    @Test
    void equalityIsTheRecordsEqualityForEveryPair() {
        for (QuantParams a : SAMPLES) {
            for (QuantParams b : SAMPLES) {
                assertEquals(Plain.of(a).equals(Plain.of(b)), a.equals(b), a + " vs " + b);
            }
            QuantParams copy = new QuantParams(a.type(), a.scale(), a.zeroPoint(), a.fl(), a.min(), a.max());
            assertEquals(a, copy);
            assertEquals(a.hashCode(), copy.hashCode(), "equal parameters hash alike: " + a);
            assertNotEquals(a, null);
            assertNotEquals(a, Plain.of(a));
        }
    }

    @Test
    void negativeZeroAndNanCompareAsFloatCompareDoes() {
        QuantParams zero = new QuantParams(QuantType.FLOAT32, 1f, 0, 0, 0f, 0f);
        assertNotEquals(zero, new QuantParams(QuantType.FLOAT32, 1f, 0, 0, -0f, 0f));
        QuantParams nan = new QuantParams(QuantType.FLOAT32, 1f, 0, 0, Float.NaN, 0f);
        assertEquals(nan, new QuantParams(QuantType.FLOAT32, 1f, 0, 0, Float.intBitsToFloat(0x7fc00001), 0f));
    }

    @Test
    void textIsTheRecordsText() {
        for (QuantParams p : SAMPLES) {
            assertEquals(Plain.of(p).toString().replace("Plain[", "QuantParams["), p.toString());
        }
    }
}
