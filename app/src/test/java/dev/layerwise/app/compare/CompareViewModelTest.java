package dev.layerwise.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.project.RecordingErrors;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.TopK;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Compare view model: columns with deltas against float, rebuilt from picks through the hybrid rebuild. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompareViewModelTest {

    private final RecordingErrors errors = new RecordingErrors();
    private final CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
    private final Messages messages = new Messages(Locale.ENGLISH);
    private RunResult run;
    private CompareViewModel compare;

    @BeforeAll
    void runTheSample() {
        ProjectViewModel project = new ProjectViewModel(new CoreEngine(), runner, errors, messages);
        project.useSample(SampleModel.locate());
        project.run();
        run = project.result();
        assertNotNull(run);
        compare = new CompareViewModel(new CoreEngine(), runner, errors, messages);
    }

    @Test
    void deltasAreAgainstTheFloatScoreOfTheSameClass() {
        TopK f = new TopK(List.of(new TopK.Entry(3, null, 0.6), new TopK.Entry(1, null, 0.3)));
        TopK q = new TopK(List.of(new TopK.Entry(1, null, 0.5), new TopK.Entry(7, null, 0.2)));
        CompareColumn c = CompareViewModel.column("normal", "Normal", false, q, 0.9, f);
        assertEquals(0.5 - 0.3, c.entries().get(0).delta(), 1e-12);
        assertTrue(Double.isNaN(c.entries().get(1).delta()), "class 7 is not in the float top-5");
        assertTrue(c.entries().get(0).differs(), "rank 1 is class 3 in float");
        assertTrue(c.top1Differs());
    }

    @Test
    void aRebuildWithoutPicksShowsThreeColumnsAndHybridEqualToNormal() {
        compare.rebuild(run, Map.of());
        assertEquals(List.of(), errors.messages);
        assertEquals(List.of("float", "normal", "hybrid"), compare.columns().stream().map(CompareColumn::id).toList());
        assertEquals(compare.column("normal").finalCosine(), compare.column("hybrid").finalCosine(), 1e-12);
        assertEquals(1.0, compare.column("float").finalCosine());
        assertEquals(messages.get("compare.promotedNone"), compare.promotedProperty().get());
        assertFalse(compare.column("float").top1Differs());
    }

    @Test
    void picksReachTheHybridPlanAndThePromotedLine() {
        compare.rebuild(run, Map.of("Conv_117", QuantType.DYNAMIC_FIXED_POINT_I16));
        assertEquals(List.of("Conv_117"), compare.hybridPlan().promotedLayers());
        assertTrue(compare.promotedProperty().get().contains("Conv_117"), compare.promotedProperty().get());
        assertEquals(run.analysis().finalMetrics().cosine(), compare.column("normal").finalCosine(), 1e-6,
                "the normal column is the analysed model");
    }
}
