package dev.layerwise.app.ui;

import dev.layerwise.app.engine.Engine;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.analysis.VendorComparison;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.engine.AnalysisSession;
import dev.layerwise.core.engine.AutoPick;
import dev.layerwise.core.engine.HybridComparison;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
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
    public AnalysisSession open(Path model, dev.layerwise.core.onnx.InputShapes shapes) throws Exception {
        note("open");
        return real.open(model, shapes);
    }

    @Override
    public List<Sample> dataset(Path datasetTxt) throws Exception {
        note("dataset");
        return real.dataset(datasetTxt);
    }

    @Override
    public dev.layerwise.core.compare.DatasetComparer compareOver(AnalysisRun run, List<Sample> samples,
            Preprocessing preprocessing, Map<String, Map<String, QuantType>> sets, Map<String, QuantParams> params)
            throws Exception {
        note("compareOver");
        return real.compareOver(run, samples, preprocessing, sets, params);
    }

    @Override
    public Sample single(Path file) {
        note("single");
        return real.single(file);
    }

    @Override
    public Calibration calibrate(AnalysisSession session, List<Sample> dataset, Preprocessing preprocessing,
            CalibrationAlgorithm algorithm, QuantType type, Consumer<String> warnings, ProgressListener progress)
            throws Exception {
        note("calibrate");
        return real.calibrate(session, dataset, preprocessing, algorithm, type, warnings, progress);
    }

    @Override
    public AnalysisRun analyze(AnalysisSession session, Calibration calibration, QuantType type, boolean perChannel,
            CalibrationAlgorithm algorithm, Sample input, Preprocessing preprocessing, Consumer<String> warnings,
            ProgressListener progress) throws Exception {
        note("analyze");
        return real.analyze(session, calibration, type, perChannel, algorithm, input, preprocessing, warnings, progress);
    }

    @Override
    public HybridComparison rebuild(AnalysisRun run, Map<String, QuantType> picks, Map<String, QuantParams> params,
            ProgressListener progress) throws Exception {
        note("rebuild");
        return real.rebuild(run, picks, params, progress);
    }

    @Override
    public dev.layerwise.core.analysis.AnalysisResult analyzePlan(AnalysisRun run, QuantPlan plan, ProgressListener progress)
            throws Exception {
        note("analyzePlan");
        return real.analyzePlan(run, plan, progress);
    }

    @Override
    public ConfigMapper.Applied importConfig(AnalysisRun run, Path cfg) throws Exception {
        note("importConfig");
        return real.importConfig(run, cfg);
    }

    @Override
    public void exportConfig(Project project, QuantPlan plan, Map<String, String> vendorNames, Toolkit toolkit, Path cfg)
            throws Exception {
        note("exportConfig");
        real.exportConfig(project, plan, vendorNames, toolkit, cfg);
    }

    @Override
    public VendorComparison vendorAnalysis(AnalysisRun run, Path file) throws Exception {
        note("vendorAnalysis");
        return real.vendorAnalysis(run, file);
    }

    @Override
    public List<Path> exportRknnScript(AnalysisRun run, Path dataset, Path input, Preprocessing preprocessing,
            CalibrationAlgorithm algorithm, Map<String, QuantType> picks, Map<String, String> vendorNames, String targetPlatform,
            Path dir) throws Exception {
        note("exportRknnScript");
        return real.exportRknnScript(run, dataset, input, preprocessing, algorithm, picks, vendorNames, targetPlatform, dir);
    }

    @Override
    public dev.layerwise.core.onnx.proto.Onnx.ModelProto quantizedModel(Project project, QuantPlan plan) {
        note("quantizedModel");
        return real.quantizedModel(project, plan);
    }

    @Override
    public void exportQuantized(Project project, dev.layerwise.core.onnx.proto.Onnx.ModelProto quantized, Path file) throws Exception {
        note("exportQuantized");
        real.exportQuantized(project, quantized, file);
    }

    @Override
    public AutoPick.Result autoPick(Project project, Calibration calibration, QuantType defaultType, boolean perChannel,
            QuantType promoteTo, SampleSource inputs, double targetCosine, ProgressListener progress) throws Exception {
        note("autoPick");
        return real.autoPick(project, calibration, defaultType, perChannel, promoteTo, inputs, targetCosine, progress);
    }

    @Override
    public Map<String, dev.layerwise.core.tensor.FloatTensor> outputs(Project project,
            dev.layerwise.core.onnx.proto.Onnx.ModelProto quantized, Map<String, dev.layerwise.core.tensor.FloatTensor> feeds)
            throws Exception {
        note("outputs");
        return real.outputs(project, quantized, feeds);
    }
}
