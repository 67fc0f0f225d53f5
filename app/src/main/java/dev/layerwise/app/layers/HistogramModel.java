package dev.layerwise.app.layers;

import dev.layerwise.core.quant.QuantType;

/**
 * The selected layer's float output values binned, with the range its quantization can
 * represent and what the calibration chose it from. Immutable.
 *
 * @param low left edge of the first bin
 * @param high right edge of the last bin
 * @param counts values per bin, equal widths
 * @param rangeLow lowest representable value, {@code (qmin - zp) * scale}
 * @param rangeHigh highest representable value, {@code (qmax - zp) * scale}
 * @param clippedShare share of this input's values outside [rangeLow, rangeHigh], in [0, 1]
 * @param type the layer's type; for float32 the range is the whole histogram and nothing clips
 * @param calibration where the range came from, or {@code null} when it was set by hand
 */
public record HistogramModel(String layer, double low, double high, long[] counts, double rangeLow, double rangeHigh,
        double clippedShare, QuantType type, int values, CalibrationChoice calibration) {

    /**
     * What the calibration algorithm chose against what it saw on the whole calibration set.
     *
     * @param algorithm config name ({@code normal}, {@code kl_divergence}, {@code mmse})
     * @param chosenLow low end of the chosen range
     * @param chosenHigh high end of the chosen range
     * @param observedLow smallest value seen in calibration
     * @param observedHigh largest value seen in calibration
     * @param clippedShare share of the calibration values the chosen range cuts off, in [0, 1];
     *     NaN when not known (no histogram kept)
     * @param decisive the tensor decides the network's answer, so min/max was kept (decision 0010)
     */
    public record CalibrationChoice(String algorithm, double chosenLow, double chosenHigh, double observedLow,
            double observedHigh, double clippedShare, boolean decisive) {

        /** True when the chosen range cuts into what calibration saw. */
        public boolean clips() {
            return chosenLow > observedLow || chosenHigh < observedHigh;
        }
    }

    public double binWidth() {
        return (high - low) / counts.length;
    }

    /**
     * Bins {@code values} over their own span widened to contain the representable range and the
     * calibration's min/max.
     */
    public static HistogramModel of(String layer, float[] values, double rangeLow, double rangeHigh, QuantType type, int bins,
            CalibrationChoice calibration) {
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
        if (calibration != null && type.isInteger()) {
            low = Math.min(low, calibration.observedLow());
            high = Math.max(high, calibration.observedHigh());
        }
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
        return new HistogramModel(layer, low, high, counts, rangeLow, rangeHigh, share, type, values.length, calibration);
    }
}
