package dev.layerwise.core.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A calibration session kept for the next calibration of the graph: reused, replaced, released. */
class KeptSessionTest {

    private static final KeptSession.Kind MIN_MAX_ON_THE_POOL = new KeptSession.Kind(false, false);

    private static List<Map<String, FloatTensor>> samples(long seed, int n) {
        List<Map<String, FloatTensor>> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(Map.of("input", TestModels.smallInput(seed + i)));
        }
        return s;
    }

    private static Calibration calibrate(LayerGraph graph, List<Map<String, FloatTensor>> samples, CalibrationAlgorithm algorithm,
            KeptSession kept) throws Exception {
        return Calibrator.calibrate(graph, SampleSource.of(samples), algorithm, QuantType.ASYMMETRIC_AFFINE_U8, 2, false, kept,
                ProgressListener.NONE);
    }

    @Test
    void aSecondCalibrationRunsOnTheSessionTheFirstKeptAndScansItsOwnSamples() throws Exception {
        Project project = Project.of(TestModels.smallCnn());
        LayerGraph graph = project.graph();
        try (KeptSession kept = new KeptSession()) {
            List<Map<String, FloatTensor>> first = samples(500, 4);
            CalibratorTest.assertRanges(CalibratorTest.expectedRanges(project, first), calibrate(graph, first, CalibrationAlgorithm.NORMAL, kept));
            OnnxSession session = kept.take(MIN_MAX_ON_THE_POOL);
            assertTrue(session != null, "the first calibration's session is kept");
            kept.give(MIN_MAX_ON_THE_POOL, session);

            List<Map<String, FloatTensor>> second = samples(600, 5);
            Calibration c = calibrate(graph, second, CalibrationAlgorithm.NORMAL, kept);
            CalibratorTest.assertRanges(CalibratorTest.expectedRanges(project, second), c);
            // the same session ran it and is kept again
            assertSame(session, kept.take(MIN_MAX_ON_THE_POOL));
        }
    }

    @Test
    void aCalibrationWithHistogramsMakesASessionOfItsOwnKindAndTheRangesStayExact() throws Exception {
        Project project = Project.of(TestModels.smallCnn());
        LayerGraph graph = project.graph();
        try (KeptSession kept = new KeptSession()) {
            List<Map<String, FloatTensor>> s = samples(700, 4);
            calibrate(graph, s, CalibrationAlgorithm.NORMAL, kept);
            OnnxSession minMax = kept.take(MIN_MAX_ON_THE_POOL);
            kept.give(MIN_MAX_ON_THE_POOL, minMax);
            // KL needs every tensor exposed: another model, so another session, which replaces the kept one
            Calibration kl = calibrate(graph, s, CalibrationAlgorithm.KL_DIVERGENCE, kept);
            CalibratorTest.assertRanges(CalibratorTest.expectedRanges(project, s), kl);
            assertEquals(null, kept.take(MIN_MAX_ON_THE_POOL));
            OnnxSession histograms = kept.take(new KeptSession.Kind(true, false));
            assertTrue(histograms != null);
            assertNotSame(minMax, histograms);
            histograms.close();
            // and min/max again makes its own once more, with the same ranges as the first time
            Calibration again = calibrate(graph, s, CalibrationAlgorithm.NORMAL, kept);
            CalibratorTest.assertRanges(CalibratorTest.expectedRanges(project, s), again);
        }
    }

    @Test
    void aFailedCalibrationKeepsNoSessionAndAReleasedHolderKeepsNoneAfterwards() throws Exception {
        Project project = Project.of(TestModels.smallCnn());
        LayerGraph graph = project.graph();
        KeptSession kept = new KeptSession();
        List<Map<String, FloatTensor>> good = samples(800, 3);
        calibrate(graph, good, CalibrationAlgorithm.NORMAL, kept);
        assertTrue(kept.holds());
        List<Map<String, FloatTensor>> bad = new ArrayList<>(good);
        bad.add(Map.of("input", new FloatTensor(new long[] {1, 3, 2, 2}, new float[12])));
        assertThrows(CalibrationException.class, () -> calibrate(graph, bad, CalibrationAlgorithm.NORMAL, kept));
        assertFalse(kept.holds(), "a session a failed run went through is closed, not kept");

        kept.close();
        Calibration c = calibrate(graph, good, CalibrationAlgorithm.NORMAL, kept);
        CalibratorTest.assertRanges(CalibratorTest.expectedRanges(project, good), c);
        assertFalse(kept.holds(), "released: the calibration closed its session");
    }
}
