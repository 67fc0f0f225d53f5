package dev.layerwise.core.analysis;

import dev.layerwise.core.onnx.LayerGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Our per-layer analysis beside a vendor {@code error_analysis.txt}: for every layer our individual
 * and entire numbers and, where the vendor has a row for the layer, its simulator (and board)
 * numbers; plus the vendor rows that name no layer. Immutable.
 *
 * @param lines one per layer of our analysis, graph order
 * @param unmatched vendor rows with numbers that belong to no layer
 * @param hasRuntime true when the vendor file has board ({@code runtime_error}) columns
 */
public record VendorComparison(List<Line> lines, List<VendorAnalysis.Row> unmatched, boolean hasRuntime) {

    public VendorComparison {
        lines = List.copyOf(lines);
        unmatched = List.copyOf(unmatched);
    }

    /**
     * @param ours our numbers for the layer
     * @param vendor the vendor's row for it, or {@code null} when it has none
     */
    public record Line(LayerReport ours, VendorAnalysis.Row vendor) {

        /**
         * How far the vendor's whole-model cosine at this layer is from ours: the board's when
         * there is one, else the vendor simulator's; NaN without a vendor row.
         */
        public double entireGap() {
            if (vendor == null) {
                return Double.NaN;
            }
            VendorAnalysis.Pair theirs = vendor.runtimeEntire() != null ? vendor.runtimeEntire() : vendor.simulatorEntire();
            return ours.entire().cosine() - theirs.cos();
        }
    }

    public static VendorComparison of(AnalysisResult r, VendorAnalysis v, LayerGraph graph) {
        VendorAnalysis.Match m = v.match(graph);
        List<Line> lines = new ArrayList<>();
        for (LayerReport l : r.layers()) {
            lines.add(new Line(l, m.byLayer().get(l.name())));
        }
        return new VendorComparison(lines, m.unmatched(), v.hasRuntime());
    }

    /** Layers that have a vendor row. */
    public long matched() {
        return lines.stream().filter(l -> l.vendor() != null).count();
    }

    /** Up to {@code k} matched layers where the vendor's entire cosine is furthest from ours, largest first. */
    public List<Line> largestGaps(int k) {
        return lines.stream().filter(l -> l.vendor() != null && !Double.isNaN(l.entireGap()))
                .sorted(Comparator.comparingDouble((Line l) -> -Math.abs(l.entireGap()))).limit(k).toList();
    }

    /** One row per layer: ours, then the vendor's simulator and (when present) board columns; blank where it has no row. */
    public String csv() {
        StringBuilder sb = new StringBuilder("index,name,op,dtype,individual_cosine,individual_euclidean,entire_cosine,"
                + "entire_euclidean,vendor_tensor,simulator_single_cos,simulator_single_euc,simulator_entire_cos,simulator_entire_euc");
        if (hasRuntime) {
            sb.append(",runtime_entire_cos,runtime_entire_euc,runtime_single_sim_cos,runtime_single_sim_euc");
        }
        sb.append('\n');
        for (Line line : lines) {
            LayerReport l = line.ours();
            sb.append(l.index()).append(',').append(ReportWriter.csvField(l.name())).append(',').append(ReportWriter.csvField(
                    l.opLabel())).append(',').append(l.dtype().configName()).append(String.format(Locale.ROOT, ",%.6f,%.6f,%.6f,%.6f",
                            l.individual().cosine(), l.individual().euclidean(), l.entire().cosine(), l.entire().euclidean()));
            VendorAnalysis.Row v = line.vendor();
            sb.append(',').append(v == null ? "" : ReportWriter.csvField(v.tensor()));
            sb.append(pair(v == null ? null : v.simulatorSingle())).append(pair(v == null ? null : v.simulatorEntire()));
            if (hasRuntime) {
                sb.append(pair(v == null ? null : v.runtimeEntire())).append(pair(v == null ? null : v.runtimeSingleSim()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pair(VendorAnalysis.Pair p) {
        return p == null ? ",," : String.format(Locale.ROOT, ",%.6f,%.6f", p.cos(), p.euc());
    }
}
