package dev.layerwise.app.compare;

import java.util.List;

/**
 * One column of the Compare view: a model's top-5 on the analysed input. Host columns come
 * from the engine and are compared with the host float model; device columns (from the bridge)
 * are compared with the host result of the same model, so a delta there is what the board adds.
 * Immutable.
 *
 * @param id {@code float}, {@code normal}, {@code hybrid}, or {@code device-float} etc. for a board's columns
 * @param title header text, localised
 * @param device true for a column measured on a board
 * @param entries best first
 * @param finalCosine final output cosine against the float model; 1 for the float column, NaN when not known (device columns)
 * @param top1Differs true when this column's top-1 class is not the reference's
 * @param reference what deltas and disagreements are measured against, localised (e.g. "float", "host normal")
 * @param note one line shown under the title instead of the final cosine when that is NaN, or {@code null}
 */
public record CompareColumn(String id, String title, boolean device, List<Entry> entries, double finalCosine,
        boolean top1Differs, String reference, String note) {

    public CompareColumn {
        entries = List.copyOf(entries);
    }

    /** A host column, compared with float. */
    public CompareColumn(String id, String title, boolean device, List<Entry> entries, double finalCosine, boolean top1Differs) {
        this(id, title, device, entries, finalCosine, top1Differs, "float", null);
    }

    /**
     * @param delta score minus the reference's score for the same class; NaN when the reference
     *     top-5 does not hold that class
     * @param differs true when the reference ranks another class at this place
     */
    public record Entry(int rank, int index, String label, double score, double delta, boolean differs) {
    }

    public Entry top1() {
        return entries.isEmpty() ? null : entries.get(0);
    }

    /** The model this column shows: {@code float}, {@code normal} or {@code hybrid}, with or without the device prefix. */
    public String model() {
        return id.startsWith("device-") ? id.substring("device-".length()) : id;
    }

    public CompareColumn with(String newReference, String newNote) {
        return new CompareColumn(id, title, device, entries, finalCosine, top1Differs, newReference, newNote);
    }
}
