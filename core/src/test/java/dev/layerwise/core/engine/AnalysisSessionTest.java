package dev.layerwise.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.analysis.AnalysisResult;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.PreprocessException;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisSessionTest {

    private static final QuantType U8 = QuantType.ASYMMETRIC_AFFINE_U8;

    @TempDir
    Path dir;

    private Path model;
    private List<Sample> dataset;

    @BeforeEach
    void writeModelAndDataset() throws Exception {
        model = dir.resolve("small.onnx");
        TestModels.smallCnn().save(model);
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            Npy.write(dir.resolve("in" + i + ".npy"), TestModels.smallInput(i));
            list.append("in").append(i).append(".npy\n");
        }
        Files.writeString(dir.resolve("dataset.txt"), list);
        dataset = Dataset.load(dir.resolve("dataset.txt"));
    }

    private Calibration calibrate(AnalysisSession s, QuantType type) throws Exception {
        return s.calibrate(dataset, Preprocessing.none(), CalibrationAlgorithm.NORMAL, type, 0, w -> { }, ProgressListener.NONE);
    }

    @Test
    void labelsBesideTheModelNameTheTopClasses() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add("class " + i);
        }
        Files.write(dir.resolve("labels.txt"), names);
        AnalysisSession s = AnalysisSession.open(model, null);
        assertEquals("class 7", s.labels().get(7));
        Calibration cal = calibrate(s, U8);
        AnalysisRun run = s.analyse(cal, s.normalPlan(cal, U8, false), CalibrationAlgorithm.NORMAL,
                s.samples(dataset.subList(0, 1), Preprocessing.none(), w -> { }), null, false, ProgressListener.NONE);
        int top = run.analysis().floatTop5().top1().index();
        assertEquals("class " + top, run.analysis().floatTop5().top1().label());
    }

    @Test
    void withoutLabelsBesideTheModelThereAreNone() throws Exception {
        assertNull(AnalysisSession.open(model, null).labels());
    }

    @Test
    void aNamedLabelsFileThatIsMissingIsAnErrorNamingIt() {
        Path missing = dir.resolve("nope.txt");
        Exception e = assertThrows(java.io.IOException.class, () -> AnalysisSession.open(model, missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void calibrationIsReusedUntilSomethingItDependsOnChanges() throws Exception {
        AnalysisSession s = AnalysisSession.open(model, null);
        Calibration first = calibrate(s, U8);
        assertSame(first, calibrate(s, U8));
        Calibration i8 = calibrate(s, QuantType.DYNAMIC_FIXED_POINT_I8);
        assertNotSame(first, i8);
        Calibration fewer = s.calibrate(dataset.subList(0, 2), Preprocessing.none(), CalibrationAlgorithm.NORMAL, U8, 0, w -> { },
                ProgressListener.NONE);
        assertEquals(2, fewer.samples());
        assertEquals(3, first.samples());
    }

    @Test
    void analysisRunHoldsWhatTheStepsGiveWhenCalledByHand() throws Exception {
        AnalysisSession s = AnalysisSession.open(model, null);
        Calibration cal = calibrate(s, U8);
        QuantPlan plan = s.normalPlan(cal, U8, false);
        var inputs = s.samples(dataset.subList(0, 1), Preprocessing.none(), w -> { });
        AnalysisRun run = s.analyse(cal, plan, CalibrationAlgorithm.NORMAL, inputs, null, true, ProgressListener.NONE);
        AnalysisResult byHand = s.project().analyze(plan, CalibrationAlgorithm.NORMAL, inputs, null, null, ProgressListener.NONE);

        assertSame(plan, run.plan());
        assertSame(cal, run.calibration());
        assertEquals(byHand.finalMetrics().cosine(), run.analysis().finalMetrics().cosine(), 1e-12);
        assertEquals(byHand.layers().size(), run.analysis().layers().size());
        // the kept float outputs are the float model's own values on the first input
        FloatTensor x = TestModels.smallInput(0);
        List<String> outputs = s.project().graph().layers().stream().map(Layer::output).toList();
        assertEquals(Set.copyOf(outputs), run.floatOutputs().keySet());
        try (OnnxSession plain = OnnxSession.create(s.project().model(), "float")) {
            float[] expected = plain.run(Map.of("input", x)).get("output").data();
            assertArrayEquals(expected, run.floatOutputs().get("output"), 1e-5f);
        }
    }

    @Test
    void floatOutputsAreOnlyKeptWhenAskedFor() throws Exception {
        AnalysisSession s = AnalysisSession.open(model, null);
        Calibration cal = calibrate(s, U8);
        AnalysisRun run = s.analyse(cal, s.normalPlan(cal, U8, false), CalibrationAlgorithm.NORMAL,
                s.samples(dataset.subList(0, 1), Preprocessing.none(), w -> { }), null, false, ProgressListener.NONE);
        assertTrue(run.floatOutputs().isEmpty());
    }

    @Test
    void rangesRecordedInALayerwiseCfgReplaceCalibration() throws Exception {
        AnalysisSession s = AnalysisSession.open(model, null);
        Calibration cal = calibrate(s, U8);
        Path cfg = dir.resolve("small.quantization.cfg");
        ConfigFile.write(cfg, ConfigMapper.toConfig(s.project().graph(), s.normalPlan(cal, U8, false), List.of(), Map.of()));
        Calibration recorded = s.recordedRanges(cfg, CalibrationAlgorithm.NORMAL);
        assertNotNull(recorded);
        assertEquals(0, recorded.samples());
        for (String t : s.project().graph().quantTensors()) {
            assertEquals(cal.ranges().get(t).min(), recorded.ranges().get(t).min(), 1e-6, t);
            assertEquals(cal.ranges().get(t).max(), recorded.ranges().get(t).max(), 1e-6, t);
        }
    }

    @Test
    void aCfgWithoutRangesAsksForCalibration() throws Exception {
        AnalysisSession s = AnalysisSession.open(model, null);
        Path cfg = dir.resolve("picks.quantization.cfg");
        ConfigFile.write(cfg, new QuantConfig(Map.of("Conv_2", "dynamic_fixed_point-i16"), Map.of(), List.of()));
        assertNull(s.recordedRanges(cfg, CalibrationAlgorithm.NORMAL));
    }

    @Test
    void preprocessingForTheWrongChannelCountIsRefusedNamingTheInput() throws Exception {
        AnalysisSession s = AnalysisSession.open(model, null);
        PreprocessException e = assertThrows(PreprocessException.class,
                () -> s.checkPreprocessing(Preprocessing.parse("1,2,3,4", "1", "0 1 2")));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
    }
}
