package dev.layerwise.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HalfTest {

    /**
     * Hand-computed binary16 encodings: sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
     * The float inputs are given as exact float32 bit patterns so that no decimal parsing blurs a tie.
     */
    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource({
            // float32 bits, expected half bits, why
            "0x3F800000, 0x3C00, one",
            "0xC0000000, 0xC000, minus two",
            "0x00000000, 0x0000, zero",
            "0x80000000, 0x8000, negative zero keeps its sign",
            "0x477FE000, 0x7BFF, 65504 is the largest half",
            "0x477FEFFF, 0x7BFF, just under 65520 rounds down to 65504",
            "0x477FF000, 0x7C00, 65520 is halfway to 65536 and ties to even: infinity",
            "0x501502F9, 0x7C00, 1e10 overflows to infinity",
            "0xD01502F9, 0xFC00, -1e10 overflows to minus infinity",
            "0x7F800000, 0x7C00, infinity stays infinity",
            "0x3F801000, 0x3C00, 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (down)",
            "0x3F803000, 0x3C02, 1 + 3*2^-11 is halfway between mantissas 1 and 2: ties to even (up)",
            "0x3F801001, 0x3C01, just above halfway rounds up",
            "0x3DCCCCCD, 0x2E66, 0.1 -> 0.0999755859375",
            "0x3EAAAAAB, 0x3555, 1/3 -> 0.333251953125",
            "0x38800000, 0x0400, 2^-14 is the smallest normal",
            "0x387FC000, 0x03FF, 2^-14 - 2^-24 is the largest subnormal",
            "0x33800000, 0x0001, 2^-24 is the smallest subnormal",
            "0x33000000, 0x0000, 2^-25 is halfway between 0 and 2^-24: ties to even (zero)",
            "0x33400000, 0x0001, 1.5 * 2^-25 rounds up to 2^-24",
            "0x33C00000, 0x0002, 3 * 2^-25 is halfway between subnormals 1 and 2: ties to even (2)",
            "0x34200000, 0x0002, 5 * 2^-25 is halfway between subnormals 2 and 3: ties to even (2)",
            "0x387FE000, 0x0400, 2^-14 - 2^-25 is halfway between the largest subnormal and the smallest normal: up",
            "0x32800000, 0x0000, 2^-26 underflows to zero",
            "0x00000001, 0x0000, a float32 subnormal underflows to zero",
            "0xB3800000, 0x8001, minus 2^-24"
    })
    void roundsToNearestEven(String floatBits, String halfBits, String why) {
        float f = Float.intBitsToFloat(Integer.parseUnsignedInt(floatBits.substring(2), 16));
        int expected = Integer.parseInt(halfBits.substring(2), 16);
        assertEquals(expected, Half.toBits(f) & 0xffff, why);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "0x3C00, 1.0",
            "0x7BFF, 65504.0",
            "0x0001, 5.9604644775390625E-8",
            "0x03FF, 6.097555160522461E-5",
            "0x0400, 6.103515625E-5",
            "0x2E66, 0.0999755859375",
            "0xC000, -2.0",
            "0x7C00, Infinity",
            "0xFC00, -Infinity"
    })
    void decodesHalfBitsExactly(String halfBits, double value) {
        assertEquals(value, Half.fromBits((short) Integer.parseInt(halfBits.substring(2), 16)), 0.0);
    }

    @Test
    void nanStaysNan() {
        assertTrue(Float.isNaN(Half.round(Float.NaN)));
        assertEquals(0x7C00, Half.toBits(Float.NaN) & 0x7C00);
        assertTrue((Half.toBits(Float.NaN) & 0x3ff) != 0, "a NaN must not turn into infinity");
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.fromBits((short) h);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals(h, Half.toBits(f) & 0xffff, "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void roundingIsIdempotentAndMonotone() {
        float prev = Float.NEGATIVE_INFINITY;
        for (float x = -70000f; x < 70000f; x += 0.37f) {
            float r = Half.round(x);
            assertEquals(r, Half.round(r), 0.0);
            assertTrue(r >= prev, "rounding must not reorder values at " + x);
            prev = r;
        }
    }
}
