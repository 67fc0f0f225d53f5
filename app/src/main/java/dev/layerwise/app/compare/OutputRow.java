package dev.layerwise.app.compare;

import java.util.List;

/**
 * One graph output in the Compare view's per-output table: how the normal and hybrid models'
 * output compares with the float model's. Immutable.
 *
 * @param name the output tensor
 * @param shape e.g. {@code 1x12x80x80}
 * @param classVector true when the output is a class vector (it then also has top-5 cards)
 * @param cells one per quantized model, in column order ({@code normal}, {@code hybrid})
 */
public record OutputRow(String name, String shape, boolean classVector, List<Cell> cells) {

    public OutputRow {
        cells = List.copyOf(cells);
    }

    /**
     * @param model {@code normal} or {@code hybrid}
     * @param cosine against the float output, averaged over the compared inputs
     * @param euclidean likewise
     * @param maxAbsError the largest element difference on any input
     * @param worst true when this is the model's lowest-cosine output, the one it is judged by
     */
    public record Cell(String model, double cosine, double euclidean, double maxAbsError, boolean worst) {
    }

    public Cell cell(String model) {
        return cells.stream().filter(c -> c.model().equals(model)).findFirst().orElse(null);
    }
}
