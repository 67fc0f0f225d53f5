package dev.layerwise.core.quant;

/**
 * How one tensor is quantized: {@code q = clamp(round(x / scale) + zeroPoint, qmin, qmax)}.
 * For dynamic fixed point {@code scale = 2^-fl} and {@code zeroPoint = 0}. Immutable.
 *
 * @param type the data type; {@link QuantType#FLOAT32} means not quantized
 * @param scale step between two quantized values, &gt; 0 (1 for float32)
 * @param zeroPoint integer that represents 0.0
 * @param fl fraction length for dynamic fixed point, 0 otherwise
 * @param min low end of the calibrated range the parameters were made from
 * @param max high end of that range
 */
public record QuantParams(QuantType type, float scale, int zeroPoint, int fl, float min, float max) {

    public static final QuantParams FLOAT = new QuantParams(QuantType.FLOAT32, 1f, 0, 0, 0f, 0f);

    /** Smallest quantized value: 0 for u8, {@code -(2^(bw-1) - 1)} for dynamic fixed point (symmetric). */
    public int qmin() {
        return switch (type) {
            case ASYMMETRIC_AFFINE_U8 -> 0;
            case DYNAMIC_FIXED_POINT_I8 -> -127;
            case DYNAMIC_FIXED_POINT_I16 -> -32767;
            case FLOAT32 -> Integer.MIN_VALUE;
        };
    }

    public int qmax() {
        return switch (type) {
            case ASYMMETRIC_AFFINE_U8 -> 255;
            case DYNAMIC_FIXED_POINT_I8 -> 127;
            case DYNAMIC_FIXED_POINT_I16 -> 32767;
            case FLOAT32 -> Integer.MAX_VALUE;
        };
    }

    /** Quantizes one value. */
    public int quantize(float x) {
        return QuantMath.quantize(x, scale, zeroPoint, qmin(), qmax());
    }

    /** Quantizes and dequantizes one value, in float32 as ONNX Runtime does. */
    public float fakeQuantize(float x) {
        if (!type.isQuantized()) {
            return x;
        }
        return (quantize(x) - zeroPoint) * scale;
    }

    /** Parameters of type {@code type} for values in [min, max]. */
    public static QuantParams forRange(QuantType type, float min, float max) {
        return switch (type) {
            case ASYMMETRIC_AFFINE_U8 -> QuantMath.asymmetricU8(min, max);
            case DYNAMIC_FIXED_POINT_I8 -> QuantMath.dynamicFixedPoint(QuantType.DYNAMIC_FIXED_POINT_I8, min, max);
            case DYNAMIC_FIXED_POINT_I16 -> QuantMath.dynamicFixedPoint(QuantType.DYNAMIC_FIXED_POINT_I16, min, max);
            case FLOAT32 -> new QuantParams(QuantType.FLOAT32, 1f, 0, 0, min, max);
        };
    }
}
