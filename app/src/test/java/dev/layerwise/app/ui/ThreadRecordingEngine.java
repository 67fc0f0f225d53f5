package dev.layerwise.app.ui;

import dev.layerwise.app.project.Engine;
import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.analysis.Analyzer;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.engine.Project;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javafx.application.Platform;

/** Passes every call to the real engine and notes which calls came in on the FX thread. */
final class ThreadRecordingEngine implements Engine {

    /** A call by name, and whether it ran on the FX application thread. */
    record Call(String method, String thread, boolean onFxThread) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Engine real;

    ThreadRecordingEngine(Engine real) {
        this.real = real;
    }

    private void note(String method) {
        calls.add(new Call(method, Thread.currentThread().getName(), Platform.isFxApplicationThread()));
    }

    @Override
    public Project open(Path model) throws Exception {
        note("open");
        return real.open(model);
    }

    @Override
    public List<Sample> dataset(Path datasetTxt) throws Exception {
        note("dataset");
        return real.dataset(datasetTxt);
    }

    @Override
    public Sample single(Path file) {
        note("single");
        return real.single(file);
    }

    @Override
    public Labels labels(Path file) throws Exception {
        note("labels");
        return real.labels(file);
    }

    @Override
    public SampleSource samples(Project project, List<Sample> samples, Preprocessing preprocessing, Consumer<String> warnings) {
        note("samples");
        return real.samples(project, samples, preprocessing, warnings);
    }

    @Override
    public Calibration calibrate(Project project, SampleSource samples, CalibrationAlgorithm algorithm, QuantType type,
            ProgressListener progress) throws Exception {
        note("calibrate");
        return real.calibrate(project, samples, algorithm, type, progress);
    }

    @Override
    public QuantPlan plan(Project project, Calibration calibration, QuantType defaultType, Map<String, QuantType> overrides,
            Map<String, QuantParams> paramOverrides) {
        note("plan");
        return real.plan(project, calibration, defaultType, overrides, paramOverrides);
    }

    @Override
    public AnalysisResult analyze(Project project, QuantPlan plan, CalibrationAlgorithm algorithm, SampleSource inputs,
            Labels labels, Analyzer.TensorSink sink, ProgressListener progress) throws Exception {
        note("analyze");
        return real.analyze(project, plan, algorithm, inputs, labels, sink, progress);
    }

    @Override
    public Comparison compare(Project project, QuantPlan normal, QuantPlan hybrid, SampleSource inputs, Labels labels,
            ProgressListener progress) throws Exception {
        note("compare");
        return real.compare(project, normal, hybrid, inputs, labels, progress);
    }

    @Override
    public ConfigMapper.Applied importConfig(Project project, Calibration calibration, QuantPlan normal, Path cfg)
            throws Exception {
        note("importConfig");
        return real.importConfig(project, calibration, normal, cfg);
    }

    @Override
    public void exportConfig(Project project, QuantPlan plan, Map<String, String> vendorNames, Path cfg) throws Exception {
        note("exportConfig");
        real.exportConfig(project, plan, vendorNames, cfg);
    }

    @Override
    public void exportQuantized(Project project, QuantPlan plan, Path file) throws Exception {
        note("exportQuantized");
        real.exportQuantized(project, plan, file);
    }

    @Override
    public dev.layerwise.core.engine.AutoPick.Result autoPick(Project project, Calibration calibration,
            dev.layerwise.core.quant.QuantType defaultType, dev.layerwise.core.quant.QuantType promoteTo,
            dev.layerwise.core.calibration.SampleSource inputs, double targetCosine,
            dev.layerwise.core.task.ProgressListener progress) throws Exception {
        note("autoPick");
        return real.autoPick(project, calibration, defaultType, promoteTo, inputs, targetCosine, progress);
    }
}
