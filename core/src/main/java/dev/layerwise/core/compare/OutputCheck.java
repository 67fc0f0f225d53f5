package dev.layerwise.core.compare;

import dev.layerwise.core.analysis.Metrics;
import dev.layerwise.core.runtime.Classification;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One graph output of a model as another runtime (a board) computed it, against the host's result
 * of the same model on the same input, judged as the rest of the tool judges outputs: a class
 * vector ({@link Classification#isClassVector}) by its top-k, every output by its value range and
 * its cosine, euclidean distance and largest difference against the host. Immutable.
 *
 * @param index the output's place in the graph, from 0
 * @param name the host's name for it, or {@code output N} when the host has no such output
 * @param shape the other runtime's shape
 * @param hostShape the host's shape, or {@code null} when the host has no such output
 * @param top the other runtime's top-k; {@code null} unless the output is a class vector
 * @param hostTop the host's top-k; {@code null} unless {@code top} is set and the host has the output
 * @param min the smallest value the other runtime gave ({@link FloatTensor#minMax}: NaN skipped, 0 when empty)
 * @param max the largest value the other runtime gave (as {@code min})
 * @param metrics against the host's values, flattened; {@code null} when there is nothing to compare with
 * @param maxAbsError the largest |other - host| of any element; NaN when {@code metrics} is null
 * @param problem why the output could not be compared (no host output, or another element count), or {@code null}
 */
public record OutputCheck(int index, String name, long[] shape, long[] hostShape, TopK top, TopK hostTop, double min,
        double max, Metrics metrics, double maxAbsError, String problem) {

    public OutputCheck {
        shape = shape.clone();
        hostShape = hostShape == null ? null : hostShape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] hostShape() {
        return hostShape == null ? null : hostShape.clone();
    }

    /** True when the output is a class vector, so it has a top-k. */
    public boolean classVector() {
        return top != null;
    }

    /** True when both sides have a top-k and their best class is the same. */
    public boolean top1Agrees() {
        return top != null && hostTop != null && top.top1().index() == hostTop.top1().index();
    }

    /**
     * True when the output counts as agreeing with the host: same top-1 for a class vector, else a
     * cosine of at least {@code minCosine}.
     */
    public boolean agrees(double minCosine) {
        if (problem != null) {
            return false;
        }
        return classVector() ? top1Agrees() : metrics != null && metrics.cosine() >= minCosine;
    }

    /**
     * Compares every output the other runtime gave with the host's outputs, by position (a board's
     * runner does not know the names). A host output the other side did not give is listed with
     * a problem, so that a runner that returns only the first output is visible.
     *
     * @param outputs the other runtime's outputs, in graph order
     * @param host the host's outputs of the same model on the same input, in graph order; may be empty
     * @param k how many classes in a top-k, 1 or more
     * @param labels class names, or {@code null}
     */
    public static List<OutputCheck> compare(List<FloatTensor> outputs, Map<String, FloatTensor> host, int k, Labels labels) {
        List<Map.Entry<String, FloatTensor>> hostList = new ArrayList<>(host.entrySet());
        List<OutputCheck> out = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            FloatTensor t = outputs.get(i);
            Map.Entry<String, FloatTensor> h = i < hostList.size() ? hostList.get(i) : null;
            out.add(check(i, h == null ? "output " + i : h.getKey(), t, h == null ? null : h.getValue(), k, labels));
        }
        for (int i = outputs.size(); i < hostList.size(); i++) {
            FloatTensor h = hostList.get(i).getValue();
            out.add(new OutputCheck(i, hostList.get(i).getKey(), new long[0], h.shape(), null, null, Double.NaN, Double.NaN, null,
                    Double.NaN, "not returned by the runner"));
        }
        return out;
    }

    private static OutputCheck check(int index, String name, FloatTensor t, FloatTensor h, int k, Labels labels) {
        float[] range = t.minMax();
        double min = range[0];
        double max = range[1];
        // a runtime may drop or add leading 1s (e.g. [1000] against [1, 1000]); the host's shape decides
        boolean classVector = Classification.isClassVector(h != null ? h.shape() : t.shape())
                && Classification.isClassVector(t.shape());
        TopK top = classVector ? TopK.of(t.data(), k, labels) : null;
        if (h == null) {
            return new OutputCheck(index, name, t.shape(), null, top, null, min, max, null, Double.NaN,
                    "the host model has no output " + index);
        }
        if (h.size() != t.size()) {
            return new OutputCheck(index, name, t.shape(), h.shape(), top, null, min, max, null, Double.NaN,
                    String.format(Locale.ROOT, "%d values (%s), the host's has %d (%s)", t.size(), t.shapeText(), h.size(),
                            h.shapeText()));
        }
        TopK hostTop = top == null ? null : TopK.of(h.data(), k, labels);
        return new OutputCheck(index, name, t.shape(), h.shape(), top, hostTop, min, max, Metrics.compare(h.data(), t.data()),
                Metrics.maxAbsError(h.data(), t.data()), null);
    }

    /**
     * One line for a console or a panel: the top-1 beside the host's for a class vector, else the
     * shape, value range and cosine against the host.
     */
    public String summary() {
        // an output the runner did not return has only the host's shape
        StringBuilder s = new StringBuilder(name).append(' ')
                .append(FloatTensor.shapeText(shape.length == 0 && hostShape != null ? hostShape : shape));
        if (problem != null && metrics == null && top == null) {
            return s.append(": ").append(problem).toString();
        }
        if (top != null) {
            s.append(": top-1 ").append(entry(top.top1()));
            if (hostTop != null) {
                s.append(", host ").append(entry(hostTop.top1())).append(top1Agrees() ? " (agrees)" : " (DIFFERS)");
            }
        } else {
            s.append(String.format(Locale.ROOT, ": values %.6g .. %.6g", min, max));
        }
        if (metrics != null) {
            s.append(String.format(Locale.ROOT, ", cosine %.6f, max |diff| %.6g against the host", metrics.cosine(), maxAbsError));
        }
        if (problem != null) {
            s.append(": ").append(problem);
        }
        return s.toString();
    }

    private static String entry(TopK.Entry e) {
        return String.format(Locale.ROOT, "[%d]%s %.4f", e.index(), e.label() == null ? "" : " " + e.label(), e.score());
    }
}
