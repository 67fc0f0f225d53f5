package dev.layerwise.app.project;

import dev.layerwise.core.io.InputFiles;
import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.Analyzer;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.task.ProgressListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The engine as it is: straight calls into {@code dev.layerwise.core}. */
public final class CoreEngine implements Engine {

    /** RKNN's default number of mmse refinement rounds. */
    private static final int MMSE_EPOCHS = 3;

    @Override
    public Project open(Path model) throws Exception {
        return Project.open(model);
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
    public Labels labels(Path file) throws Exception {
        return Labels.load(file);
    }

    @Override
    public SampleSource samples(Project project, List<Sample> samples, Preprocessing preprocessing, Consumer<String> warnings) {
        return project.samples(samples, preprocessing, warnings);
    }

    @Override
    public Calibration calibrate(Project project, SampleSource samples, CalibrationAlgorithm algorithm, QuantType type,
            ProgressListener progress) throws Exception {
        return project.calibrate(samples, algorithm, type, MMSE_EPOCHS, progress);
    }

    @Override
    public QuantPlan plan(Project project, Calibration calibration, QuantType defaultType, Map<String, QuantType> overrides,
            Map<String, QuantParams> paramOverrides) {
        return project.plan(calibration, defaultType, overrides, paramOverrides);
    }

    @Override
    public AnalysisResult analyze(Project project, QuantPlan plan, CalibrationAlgorithm algorithm, SampleSource inputs,
            Labels labels, Analyzer.TensorSink sink, ProgressListener progress) throws Exception {
        return project.analyze(plan, algorithm, inputs, labels, sink, progress);
    }

    @Override
    public Comparison compare(Project project, QuantPlan normal, QuantPlan hybrid, SampleSource inputs, Labels labels,
            ProgressListener progress) throws Exception {
        return project.compare(normal, hybrid, inputs, labels, progress);
    }

    @Override
    public ConfigMapper.Applied importConfig(Project project, Calibration calibration, QuantPlan normal, Path cfg) throws Exception {
        String text = InputFiles.readUtf8(cfg, "cfg file", InputFiles.TEXT_LIMIT);
        QuantConfig parsed = ConfigFile.parse(text, cfg.toString());
        return ConfigMapper.fromConfig(parsed, project.graph(), normal,
                types -> project.plan(calibration, normal.defaultType(), types, Map.of(), normal.perChannel()), text, cfg.toString());
    }

    @Override
    public void exportConfig(Project project, QuantPlan plan, Map<String, String> vendorNames, Path cfg) throws Exception {
        ConfigFile.write(cfg, ConfigMapper.toConfig(project.graph(), plan, List.of(), vendorNames));
    }

    @Override
    public dev.layerwise.core.engine.AutoPick.Result autoPick(Project project, Calibration calibration, QuantType defaultType,
            QuantType promoteTo, SampleSource inputs, double targetCosine, ProgressListener progress) throws Exception {
        return new dev.layerwise.core.engine.AutoPick(project, calibration, defaultType, promoteTo, false).run(inputs,
                new dev.layerwise.core.engine.AutoPick.Target(dev.layerwise.core.engine.AutoPick.Target.Kind.COSINE, targetCosine),
                progress);
    }

    @Override
    public void exportQuantized(Project project, QuantPlan plan, Path file) throws Exception {
        if (project.model().source() != null) {
            AtomicFiles.requireNotInput(file, project.model().source());
        }
        AtomicFiles.write(file, project.quantizedModel(plan).toByteArray());
    }
}
