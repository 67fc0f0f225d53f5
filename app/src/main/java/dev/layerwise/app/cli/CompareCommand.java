package dev.layerwise.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerwise.core.analysis.OutputComparison;
import dev.layerwise.core.analysis.OutputMetrics;
import dev.layerwise.core.analysis.ReportWriter;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.engine.HybridRebuild;
import dev.layerwise.core.engine.HybridSetup;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.io.OutputSet;
import dev.layerwise.core.runtime.TopK;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code compare}: float, normal and hybrid top-5 side by side. */
public final class CompareCommand extends CfgCommand {

    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String summary() {
        return "float / normal / hybrid top-5 side by side, cosine and top-1 agreement";
    }

    @Override
    public String usage() {
        return "usage: layerwise compare [MODEL] --cfg MODEL.quantization.cfg --input IMAGE_OR_DATASET [options]\n"
                + Prepared.USAGE + """
                  --cfg FILE            the hybrid picks (from hybrid-step1/2, or RKNN-Toolkit's)
                  --input FILE          an image, a .npy, or a dataset .txt (top-1 agreement over all its entries)
                  -o, --output DIR      also write compare.json there
                """;
    }

    @Override
    boolean outputRequired() {
        return false;
    }

    @Override
    OutputSet outputs(Prepared p, Path outDir) throws Exception {
        return p.outputs(outDir, List.of("compare.json"));
    }

    @Override
    int run(Applied a, PrintStream out) throws Exception {
        Prepared p = a.prepared();
        HybridSetup setup = a.hybrid().setup();
        Comparison c = HybridRebuild.compare(p.project, setup, p.samples(p.inputs), p.labels, p.progress).comparison();
        out.print(format(c));
        if (a.outputs() != null) {
            a.outputs().writeAndCommit(stage -> {
                AtomicFiles.writeString(stage.resolve("compare.json"), json(c));
                return null;
            });
            out.println("written to " + a.outDir().resolve("compare.json"));
        }
        return 0;
    }

    static String format(Comparison c) {
        StringBuilder sb = new StringBuilder();
        ModelResult floatModel = c.model(Comparison.FLOAT);
        boolean classes = floatModel.hasClassVector();
        sb.append(c.inputs().size() == 1 ? "input: " + c.inputs().get(0) : c.inputs().size() + " inputs"
                + (classes ? ", top-5 of the first: " : ", the first: ") + c.inputs().get(0)).append('\n');
        sb.append("promoted: ").append(c.promoted().isEmpty() ? "none" : String.join(", ", c.promoted())).append('\n');
        int col = 44;
        if (classes) {
            if (floatModel.outputs().size() > 1) {
                sb.append("top-5 of output ").append(OutputComparison.firstClassVector(floatModel.outputs()).name())
                        .append(" (the first class vector)\n");
            }
            for (ModelResult m : c.models()) {
                sb.append(pad("-----" + m.name().toUpperCase(Locale.ROOT) + " TOP 5-----", col));
            }
            sb.append('\n');
            for (int i = 0; i < 5; i++) {
                for (ModelResult m : c.models()) {
                    if (i < m.top5().entries().size()) {
                        TopK.Entry e = m.top5().entries().get(i);
                        String label = e.label() == null ? "" : " " + e.label();
                        sb.append(pad(String.format(Locale.ROOT, "[%d]: %.6f%s", e.index(), e.score(), label), col));
                    } else {
                        sb.append(pad("", col));
                    }
                }
                sb.append('\n');
            }
        } else {
            sb.append("top-5: ").append(ReportWriter.NOT_A_CLASS_VECTOR.replace("not a", "no output is a")).append('\n');
        }
        if (floatModel.outputs().size() > 1 || !classes) {
            sb.append(outputTable(c));
        }
        for (ModelResult m : c.models()) {
            sb.append(pad(String.format(Locale.ROOT, "cosine vs float %.6f", m.vsFloat().cosine()), col));
        }
        sb.append('\n');
        if (c.inputs().size() > 1) {
            // the mean hides the one image a model gets wrong: name it
            java.util.SortedSet<Integer> worst = new java.util.TreeSet<>();
            for (ModelResult m : c.models()) {
                boolean reference = m.name().equals(Comparison.FLOAT);
                sb.append(pad(String.format(Locale.ROOT, "min cosine %.6f", m.minCosine())
                        + (reference ? "" : " on #" + (m.worstInput() + 1)), col));
                if (!reference) {
                    worst.add(m.worstInput());
                }
            }
            sb.append('\n');
            for (int i : worst) {
                sb.append('#').append(i + 1).append(": ").append(c.inputs().get(i)).append('\n');
            }
        }
        if (c.inputs().size() > 1 && classes) {
            for (ModelResult m : c.models()) {
                sb.append(pad(String.format(Locale.ROOT, "top-1 agreement %.1f%%", 100 * m.top1Agreement()), col));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "(%d ms)%n", c.millis()));
        return sb.toString();
    }

