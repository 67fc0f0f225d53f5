package dev.layerwise.app.engine;

import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.engine.AnalysisSession;
import dev.layerwise.core.engine.AutoPick;
import dev.layerwise.core.engine.HybridComparison;
import dev.layerwise.core.engine.HybridRebuild;
import dev.layerwise.core.engine.HybridSetup;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.io.AtomicFiles;
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

    @Override
    public AnalysisSession open(Path model) throws Exception {
        return AnalysisSession.open(model, null);
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
    public AnalysisRun analyze(AnalysisSession session, Calibration calibration, QuantType type,
            CalibrationAlgorithm algorithm, Sample input, Preprocessing preprocessing, Consumer<String> warnings,
            ProgressListener progress) throws Exception {
        QuantPlan plan = session.normalPlan(calibration, type, false);
        SampleSource inputs = session.samples(List.of(input), preprocessing, warnings);
        return session.analyse(calibration, plan, algorithm, inputs, null, true, progress);
    }

    @Override
    public HybridComparison rebuild(AnalysisRun run, Map<String, QuantType> picks, Map<String, QuantParams> params,
            ProgressListener progress) throws Exception {
        return HybridRebuild.rebuild(run, picks, params, progress);
    }

    @Override
    public ConfigMapper.Applied importConfig(AnalysisRun run, Path cfg) throws Exception {
        QuantPlan normal = run.plan();
        return HybridSetup.load(run.project(), cfg, normal.defaultType(), run.calibration(), normal.perChannel()).applied();
    }

    @Override
    public void exportConfig(Project project, QuantPlan plan, Map<String, String> vendorNames, Path cfg) throws Exception {
        ConfigFile.write(cfg, ConfigMapper.toConfig(project.graph(), plan, List.of(), vendorNames));
    }

    @Override
    public AutoPick.Result autoPick(Project project, Calibration calibration, QuantType defaultType, QuantType promoteTo,
            SampleSource inputs, double targetCosine, ProgressListener progress) throws Exception {
        return new AutoPick(project, calibration, defaultType, promoteTo, false).run(inputs,
                new AutoPick.Target(AutoPick.Target.Kind.COSINE, targetCosine), progress);
    }

    @Override
    public void exportQuantized(Project project, QuantPlan plan, Path file) throws Exception {
        if (project.model().source() != null) {
            AtomicFiles.requireNotInput(file, project.model().source());
        }
        AtomicFiles.write(file, project.quantizedModel(plan).toByteArray());
    }
}
