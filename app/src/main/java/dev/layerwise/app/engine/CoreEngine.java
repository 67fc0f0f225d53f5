package dev.layerwise.app.engine;

import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.analysis.VendorAnalysis;
import dev.layerwise.core.analysis.VendorComparison;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.rknn.RknnScript;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.engine.AnalysisSession;
import dev.layerwise.core.engine.AutoPick;
import dev.layerwise.core.engine.HybridComparison;
import dev.layerwise.core.engine.HybridRebuild;
import dev.layerwise.core.engine.HybridSetup;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The engine as it is: straight calls into the core's use cases. */
public final class CoreEngine implements Engine {

    /** A model being opened ahead of its first use, and the file's modification time when that began. */
    private record Ahead(Path model, java.nio.file.attribute.FileTime modified,
            java.util.concurrent.CompletableFuture<AnalysisSession> session) {
    }

    private static final java.util.concurrent.atomic.AtomicReference<Ahead> AHEAD = new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Starts opening {@code model} (no input shapes) on a daemon thread of its own, for the first
     * {@link #open} of that file to take: the workbench calls this before JavaFX starts, so reading
     * the model and ORT's probe run beside the toolkit's start instead of after the window. A failed
     * or stale open ahead is dropped and the model opened again, so errors are reported as always.
     */
    public static void openAhead(Path model) {
        try {
            Path m = model.toAbsolutePath().normalize();
            Ahead ahead = new Ahead(m, java.nio.file.Files.getLastModifiedTime(m), new java.util.concurrent.CompletableFuture<>());
            if (!AHEAD.compareAndSet(null, ahead)) {
                return;
            }
            Thread t = new Thread(() -> {
                try {
                    ahead.session().complete(AnalysisSession.open(m, null, dev.layerwise.core.onnx.InputShapes.NONE));
                } catch (Throwable e) {
                    ahead.session().completeExceptionally(e);
                }
            }, "layerwise-open-ahead");
            t.setDaemon(true);
            t.start();
        } catch (java.io.IOException | RuntimeException e) {
            // opened the usual way when asked for
        }
    }

    /** True while an open ahead of {@code model} waits to be taken; for tests. */
    static boolean isOpeningAhead(Path model) {
        Ahead ahead = AHEAD.get();
        return ahead != null && ahead.model().equals(model.toAbsolutePath().normalize());
    }

    @Override
    public AnalysisSession open(Path model, dev.layerwise.core.onnx.InputShapes shapes) throws Exception {
        Ahead ahead = AHEAD.get();
        boolean same = ahead != null && ahead.model().equals(model.toAbsolutePath().normalize());
        if (ahead != null && !same) {
            // the window opened another model first: the one opened ahead would be held for good
            AHEAD.compareAndSet(ahead, null);
        }
        if (same && shapes.isEmpty() && AHEAD.compareAndSet(ahead, null)) {
            try {
                AnalysisSession s = ahead.session().join();
                if (java.nio.file.Files.getLastModifiedTime(ahead.model()).equals(ahead.modified())) {
                    return s;
                }
            } catch (java.util.concurrent.CompletionException | java.io.IOException e) {
                // the file changed or could not be opened ahead: open it now, reporting any error as usual
            }
        }
        return AnalysisSession.open(model, null, shapes);
    }

    @Override
    public List<Sample> dataset(Path datasetTxt) throws Exception {
        return Dataset.load(datasetTxt);
    }

    @Override
    public Sample single(Path file) {
        return Dataset.single(file);
    }

    @Override
    public Calibration calibrate(AnalysisSession session, List<Sample> dataset, Preprocessing preprocessing,
            CalibrationAlgorithm algorithm, QuantType type, Consumer<String> warnings, ProgressListener progress)
            throws Exception {
        return session.calibrate(dataset, preprocessing, algorithm, type, AnalysisSession.DEFAULT_MMSE_EPOCHS, warnings,
                progress);
    }

    @Override
    public AnalysisRun analyze(AnalysisSession session, Calibration calibration, QuantType type, boolean perChannel,
            CalibrationAlgorithm algorithm, Sample input, Preprocessing preprocessing, Consumer<String> warnings,
            ProgressListener progress) throws Exception {
        QuantPlan plan = session.normalPlan(calibration, type, perChannel);
        SampleSource inputs = session.samples(List.of(input), preprocessing, warnings);
        AnalysisRun run = session.analyse(calibration, plan, algorithm, inputs, null, true, progress);
        // the window compares float, normal and hybrid right after every run (the first tick may come in the
        // frame that shows the table): done here, that work does not share the two cores with the table's first
        // drawing and the first tick. A comparison that fails does not take the finished analysis with it: the
        // first rebuild tries again and reports it, as it did before
        try {
            run.project().prepareComparison(plan, inputs, progress);
        } catch (dev.layerwise.core.task.CancelledException e) {
            throw e;
        } catch (Exception e) {
            // left to the first rebuild
        }
        return run;
    }

    @Override
    public HybridComparison rebuild(AnalysisRun run, Map<String, QuantType> picks, Map<String, QuantParams> params,
            ProgressListener progress) throws Exception {
        return HybridRebuild.rebuild(run, picks, params, progress);
    }

    @Override
    public dev.layerwise.core.compare.DatasetComparer compareOver(AnalysisRun run, List<Sample> samples,
            Preprocessing preprocessing, Map<String, Map<String, QuantType>> sets, Map<String, QuantParams> params)
            throws Exception {
        // lossy image conversions were reported by the run that calibrated on the same files
        return HybridRebuild.overInputs(run, sets, params, run.project().samples(samples, preprocessing, w -> { }));
    }

    @Override
    public dev.layerwise.core.analysis.AnalysisResult analyzePlan(AnalysisRun run, QuantPlan plan, ProgressListener progress)
            throws Exception {
        return run.project().analyze(plan, run.analysis().algorithm(), run.inputs(), run.labels(), null, progress);
    }

    @Override
    public ConfigMapper.Applied importConfig(AnalysisRun run, Path cfg) throws Exception {
        QuantPlan normal = run.plan();
        return HybridSetup.load(run.project(), cfg, normal.defaultType(), run.calibration(), normal.perChannel()).applied();
    }

    @Override
    public void exportConfig(Project project, QuantPlan plan, Map<String, String> vendorNames, Toolkit toolkit, Path cfg)
            throws Exception {
        ConfigFile.write(cfg, ConfigMapper.toConfig(project.graph(), plan, List.of(), vendorNames, toolkit));
    }

    @Override
    public VendorComparison vendorAnalysis(AnalysisRun run, Path file) throws Exception {
        return VendorComparison.of(run.analysis(), VendorAnalysis.read(file), run.project().graph());
    }

    @Override
    public List<Path> exportRknnScript(AnalysisRun run, Path datasetFile, Path input, Preprocessing preprocessing,
            CalibrationAlgorithm algorithm, Map<String, QuantType> picks, Map<String, String> vendorNames, String targetPlatform,
            Path dir) throws Exception {
        List<Sample> dataset = Dataset.load(datasetFile);
        Path analysed = input != null ? input : dataset.isEmpty() ? null : dataset.get(0).files().get(0);
        RknnScript script = RknnScript.of(run.project(), run.project().model().source(), preprocessing, run.plan().defaultType(),
                run.plan().perChannel(), algorithm, targetPlatform, picks, vendorNames, dataset,
                analysed == null ? List.of() : List.of(analysed));
        java.nio.file.Files.createDirectories(dir);
        return script.write(dir);
    }

    @Override
    public AutoPick.Result autoPick(Project project, Calibration calibration, QuantType defaultType, boolean perChannel,
            QuantType promoteTo, SampleSource inputs, double targetCosine, ProgressListener progress) throws Exception {
        return new AutoPick(project, calibration, defaultType, promoteTo, perChannel).run(inputs,
                new AutoPick.Target(AutoPick.Target.Kind.COSINE, targetCosine), progress);
    }

    @Override
    public ModelProto quantizedModel(Project project, QuantPlan plan) {
        return project.quantizedModel(plan);
    }

    @Override
    public void exportQuantized(Project project, ModelProto quantized, Path file) throws Exception {
        if (project.model().source() != null) {
            AtomicFiles.requireNotInput(file, project.model().source());
        }
        AtomicFiles.write(file, quantized.toByteArray());
    }

    @Override
    public Map<String, dev.layerwise.core.tensor.FloatTensor> outputs(Project project, ModelProto quantized,
            Map<String, dev.layerwise.core.tensor.FloatTensor> feeds) throws Exception {
        return project.outputs(quantized, feeds);
    }
}
