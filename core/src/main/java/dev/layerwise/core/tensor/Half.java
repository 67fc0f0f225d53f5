package dev.layerwise.core.tensor;

/**
 * IEEE 754 binary16 ("half", what an fp16 NPU path stores) conversions written for Java 17, which
 * has no {@code Float.floatToFloat16}. float32 to half rounds to nearest, ties to even, like
 * ONNX Runtime's {@code Cast}: values past the largest half (65504) by half a step or more become
 * infinity, values below the smallest subnormal (2^-24) by more than half of it become zero, NaN
 * stays NaN. Stateless and thread-safe.
 */
public final class Half {

    /** Largest finite half value. */
    public static final float MAX = 65504f;

    private Half() {
    }

    /** The half nearest to {@code f} (ties to even), as its 16 bits. */
    public static short toBits(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xff;
        int mant = x & 0x7f_ffff;
        if (exp == 0xff) {
            // keep NaNs quiet NaNs (top mantissa bit set) so that none turns into infinity
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            // a half subnormal counts steps of 2^-24: m = round(1.mant * 2^(exp-127) / 2^-24)
            int shift = 14 - e;
            if (shift > 24 || exp == 0) {
                return (short) sign;
            }
            int full = mant | 0x80_0000;
            int m = full >>> shift;
            int rest = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || rest == halfway && (m & 1) != 0) {
                m++; // 1024 carries into the exponent field: the smallest normal, as it should
            }
            return (short) (sign | m);
        }
        int h = sign | (e << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || rest == 0x1000 && (h & 1) != 0) {
            h++; // a carry out of the mantissa raises the exponent; out of 30 it gives infinity
        }
        return (short) h;
    }

    /** The float32 value of half bits {@code h} (exact: every half is a float). */
    public static float fromBits(short h) {
        int bits = h & 0xffff;
        int sign = bits & 0x8000;
        int e = (bits >>> 10) & 0x1f;
        int m = bits & 0x3ff;
        if (e == 0) {
            float v = Math.scalb((float) m, -24);
            return sign != 0 ? -v : v;
        }
        if (e == 0x1f) {
            return m == 0 ? (sign != 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY) : Float.NaN;
        }
        return Float.intBitsToFloat((sign << 16) | ((e - 15 + 127) << 23) | (m << 13));
    }

    /** {@code f} rounded to half precision and back: what an fp16 path computes with. */
    public static float round(float f) {
        return fromBits(toBits(f));
    }

    /** Every element rounded to half precision, in a new array. */
    public static float[] round(float[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = round(a[i]);
        }
        return out;
    }
}
