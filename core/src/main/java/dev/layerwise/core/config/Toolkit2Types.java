package dev.layerwise.core.config;

import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.quant.QuantType;

/**
 * RKNN-Toolkit2's type names and what they mean in Layerwise's math (docs/toolkit2.md has the
 * table and the reasons). A name is mapped only where the arithmetic is the same; the rest are
 * refused with a message that says what is modelled instead. Stateless.
 */
public final class Toolkit2Types {

    /** {@code config(quantized_dtype=…)}'s default. */
    public static final String DEFAULT_DTYPE = "w8a8";

    private Toolkit2Types() {
    }

    /**
     * The model-wide type for {@code config(quantized_dtype=name)}.
     *
     * @throws IllegalArgumentException for names Layerwise does not model, saying why and what to use
     */
    public static QuantType quantizedDtype(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            // asymmetric int8 (q - zp in [-128, 127]) dequantizes to exactly the u8 values with zp + 128
            case "w8a8", "asymmetric_quantized-8" -> QuantType.ASYMMETRIC_AFFINE_U8;
            case "w16a16i_dfp" -> QuantType.DYNAMIC_FIXED_POINT_I16;
            case "w8a16" -> throw new IllegalArgumentException("quantized_dtype w8a16 (8-bit weights, 16-bit activations) is not "
                    + "modelled: a Layerwise layer has one width for weights and activations; use w16a16i_dfp for 16-bit error");
            case "w16a16i" -> throw new IllegalArgumentException("quantized_dtype w16a16i (16-bit affine integers) is not modelled; "
                    + "w16a16i_dfp (16-bit dynamic fixed point) is, and is the closest");
            case "w4a16" -> throw new IllegalArgumentException("quantized_dtype w4a16 (4-bit weights, RK3576 only) is not modelled; "
                    + "Layerwise models w8a8 and w16a16i_dfp");
            default -> throw new IllegalArgumentException("unknown quantized_dtype '" + name + "'; RKNN-Toolkit2's are w8a8 (default), "
                    + "w8a16, w16a16i, w16a16i_dfp, w4a16; Layerwise models w8a8 and w16a16i_dfp");
        };
    }

    /**
     * A model-wide type given in either toolkit's words: a Toolkit2 {@code quantized_dtype}
     * ({@code w8a8} …) or one of our type names ({@code asymmetric_affine-u8} …).
     *
     * @throws IllegalArgumentException for unknown or unmodelled names, saying which are modelled
     */
    public static QuantType modelType(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        if (n.matches("w\\d+a\\d+.*") || n.startsWith("asymmetric_quantized")) {
            return quantizedDtype(n);
        }
        try {
            return QuantType.parse(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dtype '" + name + "'; allowed: " + QuantType.ASYMMETRIC_AFFINE_U8 + ", "
                    + QuantType.DYNAMIC_FIXED_POINT_I8 + ", " + QuantType.DYNAMIC_FIXED_POINT_I16
                    + " or RKNN-Toolkit2's w8a8, w16a16i_dfp");
        }
    }

    /** The Toolkit2 name of a model-wide type, for {@code config(quantized_dtype=…)}. */
    public static String quantizedDtypeName(QuantType type) {
        return switch (type) {
            case ASYMMETRIC_AFFINE_U8 -> "w8a8";
            case DYNAMIC_FIXED_POINT_I16 -> "w16a16i_dfp";
            default -> throw new IllegalArgumentException(type + " has no RKNN-Toolkit2 quantized_dtype; use "
                    + QuantType.ASYMMETRIC_AFFINE_U8 + " (w8a8) or " + QuantType.DYNAMIC_FIXED_POINT_I16 + " (w16a16i_dfp)");
        };
    }

    /** {@code quantized_method}: {@code channel} (default) gives per-channel weights, {@code layer} per-tensor. */
    public static boolean perChannel(String method) {
        return switch (method.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "channel" -> true;
            case "layer" -> false;
            default -> throw new IllegalArgumentException("unknown quantized_method '" + method + "'; allowed: channel, layer");
        };
    }

    public static String methodName(boolean perChannel) {
        return perChannel ? "channel" : "layer";
    }

    /** {@code quantized_algorithm}: the same three names and algorithms as ours. */
    public static CalibrationAlgorithm algorithm(String name) {
        return CalibrationAlgorithm.parse(name);
    }

    /**
     * A type in {@code custom_quantize_layers}: {@code int8}, {@code int16} or {@code float16}. Our
     * own type names are accepted too, so a Toolkit 1 pick survives a change of layout.
     *
     * @throws IllegalArgumentException for any other name, listing the allowed ones
     */
    public static QuantType layerType(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "int8" -> QuantType.ASYMMETRIC_AFFINE_U8;
            case "int16" -> QuantType.DYNAMIC_FIXED_POINT_I16;
            case "float16" -> QuantType.FLOAT16;
            default -> {
                try {
                    yield QuantType.parse(n);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown dtype '" + name + "'; allowed: int8, int16, float16");
                }
            }
        };
    }

    /**
     * The {@code custom_quantize_layers} name of a layer type.
     *
     * @throws IllegalArgumentException for types Toolkit2 has no layer name for (float32,
     *     dynamic_fixed_point-i8), saying which to pick instead
     */
    public static String layerTypeName(QuantType type) {
        return switch (type) {
            case ASYMMETRIC_AFFINE_U8 -> "int8";
            case DYNAMIC_FIXED_POINT_I16 -> "int16";
            case FLOAT16 -> "float16";
            case FLOAT32 -> throw new IllegalArgumentException("RKNN-Toolkit2 has no float32 layers (custom_quantize_layers takes "
                    + "int8, int16, float16); pick float16");
            case DYNAMIC_FIXED_POINT_I8 -> throw new IllegalArgumentException("RKNN-Toolkit2 has no dynamic_fixed_point-i8 layers "
                    + "(custom_quantize_layers takes int8, int16, float16); pick int8 (" + QuantType.ASYMMETRIC_AFFINE_U8 + ")");
        };
    }
}
