package dev.layerwise.app.cli;

import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.analysis.LayerReport;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.io.OutputSet;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code hybrid-step1}: RKNN's {@code hybrid_quantization_step1}. Calibrates, analyses the normal
 * model and writes the cfg with the layers below a cosine threshold suggested for int16, each
 * with its reason.
 */
public final class HybridStep1Command implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "hybrid-step1";
    }

    @Override
    public String summary() {
        return "analyse and write a quantization.cfg suggesting layers for int16";
    }

    @Override
    public String usage() {
        return "usage: layerwise hybrid-step1 [MODEL] --dataset DATASET.txt -o DIR [options]\n" + Prepared.USAGE + """
                  --threshold C         suggest layers whose individual cosine is below C (default 0.99)
                  --suggest-dtype T     type to suggest: dynamic_fixed_point-i16 (default), float16 (default with
                                        --toolkit 2), float32; Toolkit2's int16 and float16 names work too
                  --force               replace an existing cfg in DIR
                  -o, --output DIR      where the cfg, the normal model's reports and model go
                then edit DIR/MODEL.quantization.cfg and run hybrid-step2 --cfg it
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Prepared.options("threshold", "suggest-dtype");
    }

    @Override
    public Set<String> flagOptions() {
        return Prepared.flags("force");
    }

    @Override
    public int run(Args a, PrintStream out, PrintStream err) throws Exception {
        Path outDir = a.path("output");
        if (outDir == null) {
            throw new UsageException("missing -o DIR");
        }
        double threshold = a.doubleValue("threshold", 0.99, -1, 1);
        QuantType suggest = Prepared.promoteType(a, "suggest-dtype");
        Prepared p = Prepared.from(a, err, true);
        OutputSet outputs = p.outputs(outDir, "quantized");
        Path cfgFile = p.cfgIn(outDir);
        Prepared.refuseToReplace(cfgFile, a.flag("force"));
        Calibration cal = p.calibrate();
        QuantPlan normal = p.normalPlan(cal);
        PlanFiles files = PlanFiles.start(p, normal, "quantized", List.of(), Map.of());
        AnalysisRun run = p.analyse(cal, normal, null);
        AnalysisResult r = run.analysis();

        Map<String, QuantType> suggested = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        // the threshold as given: 0.99999 rounded to four places read as 1.0000
        String given = java.math.BigDecimal.valueOf(threshold).stripTrailingZeros().toPlainString();
        reasons.add(String.format(Locale.ROOT, "suggested below: layers whose individual cosine is below %s under %s", given,
                p.dtype));
        for (LayerReport l : r.layers()) {
            if (l.individual().cosine() < threshold) {
                suggested.put(l.name(), suggest);
                reasons.add(String.format(Locale.ROOT, "  %s (%s): individual cosine %.6f, entire %.6f", l.name(), l.opLabel(),
                        l.individual().cosine(), l.entire().cosine()));
            }
        }
        outputs.writeAndCommit(stage -> {
            AnalyzeCommand.writeOutputs(stage, p, run, files);
            ConfigFile.write(p.cfgIn(stage), p.suggestions(suggested, normal, reasons));
            return null;
        });

        AnalyzeCommand.printSummary(out, run, outDir, p.toolkit);
        out.printf(Locale.ROOT, "%d layer(s) suggested for %s (individual cosine < %s):%n", suggested.size(),
                p.toolkit.layerTypeName(suggest), given);
        for (String line : reasons.subList(1, reasons.size())) {
            out.println(line);
        }
        out.println("edit " + cfgFile + ", then: layerwise hybrid-step2 " + p.modelFile + " --cfg " + cfgFile + " -o DIR");
        return 0;
    }
}
