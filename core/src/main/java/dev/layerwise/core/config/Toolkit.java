package dev.layerwise.core.config;

import dev.layerwise.core.quant.QuantType;

/**
 * The RKNN toolkit generation whose files and names a user works with. Both share the hybrid flow
 * but differ in the cfg section (and its keys), the layer type names and the report layout.
 */
public enum Toolkit {
    /** RKNN-Toolkit 1 (RV1126, RK1808): {@code customized_quantize_layers} by layer name, {@code *_qnt_error_analysis.txt}. */
    TOOLKIT1("1", "customized_quantize_layers"),
    /** RKNN-Toolkit2 (RK3588, RK3576, RK3566, RV1106): {@code custom_quantize_layers} by output tensor name, {@code error_analysis.txt}. */
    TOOLKIT2("2", "custom_quantize_layers");

    private final String number;
    private final String section;

    Toolkit(String number, String section) {
        this.number = number;
        this.section = section;
    }

    /** {@code 1} or {@code 2}, as in {@code --toolkit 2}. */
    public String number() {
        return number;
    }

    /** The cfg section the user edits. */
    public String section() {
        return section;
    }

    /**
     * The name this toolkit's users know for a model-wide type, for what a command prints:
     * RKNN-Toolkit2's {@code quantized_dtype} ({@code w8a8}, {@code w16a16i_dfp}), else ours
     * ({@code asymmetric_affine-u8} …). Files keep their own names; this is for people.
     */
    public String modelTypeName(QuantType type) {
        if (this == TOOLKIT2 && (type == QuantType.ASYMMETRIC_AFFINE_U8 || type == QuantType.DYNAMIC_FIXED_POINT_I16)) {
            return Toolkit2Types.quantizedDtypeName(type);
        }
        return type.configName();
    }

    /**
     * The name this toolkit's users know for one layer's type: RKNN-Toolkit2's
     * {@code custom_quantize_layers} names ({@code int8}, {@code int16}, {@code float16}), else ours.
     * A type Toolkit2 has no layer name for keeps ours, so nothing is printed under a wrong name.
     */
    public String layerTypeName(QuantType type) {
        if (this == TOOLKIT2 && type != QuantType.FLOAT32 && type != QuantType.DYNAMIC_FIXED_POINT_I8) {
            return Toolkit2Types.layerTypeName(type);
        }
        return type.configName();
    }

    /** {@code 1}/{@code 2} (also {@code toolkit1}, {@code rknn-toolkit2} …). */
    public static Toolkit parse(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("1")) {
            return TOOLKIT1;
        }
        if (t.endsWith("2")) {
            return TOOLKIT2;
        }
        throw new IllegalArgumentException("unknown toolkit '" + s + "'; allowed: 1 (RKNN-Toolkit), 2 (RKNN-Toolkit2)");
    }

    @Override
    public String toString() {
        return number;
    }
}
