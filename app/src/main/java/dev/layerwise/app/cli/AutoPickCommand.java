package dev.layerwise.app.cli;

import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.io.OutputSet;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.engine.AutoPick;
import dev.layerwise.core.quant.QuantType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code auto-pick}: the fewest layers to promote for a target, verified by real runs. */
public final class AutoPickCommand implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "auto-pick";
    }

    @Override
    public String summary() {
        return "find a small set of layers to promote that reaches a target cosine or top-1 agreement";
    }

    @Override
    public String usage() {
        return "usage: layerwise auto-pick [MODEL] (--target-cosine C | --target-top1 A) [--input DATASET.txt] [options]\n"
                + Prepared.USAGE + """
                  --target-cosine C     final-output cosine against float to reach, averaged over the inputs (e.g. 0.99)
                  --target-top1 A       share of inputs whose top-1 matches float to reach, in [0, 1] (e.g. 0.98)
                  --input FILE          images or a dataset .txt the target is measured on (default: the dataset's first entry)
                  --promote-to T        dynamic_fixed_point-i16 (default), float16 (default with --toolkit 2) or float32
                  -o, --output DIR      write the picks as DIR/MODEL.quantization.cfg
                  --force               replace an existing cfg in DIR
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Prepared.options("target-cosine", "target-top1", "promote-to");
    }

    @Override
    public Set<String> flagOptions() {
        return Prepared.flags("force");
    }

    @Override
    public int run(Args a, PrintStream out, PrintStream err) throws Exception {
        AutoPick.Target target;
        if (a.get("target-cosine") != null && a.get("target-top1") == null) {
            target = new AutoPick.Target(AutoPick.Target.Kind.COSINE, a.doubleValue("target-cosine", 0.99, 0, 1));
        } else if (a.get("target-top1") != null && a.get("target-cosine") == null) {
            target = new AutoPick.Target(AutoPick.Target.Kind.TOP1, a.doubleValue("target-top1", 1.0, 0, 1));
        } else {
            throw new UsageException("give exactly one of --target-cosine and --target-top1");
        }
        QuantType promote = Prepared.promoteType(a, "promote-to");
        Prepared p = Prepared.from(a, err, true);
        Path outDir = a.path("output");
        Path cfgOut = outDir == null ? null : p.cfgIn(outDir);
        OutputSet outputs = null;
        if (cfgOut != null) {
            outputs = p.outputs(outDir, List.of(cfgOut.getFileName().toString()));
            Prepared.refuseToReplace(cfgOut, a.flag("force"));
        }
        Calibration cal = p.calibrate();
        long t0 = System.nanoTime();
        AutoPick.Result r = new AutoPick(p.project, cal, p.dtype, promote, p.perChannel).run(p.samples(p.inputs), target,
                p.progress);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        out.printf(Locale.ROOT, "target: %s over %d input(s); normal model: %.6f%n", target, p.inputs.size(), r.normalMetric());
        if (r.layers().isEmpty() && r.reached()) {
            out.println("the normal model already meets the target; nothing to promote");
        } else {
            out.printf(Locale.ROOT, "%s %d layer(s) to %s: %s%n", r.reached() ? "promote" : "target NOT reached even promoting all",
                    r.layers().size(), p.toolkit.layerTypeName(promote), String.join(", ", r.layers()));
            out.printf(Locale.ROOT, "reached: %.6f, cost: %.2f%% of MACs at %s%n", r.metric(), 100 * r.macShare(),
                    p.toolkit.layerTypeName(promote));
        }
        out.printf(Locale.ROOT, "%d verified builds in %d ms%n", r.evaluations(), ms);
        out.println("predicted gain (individual cosine at " + p.toolkit.layerTypeName(promote) + " minus "
                + p.toolkit.modelTypeName(p.dtype) + "), top 5:");
        for (Map.Entry<String, Double> e : r.ranking().subList(0, Math.min(5, r.ranking().size()))) {
            out.printf(Locale.ROOT, "  %-28s %+.6f%n", e.getKey(), e.getValue());
        }
        if (outDir != null) {
            Map<String, QuantType> picks = new LinkedHashMap<>();
            r.layers().forEach(l -> picks.put(l, promote));
            QuantConfig cfg = p.suggestions(picks, p.normalPlan(cal), List.of(String.format(Locale.ROOT,
                    "auto-pick: %s reached %.6f promoting %d layer(s), %.2f%% of MACs", target, r.metric(), r.layers().size(),
                    100 * r.macShare())));
            outputs.writeAndCommit(stage -> {
                ConfigFile.write(p.cfgIn(stage), cfg);
                return null;
            });
            out.println("written to " + cfgOut);
        }
        if (!r.reached()) {
            err.printf(Locale.ROOT, "layerwise auto-pick: target %s not reached; best %.6f promoting every helpful layer%n", target,
                    r.metric());
            return 1;
        }
        return 0;
    }
}
