package dev.layerwise.app.compare;

import java.util.List;

/**
 * One graph output in the Compare view's per-output tables: how each quantized model's output
 * compares with the float model's, on the analysed input or over the dataset. Immutable.
 *
 * @param name the output tensor
 * @param shape e.g. {@code 1x12x80x80}
 * @param classVector true when the output is a class vector (it then also has top-5 cards)
 * @param cells one per quantized model, in column order ({@code normal}, {@code hybrid}, then kept candidates)
 */
public record OutputRow(String name, String shape, boolean classVector, List<Cell> cells) {

    public OutputRow {
        cells = List.copyOf(cells);
    }

    /**
     * @param model {@code normal}, {@code hybrid} or a candidate's column id ({@code candidate-0}, …)
     * @param title the model's column title, localised
     * @param cosine against the float output, averaged over the compared inputs
     * @param euclidean likewise
     * @param maxAbsError the largest element difference on any input
     * @param worst true when this is the model's lowest-cosine output, the one it is judged by
     * @param minCosine the lowest cosine on one input (equal to {@code cosine} for one input)
     * @param worstInput the 0-based index of that input among the compared ones
     */
    public record Cell(String model, String title, double cosine, double euclidean, double maxAbsError, boolean worst,
            double minCosine, int worstInput) {
    }

    public Cell cell(String model) {
        return cells.stream().filter(c -> c.model().equals(model)).findFirst().orElse(null);
    }
}
