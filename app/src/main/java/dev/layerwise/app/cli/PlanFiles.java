package dev.layerwise.app.cli;

import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.task.DaemonThreads;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The two files of a plan that do not depend on the analysis, the quantized model
 * ({@code BASE.SUFFIX.onnx}) and its cfg, made on a thread of their own from the moment the plan is
 * known, while the caller's thread analyses the plan: building the fake-quantized graph and
 * serialising it, and the cfg's YAML, took a third of a second after the analysis on the sample.
 * Both only read the (immutable) layer graph and plan, as the analysis does.
 *
 * <p>{@link #writeInto} waits for them and writes them, so a failure making them (a cfg the
 * toolkit's layout refuses) is reported where it was before: after the analysis, when the files are
 * written. If the analysis fails first, its error is the one reported and this work is abandoned.
 */
final class PlanFiles {

    private final Prepared prepared;
    private final String suffix;
    private final FutureTask<Made> made;

    private record Made(byte[] model, String cfg) {
    }

    private PlanFiles(Prepared prepared, String suffix, FutureTask<Made> made) {
        this.prepared = prepared;
        this.suffix = suffix;
        this.made = made;
    }

    /**
     * Starts making the files of {@code plan}.
     *
     * @param comments the cfg's header comments
     * @param vendorNames layer name to the vendor's tensor name, for the cfg's keys
     */
    static PlanFiles start(Prepared p, QuantPlan plan, String suffix, List<String> comments, Map<String, String> vendorNames) {
        FutureTask<Made> task = new FutureTask<>(() -> new Made(p.project.quantizedModel(plan).toByteArray(),
                ConfigFile.format(p.cfg(plan, comments, vendorNames))));
        DaemonThreads.start("layerwise-plan-files", task);
        return new PlanFiles(p, suffix, task);
    }

    /** Where the quantized model goes in {@code outDir}. */
    Path modelIn(Path outDir) {
        return outDir.resolve(prepared.project.model().baseName() + "." + suffix + ".onnx");
    }

    /** Waits for the files and writes them into {@code outDir}, each atomically. */
    void writeInto(Path outDir) throws Exception {
        Path quantized = modelIn(outDir);
        AtomicFiles.requireNotInput(quantized, prepared.modelFile);
        Made m = await();
        AtomicFiles.write(quantized, m.model());
        AtomicFiles.writeString(prepared.cfgIn(outDir), m.cfg());
    }

    private Made await() throws Exception {
        try {
            return made.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            if (e.getCause() instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }
}
