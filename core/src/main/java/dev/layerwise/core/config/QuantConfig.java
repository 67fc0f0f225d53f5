package dev.layerwise.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RKNN's {@code {model}.quantization.cfg}: the user's per-layer types and every tensor's
 * parameters, in file order. Values are kept as written (dtype names unvalidated) so that a
 * read/write round trip is lossless; {@link ConfigValidator} checks them against a model.
 * Immutable.
 *
 * @param customizedLayers {@code customized_quantize_layers}: layer name to dtype name
 * @param parameters {@code quantize_parameters}: key such as {@code @Conv_0:out0} to its entry
 * @param comments comment lines (without {@code #}) to write after the header
 */
public record QuantConfig(Map<String, String> customizedLayers, Map<String, TensorEntry> parameters, java.util.List<String> comments) {

    /** The comment RKNN writes above {@code customized_quantize_layers}. */
    public static final String VENDOR_COMMENT =
            "add layer name and corresponding quantized_dtype to customized_quantize_layers, e.g conv2_3: float32";

    public QuantConfig {
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