    /** Every output's cosine / euclidean / max abs error against float, for the normal and hybrid models. */
    private static String outputTable(Comparison c) {
        List<ModelResult> quantized = c.models().stream().filter(m -> !m.name().equals(Comparison.FLOAT)).toList();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %-16s", "output", "shape"));
        for (ModelResult m : quantized) {
            sb.append(String.format(Locale.ROOT, "  %-9s %-9s %-10s %-10s", m.name(), "cosine", "euclidean", "max|err|"));
        }
        sb.append('\n');
        List<OutputMetrics> outs = c.model(Comparison.FLOAT).outputs();
        for (int i = 0; i < outs.size(); i++) {
            sb.append(String.format(Locale.ROOT, "%-28s %-16s", outs.get(i).name(), outs.get(i).shapeText()));
            for (ModelResult m : quantized) {
                OutputMetrics o = m.outputs().get(i);
                String mark = m.worstOutput().name().equals(o.name()) ? "*" : " ";
                sb.append(String.format(Locale.ROOT, "  %-9s %-9.6f %-10.4g %-10.4g", mark, o.metrics().cosine(),
                        o.metrics().euclidean(), o.maxAbsError()));
            }
            sb.append('\n');
        }
        sb.append("(* the model's lowest cosine, its final output cosine)\n");
        return sb.toString();
    }

    private static String pad(String s, int w) {
        String t = s.length() >= w - 1 ? s.substring(0, w - 2) + "…" : s;
        return t + " ".repeat(Math.max(1, w - t.length()));
    }

    static String json(Comparison c) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        ArrayNode inputs = root.putArray("inputs");
        c.inputs().forEach(inputs::add);
        ArrayNode promoted = root.putArray("promoted");
        c.promoted().forEach(promoted::add);
        ObjectNode models = root.putObject("models");
        for (ModelResult r : c.models()) {
            ObjectNode o = models.putObject(r.name());
            if (r.top5() == null) {
                o.putNull("top5");
            } else {
                ArrayNode top = o.putArray("top5");
                for (TopK.Entry e : r.top5().entries()) {
                    ObjectNode t = top.addObject();
                    t.put("index", e.index());
                    t.put("label", e.label());
                    t.put("score", e.score());
                }
            }
            o.put("cosine", r.vsFloat().cosine());
            o.put("worst_output", r.worstOutput().name());
            o.put("min_cosine", r.minCosine());
            o.put("worst_input", c.inputs().get(r.worstInput()));
            if (Double.isNaN(r.top1Agreement())) {
                o.putNull("top1_agreement");
            } else {
                o.put("top1_agreement", r.top1Agreement());
            }
            ArrayNode t1 = o.putArray("top1");
            r.top1().forEach(t1::add);
            ArrayNode outs = o.putArray("outputs");
            r.outputs().forEach(om -> ReportWriter.outputJson(outs.addObject(), om));
        }
        return m.writeValueAsString(root) + "\n";
    }

    static List<String> names(Comparison c) {
        return c.models().stream().map(ModelResult::name).toList();
    }
}
