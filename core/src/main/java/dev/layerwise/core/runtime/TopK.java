package dev.layerwise.core.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The k best classes of one output vector. Scores are probabilities: softmax is applied when the
 * raw output is not already a distribution, the same way for every source (host or device).
 *
 * @param entries best first
 */
public record TopK(List<Entry> entries) {

    /**
     * One class.
     *
     * @param index class index in the output vector
     * @param label class name from the labels file, or {@code null}
     * @param score probability in [0, 1]
     */
    public record Entry(int index, String label, double score) {
    }

    public TopK {
        entries = List.copyOf(entries);
    }

    /** Top {@code k} of a raw output (logits or probabilities). */
    public static TopK of(float[] output, int k, Labels labels) {
        double[] p = Classification.probabilities(output);
        return ofProbabilities(p, k, labels);
    }

    public static TopK ofProbabilities(double[] p, int k, Labels labels) {
        int n = Math.min(k, p.length);
        List<Entry> out = new ArrayList<>(n);
        boolean[] taken = new boolean[p.length];
        for (int r = 0; r < n; r++) {
            int best = -1;
            for (int i = 0; i < p.length; i++) {
                // ties go to the lower index, as numpy's argsort on negated scores does
                if (!taken[i] && (best < 0 || p[i] > p[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out.add(new Entry(best, labels == null ? null : labels.get(best), p[best]));
        }
        return new TopK(out);
    }

    public Entry top1() {
        return entries.get(0);
    }

    /** The probability this list gives class {@code index}, or NaN when the class is not in it. */
    public double scoreOf(int index) {
        for (Entry e : entries) {
            if (e.index() == index) {
                return e.score();
            }
        }
        return Double.NaN;
    }

    /**
     * The largest |score difference| between this list and {@code reference} over the classes in
     * both, in [0, 1]; 0 when they share none. The one definition of "top-5 delta" for host
     * against board and model against model.
     */
    public double largestDelta(TopK reference) {
        double max = 0;
        for (Entry e : entries) {
            double r = reference.scoreOf(e.index());
            if (!Double.isNaN(r)) {
                max = Math.max(max, Math.abs(e.score() - r));
            }
        }
        return max;
    }

    /** True when both lists name the same classes in the same order. */
    public boolean sameOrder(TopK other) {
        return entries.stream().map(Entry::index).toList().equals(other.entries.stream().map(Entry::index).toList());
    }

    /** The vendor demos' printout, with labels added: {@code [155]: 0.9758 Shih-Tzu}. */
    public String format() {
        StringBuilder sb = new StringBuilder("-----TOP ").append(entries.size()).append("-----\n");
        for (Entry e : entries) {
            sb.append('[').append(e.index()).append("]: ").append(String.format(java.util.Locale.ROOT, "%.6f", e.score()));
            if (e.label() != null) {
                sb.append("  ").append(e.label());
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
