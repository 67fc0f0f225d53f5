package dev.layerwise.app.cli;

import dev.layerwise.core.analysis.LayerReport;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.io.OutputSet;
import dev.layerwise.core.quant.QuantType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code hybrid-step2}: RKNN's {@code hybrid_quantization_step2}. Validates the edited cfg, builds
 * the hybrid model, analyses it and exports it. Every cfg entry is applied or reported.
 */
public final class HybridStep2Command extends CfgCommand {

    @Override
    public String name() {
        return "hybrid-step2";
    }

    @Override
    public String summary() {
        return "apply an edited quantization.cfg: build, analyse and export the hybrid model";
    }

    @Override
    public String usage() {
        return "usage: layerwise hybrid-step2 [MODEL] --cfg MODEL.quantization.cfg -o DIR [options]\n" + Prepared.USAGE + """
                  --cfg FILE            the cfg from hybrid-step1 (edited), or one written by RKNN-Toolkit
                  -o, --output DIR      where the hybrid model, its reports and its cfg go (not the cfg's own folder
                                        unless the names differ: your cfg is never replaced)
                the ranges recorded in a Layerwise cfg are used as they are; without them (e.g. a vendor cfg)
                the dataset is calibrated again
                """;
    }

    @Override
    boolean outputRequired() {
        return true;
    }

    @Override
    OutputSet outputs(Prepared p, Path outDir) throws Exception {
        return p.outputs(outDir, "hybrid");
    }

    @Override
    int run(Applied a, PrintStream out) throws Exception {
        Prepared p = a.prepared();
        Prepared.Hybrid h = a.hybrid();
        Path cfgFile = h.cfgFile();
        Path outDir = a.outDir();
        for (String n : h.setup().applied().notes()) {
            out.println("cfg: " + n);
        }
        PlanFiles files = PlanFiles.start(p, h.setup().hybrid(), "hybrid", List.of("hybrid model built from " + cfgFile),
                h.setup().applied().vendorNames());
        AnalysisRun run = p.analyse(h.calibration(), h.setup().hybrid(), null);
        a.outputs().writeAndCommit(stage -> {
            AnalyzeCommand.writeOutputs(stage, p, run, files);
            return null;
        });
        AnalyzeCommand.printSummary(out, run, outDir, p.toolkit);
        out.println("promoted layers:");
        for (Map.Entry<String, QuantType> e : run.plan().overrides().entrySet()) {
            LayerReport l = run.analysis().layer(e.getKey());
            out.printf(Locale.ROOT, "  %-28s %-24s individual %.6f  entire %.6f%n", e.getKey(), p.toolkit.layerTypeName(e.getValue()),
                    l.individual().cosine(), l.entire().cosine());
        }
        if (h.calibration().samples() == 0) {
            out.println("ranges taken from " + cfgFile + " (no recalibration)");
        }
        return 0;
    }
}
