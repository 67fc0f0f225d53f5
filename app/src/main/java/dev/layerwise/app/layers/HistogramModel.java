package dev.layerwise.app.layers;

import dev.layerwise.core.quant.QuantType;

/**
 * The selected layer's float output values binned, with the range its quantization can
 * represent. Immutable.
 *
 * @param low left edge of the first bin
 * @param high right edge of the last bin
 * @param counts values per bin, equal widths
 * @param rangeLow lowest representable value, {@code (qmin - zp) * scale}
 * @param rangeHigh highest representable value, {@code (qmax - zp) * scale}
 * @param clippedShare share of values outside [rangeLow, rangeHigh], in [0, 1]
 * @param type the layer's type; for float32 the range is the whole histogram and nothing clips
 */
public record HistogramModel(String layer, double low, double high, long[] counts, double rangeLow, double rangeHigh,
        double clippedShare, QuantType type, int values) {

    public double binWidth() {
        return (high - low) / counts.length;
    }

    /** Bins {@code values} over their own span widened to contain the representable range. */
    public static HistogramModel of(String layer, float[] values, double rangeLow, double rangeHigh, QuantType type, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long clipped = 0;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (type.isInteger() && (v < rangeLow || v > rangeHigh)) {
                clipped++;
            }
        }
        if (values.length == 0) {
            min = 0;
            max = 0;
        }
        if (!type.isInteger()) {
            rangeLow = min;
            rangeHigh = max;
        }
        double low = Math.min(min, rangeLow);
        double high = Math.max(max, rangeHigh);
        if (high <= low) {
            high = low + 1;
        }
        long[] counts = new long[bins];
        double width = (high - low) / bins;
        for (float v : values) {
            int b = (int) ((v - low) / width);
            counts[Math.max(0, Math.min(bins - 1, b))]++;
        }
        double share = values.length == 0 ? 0 : (double) clipped / values.length;
        return new HistogramModel(layer, low, high, counts, rangeLow, rangeHigh, share, type, values.length);
    }
}
