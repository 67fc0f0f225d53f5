package dev.layerwise.core.quant;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The per-layer data types of RKNN's hybrid quantization, under their config-file names.
 */
public enum QuantType {
    /** 8-bit unsigned with scale and zero point (RKNN's default). */
    ASYMMETRIC_AFFINE_U8("asymmetric_affine-u8", "asymmetric_affine", "u8", 8),
    /** 8-bit signed power-of-two scale ({@code fl} fraction bits), zero point 0. */
    DYNAMIC_FIXED_POINT_I8("dynamic_fixed_point-i8", "dynamic_fixed_point", "i8", 8),
    /** 16-bit signed power-of-two scale; what unfriendly layers are promoted to. */
    DYNAMIC_FIXED_POINT_I16("dynamic_fixed_point-i16", "dynamic_fixed_point", "i16", 16),
    /**
     * Half precision, RKNN-Toolkit2's float layers: inputs, weights, bias and outputs are rounded to
     * binary16 (see {@link Half}); the arithmetic in between stays float32, as on an fp16 NPU path
     * that accumulates wider. Not an integer grid: no scale, zero point or calibrated range.
     */
    FLOAT16("float16", "float16", "float16", 16),
    /** Not quantized. */
    FLOAT32("float32", "float32", "float32", 32);

    private final String configName;
    private final String dtype;
    private final String qtype;
    private final int bits;

    QuantType(String configName, String dtype, String qtype, int bits) {
        this.configName = configName;
        this.dtype = dtype;
        this.qtype = qtype;
        this.bits = bits;
    }

    /** Name in {@code customized_quantize_layers} and on the command line, e.g. {@code dynamic_fixed_point-i16}. */
    public String configName() {
        return configName;
    }

    /** The {@code dtype} field of a tensor entry in the cfg, e.g. {@code asymmetric_affine}. */
    public String dtype() {
        return dtype;
    }

    /** The {@code qtype} field of a tensor entry in the cfg, e.g. {@code u8}. */
    public String qtype() {
        return qtype;
    }

    public int bits() {
        return bits;
    }

    /** True when the layer's values change at all (every type but float32), so it has an error to analyse. */
    public boolean isQuantized() {
        return this != FLOAT32;
    }

    /** True for the integer types (scale, zero point or fl, calibrated range); false for float16 and float32. */
    public boolean isInteger() {
        return this != FLOAT32 && this != FLOAT16;
    }

    public boolean isDynamicFixedPoint() {
        return this == DYNAMIC_FIXED_POINT_I8 || this == DYNAMIC_FIXED_POINT_I16;
    }

    /** The type named {@code name} (config name, case-insensitive). */
    public static QuantType parse(String name) {
        for (QuantType t : values()) {
            if (t.configName.equalsIgnoreCase(name.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown quantized dtype '" + name + "'; allowed: " + allowedNames());
    }

    public static String allowedNames() {
        return Arrays.stream(values()).map(QuantType::configName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return configName;
    }
}
