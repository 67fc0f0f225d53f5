package dev.layerwise.app.cli;

import dev.layerwise.core.io.OutputSet;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * A command that applies a {@code --cfg} ({@code compare}, {@code hybrid-step2}): the shared
 * options, and the start of every run (read the options, refuse outputs that would replace an
 * input, apply the cfg) before the command's own part.
 */
abstract class CfgCommand implements CliCommand, OptionSpec {

    /** A cfg applied: the run's inputs, the cfg's result and where it goes (null without -o). */
    record Applied(Prepared prepared, Prepared.Hybrid hybrid, Path outDir, OutputSet outputs) {
    }

    @Override
    public final Set<String> valuedOptions() {
        return Prepared.options("cfg");
    }

    @Override
    public final Set<String> flagOptions() {
        return Prepared.FLAGS;
    }

    @Override
    public final int run(Args a, PrintStream out, PrintStream err) throws Exception {
        Path outDir = a.path("output");
        if (outDir == null && outputRequired()) {
            throw new UsageException("missing -o DIR");
        }
        Path cfgFile = Prepared.cfg(a);
        Prepared p = Prepared.from(a, err, false);
        // refused before the cfg is applied: a clash costs no calibration
        OutputSet outputs = outDir == null ? null : outputs(p, outDir);
        return run(new Applied(p, p.applyConfig(cfgFile), outDir, outputs), out);
    }

    /** True when the command needs {@code -o DIR}. */
    abstract boolean outputRequired();

    /** The files the command writes into {@code outDir}. */
    abstract OutputSet outputs(Prepared p, Path outDir) throws Exception;

    /** The command's own part, once the cfg is applied. */
    abstract int run(Applied applied, PrintStream out) throws Exception;
}
