package dev.layerwise.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.Calibrator;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.WeightQuantizer;
import dev.layerwise.core.runtime.ShapeProbe;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void jsonFormattedOnAnotherThreadGivesTheSameFilesAsTheCallersThreadAlone() throws Exception {
        LayerGraph graph = ShapeProbe.layerGraph(TestModels.smallCnn());
        List<Map<String, FloatTensor>> feeds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            feeds.add(Map.of("input", TestModels.smallInput(i)));
        }
        Calibration cal = Calibrator.calibrate(graph, SampleSource.of(feeds), CalibrationAlgorithm.NORMAL,
                QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
        QuantPlan plan = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), cal.ranges(), Map.of(),
                new WeightQuantizer());
        AnalysisResult r = Analyzer.analyze(graph, plan, CalibrationAlgorithm.NORMAL,
                SampleSource.of(List.of(Map.of("input", TestModels.smallInput(100)))), null, null, ProgressListener.NONE);

        Path alone = Files.createDirectories(dir.resolve("alone"));
        Path beside = Files.createDirectories(dir.resolve("beside"));
        ReportWriter.writeAll(alone, r);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            ReportWriter.writeAll(beside, r, other);
        } finally {
            other.shutdown();
        }
        for (String f : ReportWriter.FILES) {
            assertArrayEquals(Files.readAllBytes(alone.resolve(f)), Files.readAllBytes(beside.resolve(f)), f);
        }
        // and the JSON is the one formatted here, not an empty or partial text
        assertEquals(ReportWriter.json(r), Files.readString(beside.resolve(ReportWriter.JSON)));
        assertNotEquals(0, r.layers().size());
    }
}
