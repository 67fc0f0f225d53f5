package dev.layerwise.app.compare;

import java.util.List;

/**
 * One column of the Compare view: a model's top-5 on the analysed input. Host columns come
 * from the engine; device columns (from the bridge) use the same shape. Immutable.
 *
 * @param id {@code float}, {@code normal}, {@code hybrid} or a device column's id
 * @param title header text, localised
 * @param device true for a column measured on a board
 * @param entries best first
 * @param finalCosine final output cosine against the float model; 1 for the float column
 * @param top1Differs true when this column's top-1 class is not the float model's
 */
public record CompareColumn(String id, String title, boolean device, List<Entry> entries, double finalCosine,
        boolean top1Differs) {

    public CompareColumn {
        entries = List.copyOf(entries);
    }

    /**
     * @param delta score minus the float model's score for the same class; NaN when the float
     *     top-5 does not hold that class
     * @param differs true when the float model ranks another class at this place
     */
    public record Entry(int rank, int index, String label, double score, double delta, boolean differs) {
    }

    public Entry top1() {
        return entries.isEmpty() ? null : entries.get(0);
    }
}
