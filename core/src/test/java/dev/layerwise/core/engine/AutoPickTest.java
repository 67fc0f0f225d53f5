package dev.layerwise.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoPickTest {

    @Test
    void reachesTheTargetAndTheSetIsVerifiedIndependently() throws Exception {
        Project project = Project.of(TestModels.smallCnn());
        List<Map<String, FloatTensor>> feeds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            feeds.add(Map.of("input", TestModels.smallInput(i)));
        }
        SampleSource inputs = SampleSource.of(feeds);
        Calibration cal = project.calibrate(inputs, CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
        var normalPlan = project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of());
        double normal = project.compare(normalPlan, normalPlan, inputs, null, ProgressListener.NONE).model("normal").vsFloat()
                .cosine();
        // halfway between the normal model and perfection
        double goal = normal + (1 - normal) / 2;
        AutoPick.Result r = new AutoPick(project, cal, QuantType.ASYMMETRIC_AFFINE_U8, QuantType.DYNAMIC_FIXED_POINT_I16, false)
                .run(inputs, new AutoPick.Target(AutoPick.Target.Kind.COSINE, goal), ProgressListener.NONE);
        assertTrue(r.reached());
        assertFalse(r.layers().isEmpty());
        assertTrue(r.layers().size() < project.graph().layers().size(), "should not need every layer: " + r.layers());
        assertEquals(normal, r.normalMetric(), 1e-9);
        assertTrue(r.macShare() > 0 && r.macShare() <= 1);

        Map<String, QuantType> picks = new LinkedHashMap<>();
        r.layers().forEach(l -> picks.put(l, QuantType.DYNAMIC_FIXED_POINT_I16));
        Comparison c = project.compare(normalPlan, project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, picks, Map.of()), inputs, null,
                ProgressListener.NONE);
        assertEquals(r.metric(), c.model("hybrid").vsFloat().cosine(), 1e-9);
        assertTrue(c.model("hybrid").vsFloat().cosine() >= goal);
    }

    @Test
    void normalModelMeetingTheTargetPromotesNothing() throws Exception {
        Project project = Project.of(TestModels.smallCnn());
        SampleSource inputs = SampleSource.of(List.of(Map.of("input", TestModels.smallInput(1))));
        Calibration cal = project.calibrate(inputs, CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
        AutoPick.Result r = new AutoPick(project, cal, QuantType.ASYMMETRIC_AFFINE_U8, QuantType.DYNAMIC_FIXED_POINT_I16, false)
                .run(inputs, new AutoPick.Target(AutoPick.Target.Kind.TOP1, 1.0), ProgressListener.NONE);
        assertTrue(r.reached());
        assertEquals(List.of(), r.layers());
    }
}
