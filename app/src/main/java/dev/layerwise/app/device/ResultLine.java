package dev.layerwise.app.device;

/**
 * One graph output of one model run on the board, against the host's result, in the Device view's
 * result table: top-1 for a class vector, value range and cosine for any other output. Immutable.
 *
 * @param model localised model name (Float, Normal, Hybrid), or {@code file.rknn ↔ Float} for a
 *     {@code .rknn} set against one of the host models
 * @param output the graph output's name, and its shape
 * @param board top-1 on the board, e.g. {@code [155] Shih-Tzu 0.9758}; for other outputs the value range
 * @param host the same for the host model
 * @param agrees true when the top-1 classes are the same (class vector) or the cosine is at least
 *     {@link BoardRunViewModel#AGREEING_COSINE} (other outputs)
 * @param agreement what {@code agrees} was judged by, localised: "same", "DIFFERS" or the cosine
 * @param difference largest |board - host| score among the board's top-5 classes also in the host's
 *     (class vector), else largest |board - host| of any element; empty when not comparable
 * @param pushMillis time spent pushing and verifying files
 * @param runMillis wall time of the runner on the board
 */
public record ResultLine(String model, String output, String board, String host, boolean agrees, String agreement,
        String difference, long pushMillis, long runMillis) {
}
