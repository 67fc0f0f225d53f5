package dev.layerwise.core.config;

import java.util.List;

/**
 * One {@code quantize_parameters} entry of a cfg, e.g. {@code '@Conv_434:out0'}. Lists hold one
 * value per tensor ({@code method: layer}) or one per channel ({@code method: channel}). Fields
 * the vendor leaves empty are empty lists or {@code null}. Immutable.
 *
 * @param dtype {@code asymmetric_affine}, {@code dynamic_fixed_point}, {@code float32} or {@code None}
 * @param method {@code layer} or {@code channel}, may be null
 * @param maxValue calibrated maxima
 * @param minValue calibrated minima
 * @param zeroPoint zero points
 * @param scale scales
 * @param qtype {@code u8}, {@code i8}, {@code i16}, {@code i32}, may be null
 * @param fl fraction lengths for dynamic fixed point, may be empty
 */
public record TensorEntry(String dtype, String method, List<Double> maxValue, List<Double> minValue, List<Long> zeroPoint,
        List<Double> scale, String qtype, List<Long> fl) {

    public TensorEntry {
        maxValue = List.copyOf(maxValue);
        minValue = List.copyOf(minValue);
        zeroPoint = List.copyOf(zeroPoint);
        scale = List.copyOf(scale);
        fl = List.copyOf(fl);
    }
}
