package dev.layerwise.core.quant;

/**
 * The quantization formulas (RKNN's, from VeriSilicon's ovxlib lineage). All rounding is half to
 * even, as ONNX Runtime's QuantizeLinear does, and all arithmetic is float32 so that values
 * computed here equal what ORT computes from the same parameters. Stateless.
 */
public final class QuantMath {

    private QuantMath() {
    }

    /**
     * u8 parameters: the range is widened to contain 0, {@code scale = (max - min) / 255},
     * {@code zp = round(-min / scale)} clamped to [0, 255]. An all-zero range gets scale 1.
     */
    public static QuantParams asymmetricU8(float min, float max) {
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        float scale = (hi - lo) / 255f;
        if (!(scale > 0f) || !Float.isFinite(scale)) {
            return new QuantParams(QuantType.ASYMMETRIC_AFFINE_U8, 1f, 0, 0, lo, hi);
        }
        // from the exact ratio rather than the rounded float scale, so that a zero point of exactly
        // .5 (e.g. [-1, 1] -> 127.5) rounds to even as the formula says
        int zp = (int) Math.rint(-(double) lo * 255.0 / ((double) hi - lo));
        zp = Math.max(0, Math.min(255, zp));
        return new QuantParams(QuantType.ASYMMETRIC_AFFINE_U8, scale, zp, 0, lo, hi);
    }

    /**
     * Dynamic fixed point: {@code fl = bw - 1 - ceil(log2(max(|min|, |max|)))}, scale {@code 2^-fl}.
     * An all-zero range gets {@code fl = bw - 1}.
     */
    public static QuantParams dynamicFixedPoint(QuantType type, float min, float max) {
        int bw = type.bits();
        double m = Math.max(Math.abs((double) min), Math.abs((double) max));
        int fl = m > 0 ? bw - 1 - ceilLog2(m) : bw - 1;
        return new QuantParams(type, (float) Math.scalb(1.0, -fl), 0, fl, min, max);
    }

    /** {@code ceil(log2(m))} for m &gt; 0, exact for powers of two. */
    static int ceilLog2(double m) {
        int e = Math.getExponent(m);
        return m == Math.scalb(1.0, e) ? e : e + 1;
    }

    /** {@code clamp(round_half_even(x / scale) + zp, qmin, qmax)}. */
    public static int quantize(float x, float scale, int zp, int qmin, int qmax) {
        float r = (float) Math.rint(x / scale) + zp;
        if (r < qmin) {
            return qmin;
        }
        if (r > qmax) {
            return qmax;
        }
        return (int) r;
    }

    /** Round half to even, as {@code numpy.round} and ORT do. */
    public static float roundHalfEven(float x) {
        return (float) Math.rint(x);
    }
}
