package dev.layerwise.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RKNN's {@code {model}.quantization.cfg}: the user's per-layer types and every tensor's
 * parameters, in file order, in one of two layouts: RKNN-Toolkit 1's
 * ({@code customized_quantize_layers} by layer name, parameters keyed {@code @layer:port}) or
 * RKNN-Toolkit2's ({@code custom_quantize_layers} by output tensor name, types {@code int8},
 * {@code int16}, {@code float16}; parameters keyed by tensor name). Values are kept as written (dtype names unvalidated) so that a
 * read/write round trip is lossless; {@link ConfigValidator} checks them against a model.
 * Immutable.
 *
 * @param customizedLayers the section the user edits: layer (Toolkit 1) or output tensor (Toolkit2) name to dtype name
 * @param parameters {@code quantize_parameters}: key such as {@code @Conv_0:out0} to its entry
 * @param comments comment lines (without {@code #}) to write after the header
 * @param toolkit the layout
 */
public record QuantConfig(Map<String, String> customizedLayers, Map<String, TensorEntry> parameters, java.util.List<String> comments,
        Toolkit toolkit) {

    /** The comment RKNN writes above {@code customized_quantize_layers}. */
    public static final String VENDOR_COMMENT =
            "add layer name and corresponding quantized_dtype to customized_quantize_layers, e.g conv2_3: float32";

    /** The comment Layerwise writes above {@code custom_quantize_layers}; also marks a Toolkit2 cfg as ours. */
    public static final String TOOLKIT2_COMMENT =
            "Layerwise: add output tensor name and its type (int8, int16, float16) to custom_quantize_layers";

    /** A cfg in RKNN-Toolkit 1's layout. */
    public QuantConfig(Map<String, String> customizedLayers, Map<String, TensorEntry> parameters, java.util.List<String> comments) {
        this(customizedLayers, parameters, comments, Toolkit.TOOLKIT1);
    }

    public QuantConfig {
        java.util.Objects.requireNonNull(toolkit, "toolkit");
        customizedLayers = Collections.unmodifiableMap(new LinkedHashMap<>(customizedLayers));
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        comments = java.util.List.copyOf(comments);
    }

    /** The layer a parameter key belongs to: {@code @Conv_0:out0} gives {@code Conv_0}. */
    public static String layerOf(String key) {
        String k = key.startsWith("@") ? key.substring(1) : key;
        int colon = k.lastIndexOf(':');
        return colon < 0 ? k : k.substring(0, colon);
    }

    /** The port of a parameter key: {@code out0}, {@code weight}, {@code bias} … */
    public static String portOf(String key) {
        int colon = key.lastIndexOf(':');
        return colon < 0 ? "" : key.substring(colon + 1);
    }

    public static String key(String layer, String port) {
        return "@" + layer + ":" + port;
    }
}
