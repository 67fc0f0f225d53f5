package dev.layerwise.app.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.quant.QuantType;
import org.junit.jupiter.api.Test;

class HistogramModelTest {

    @Test
    void axisReachesCalibrationMinMaxBeyondARangeThatClips() {
        // this input spans [0, 4]; calibration saw [-1, 12] and kept [0, 3]
        float[] v = new float[401];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / 100f;
        }
        var choice = new HistogramModel.CalibrationChoice("kl_divergence", 0, 3, -1, 12, 0.02, false);
        HistogramModel h = HistogramModel.of("Conv_8", v, 0, 3, QuantType.ASYMMETRIC_AFFINE_U8, 10, choice);
        assertEquals(-1, h.low(), 1e-9);
        assertEquals(12, h.high(), 1e-9);
        assertTrue(choice.clips());
        // 3.01 .. 4.00 lie above the representable range: 100 of 401
        assertEquals(100 / 401.0, h.clippedShare(), 1e-12);
        assertEquals(401, java.util.Arrays.stream(h.counts()).sum());
    }

    @Test
    void floatLayersIgnoreTheCalibrationSpan() {
        var choice = new HistogramModel.CalibrationChoice("normal", -5, 5, -5, 5, 0, false);
        HistogramModel h = HistogramModel.of("Conv_8", new float[] {0f, 1f}, 0, 0, QuantType.FLOAT32, 4, choice);
        assertEquals(0, h.low(), 1e-9);
        assertEquals(1, h.high(), 1e-9);
        assertEquals(0, h.clippedShare());
    }
}
