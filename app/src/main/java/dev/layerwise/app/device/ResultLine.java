package dev.layerwise.app.device;

/**
 * One model's outcome in the Device view's result table. Immutable.
 *
 * @param model localised model name (Float, Normal, Hybrid)
 * @param board top-1 on the board, e.g. {@code [155] Shih-Tzu 0.9758}
 * @param host top-1 of the same model on the host
 * @param agrees true when both top-1 classes are the same
 * @param largestDelta largest |board - host| score among the board's top-5 classes also in the host's
 * @param pushMillis time spent pushing and verifying files
 * @param runMillis wall time of the runner on the board
 */
public record ResultLine(String model, String board, String host, boolean agrees, double largestDelta, long pushMillis,
        long runMillis) {
}
