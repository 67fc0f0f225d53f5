package dev.layerwise.core.quant;

import dev.layerwise.core.tensor.Half;

/**
 * How one tensor is quantized: {@code q = clamp(round(x / scale) + zeroPoint, qmin, qmax)}.
 * For dynamic fixed point {@code scale = 2^-fl} and {@code zeroPoint = 0}. For float16 there is no
 * grid: scale 1, zero point 0, and values are rounded to half precision. Immutable.
 *
 * @param type the data type; {@link QuantType#FLOAT32} means not quantized, {@link QuantType#FLOAT16} rounded to half
 * @param scale step between two quantized values, &gt; 0 (1 for float32)
 * @param zeroPoint integer that represents 0.0
 * @param fl fraction length for dynamic fixed point, 0 otherwise
 * @param min low end of the calibrated range the parameters were made from
 * @param max high end of that range
 */
public record QuantParams(QuantType type, float scale, int zeroPoint, int fl, float min, float max) {

    public static final QuantParams FLOAT = new QuantParams(QuantType.FLOAT32, 1f, 0, 0, 0f, 0f);
    /** A tensor rounded to half precision; one value for all, so equal points are recognised as equal. */
    public static final QuantParams HALF = new QuantParams(QuantType.FLOAT16, 1f, 0, 0, 0f, 0f);

    /** Smallest quantized value: 0 for u8, {@code -(2^(bw-1) - 1)} for dynamic fixed point (symmetric). */
    public int qmin() {
        return switch (type) {
            case ASYMMETRIC_AFFINE_U8 -> 0;
            case DYNAMIC_FIXED_POINT_I8 -> -127;
            case DYNAMIC_FIXED_POINT_I16 -> -32767;
            case FLOAT16, FLOAT32 -> Integer.MIN_VALUE;
        };
    }

    public int qmax() {
        return switch (type) {
            case ASYMMETRIC_AFFINE_U8 -> 255;
            case DYNAMIC_FIXED_POINT_I8 -> 127;
            case DYNAMIC_FIXED_POINT_I16 -> 32767;
            case FLOAT16, FLOAT32 -> Integer.MAX_VALUE;
        };
    }

    /** Quantizes one value. */
    public int quantize(float x) {
        return QuantMath.quantize(x, scale, zeroPoint, qmin(), qmax());
    }

    /** Quantizes and dequantizes one value, in float32 as ONNX Runtime does; float16 rounds to half precision. */
    public float fakeQuantize(float x) {
        if (type == QuantType.FLOAT16) {
            return Half.round(x);
        }
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
            case FLOAT16 -> HALF;
            case FLOAT32 -> new QuantParams(QuantType.FLOAT32, 1f, 0, 0, min, max);
        };
    }

    // equals, hashCode and toString as a record's own (floats compared as Float.compare does), written
    // out: the record's are bound at their first call through java.lang.runtime.ObjectMethods, which
    // spins some two dozen method-handle classes in every cold command that plans a model

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof QuantParams p && type == p.type && Float.compare(scale, p.scale) == 0
                && zeroPoint == p.zeroPoint && fl == p.fl && Float.compare(min, p.min) == 0 && Float.compare(max, p.max) == 0;
    }

    @Override
    public int hashCode() {
        int h = java.util.Objects.hashCode(type);
        h = 31 * h + Float.hashCode(scale);
        h = 31 * h + zeroPoint;
        h = 31 * h + fl;
        h = 31 * h + Float.hashCode(min);
        return 31 * h + Float.hashCode(max);
    }

    @Override
    public String toString() {
        return "QuantParams[type=" + type + ", scale=" + scale + ", zeroPoint=" + zeroPoint + ", fl=" + fl + ", min=" + min
                + ", max=" + max + "]";
    }
}
