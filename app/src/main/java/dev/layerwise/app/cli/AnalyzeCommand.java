package dev.layerwise.app.cli;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.OutputMetrics;
import dev.layerwise.core.analysis.LayerReport;
import dev.layerwise.core.analysis.ReportWriter;
import dev.layerwise.core.analysis.VendorAnalysis;
import dev.layerwise.core.analysis.VendorComparison;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.engine.HybridSetup;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.io.OutputSet;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.task.DaemonThreads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code analyze}: calibrate, quantize and analyse; RKNN's {@code build} + {@code accuracy_analysis}. */
public final class AnalyzeCommand implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "analyze";
    }

    @Override
    public String summary() {
        return "calibrate, quantize and analyse a model layer by layer";
    }

    @Override
    public String usage() {
        return "usage: layerwise analyze [MODEL] --dataset DATASET.txt -o DIR [options]\n" + Prepared.USAGE + """
                  --cfg FILE            apply a quantization.cfg of either toolkit (per-layer types, hand-edited parameters)
                  --vendor-analysis F   an RKNN-Toolkit2 error_analysis.txt to set beside ours (vendor_comparison.csv)
                  --dump                also write every layer's float, entire and individual outputs as .npy
                  -o, --output DIR      where the reports, the quantized model and its cfg go
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Prepared.options("cfg", "vendor-analysis");
    }

    @Override
    public Set<String> flagOptions() {
        return Prepared.flags("dump");
    }

    @Override
    public int run(Args a, PrintStream out, PrintStream err) throws Exception {
        Path outDir = a.path("output");
        if (outDir == null) {
            throw new UsageException("missing -o DIR");
        }
        Prepared p = Prepared.from(a, err, true);
        // a bad vendor file fails before the analysis, not after it
        VendorAnalysis vendor = a.path("vendor-analysis") == null ? null : VendorAnalysis.read(a.path("vendor-analysis"));
        OutputSet outputs = vendor == null ? p.outputs(outDir, "quantized") : p.outputs(outDir, "quantized", VENDOR_CSV);
        Calibration cal = p.calibrate();
        QuantPlan plan;
        Map<String, String> vendorNames = Map.of();
        if (a.path("cfg") != null) {
            HybridSetup setup = p.hybrid(a.path("cfg"), cal);
            plan = setup.hybrid();
            vendorNames = setup.applied().vendorNames();
            setup.applied().notes().forEach(n -> err.println("layerwise: cfg: " + n));
        } else {
            plan = p.normalPlan(cal);
        }
        QuantPlan chosen = plan;
        PlanFiles files = PlanFiles.start(p, plan, "quantized", List.of(), vendorNames);
        AnalysisRun run = outputs.writeAndCommit(stage -> {
            NpyDumper dumper = a.flag("dump") ? new NpyDumper(stage.resolve("dump"), p.project.graph()) : null;
            AnalysisRun r = p.analyse(cal, chosen, dumper);
            writeOutputs(stage, p, r, files);
            if (vendor != null) {
                AtomicFiles.writeString(stage.resolve(VENDOR_CSV), VendorComparison.of(r.analysis(), vendor, p.project.graph()).csv());
            }
            return r;
        });
        printSummary(out, run, outDir, p.toolkit);
        if (vendor != null) {
            printVendor(out, a.path("vendor-analysis"), VendorComparison.of(run.analysis(), vendor, p.project.graph()),
                    outDir.resolve(VENDOR_CSV));
        }
        return 0;
    }

    /** Where {@code --vendor-analysis} puts ours beside the vendor's numbers. */
    static final String VENDOR_CSV = "vendor_comparison.csv";

    static void printVendor(PrintStream out, Path file, VendorComparison c, Path csv) {
        out.printf(Locale.ROOT, "vendor analysis %s: %d of %d layers matched by tensor name (%s)%n", file, c.matched(),
                c.lines().size(), c.hasRuntime() ? "simulator and board columns" : "simulator columns");
        if (!c.unmatched().isEmpty()) {
            out.println("vendor rows that name no layer:");
            for (VendorAnalysis.Row r : c.unmatched()) {
                out.printf(Locale.ROOT, "  line %d: [%s] %s%n", r.line(), r.op(), r.tensor());
            }
        }
        List<VendorComparison.Line> gaps = c.largestGaps(5);
        if (!gaps.isEmpty()) {
            out.println("largest entire-cosine gaps, ours minus " + (c.hasRuntime() ? "the board's" : "the vendor simulator's") + ":");
            for (VendorComparison.Line l : gaps) {
                out.printf(Locale.ROOT, "  %-28s ours %.6f  %+.6f%n", l.ours().name(), l.ours().entire().cosine(), l.entireGap());
            }
        }
        out.println("side by side: " + csv);
    }

    /**
     * Reports, the quantized model ({@code BASE.SUFFIX.onnx}) and its cfg, all written atomically;
     * {@code files} were started for {@code run}'s plan before it was analysed.
     */
    static void writeOutputs(Path outDir, Prepared p, AnalysisRun run, PlanFiles files) throws Exception {
        // analysis.json is formatted on a thread of its own while this one writes the text reports
        ReportWriter.writeAll(outDir, run.analysis(), task -> DaemonThreads.start("layerwise-report-json", task));
        files.writeInto(outDir);
        if (p.toolkit == Toolkit.TOOLKIT2) {
            VendorAnalysis.write(outDir, run.analysis(), run.project().graph());
        }
    }

    /** What a run found, with types named as the toolkit's users know them ({@code w8a8}, {@code int16} with Toolkit2). */
    static void printSummary(PrintStream out, AnalysisRun run, Path outDir, Toolkit toolkit) {
        AnalysisResult r = run.analysis();
        Calibration cal = run.calibration();
        // per-channel is RKNN-Toolkit2's default and per-tensor Toolkit 1's: say which one this run used
        out.printf(Locale.ROOT, "%s: %d layers, %s, weights per %s, %s calibration on %d sample(s) in %d ms%n", r.model(),
                r.layers().size(), toolkit.modelTypeName(r.dtype()), run.plan().perChannel() ? "channel" : "tensor", r.algorithm(), cal.samples(), cal.millis());
        List<LayerReport> worst = r.layers().stream()
                .sorted((x, y) -> Double.compare(x.individual().cosine(), y.individual().cosine())).limit(5).toList();
        out.println("lowest individual cosine:");
        for (LayerReport l : worst) {
            out.printf(Locale.ROOT, "  %-28s %-18s %-24s individual %.6f  entire %.6f%n", l.name(), l.opLabel(),
                    toolkit.layerTypeName(l.dtype()), l.individual().cosine(), l.entire().cosine());
        }
        if (r.outputs().size() > 1 || !r.outputs().get(0).classVector()) {
            out.println("final outputs, quantized vs float:");
            for (OutputMetrics o : r.outputs()) {
                out.printf(Locale.ROOT, "  %-28s %-16s cosine %.6f  euclidean %.5g  max abs error %.5g  %s%n", o.name(),
                        o.shapeText(), o.metrics().cosine(), o.metrics().euclidean(), o.maxAbsError(),
                        ReportWriter.top1Text(o).replace('\t', ' '));
            }
            out.printf(Locale.ROOT, "final output cosine %.6f (the lowest: %s)%n", r.finalMetrics().cosine(), r.worstOutput().name());
        } else {
            out.printf(Locale.ROOT, "final output cosine %.6f%n", r.finalMetrics().cosine());
        }
        if (r.floatTop5() != null) {
            out.printf(Locale.ROOT, "top-1 float [%d] %.6f, quantized [%d] %.6f%n", r.floatTop5().top1().index(),
                    r.floatTop5().top1().score(), r.quantizedTop5().top1().index(), r.quantizedTop5().top1().score());
        }
        out.printf(Locale.ROOT, "analysis: graph %d ms, session %d ms, runs %d ms%n", r.timing().buildMillis(),
                r.timing().sessionMillis(), r.timing().runMillis());
        out.println("written to " + outDir);
    }
}
