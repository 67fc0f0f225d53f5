package dev.layerwise.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.compare.Comparer;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HybridRebuildTest {

    private static final QuantType U8 = QuantType.ASYMMETRIC_AFFINE_U8;

    @TempDir
    Path dir;

    private AnalysisRun normal;

    @BeforeEach
    void analyse() throws Exception {
        Path model = dir.resolve("small.onnx");
        TestModels.smallCnn().save(model);
        Npy.write(dir.resolve("a.npy"), TestModels.smallInput(3));
        Npy.write(dir.resolve("b.npy"), TestModels.smallInput(4));
        Files.writeString(dir.resolve("dataset.txt"), "a.npy\nb.npy\n");
        List<Sample> dataset = Dataset.load(dir.resolve("dataset.txt"));
        AnalysisSession s = AnalysisSession.open(model, null);
        Calibration cal = s.calibrate(dataset, Preprocessing.none(), CalibrationAlgorithm.NORMAL, U8, 0, w -> { },
                ProgressListener.NONE);
        normal = s.analyse(cal, s.normalPlan(cal, U8, false), CalibrationAlgorithm.NORMAL,
                s.samples(dataset.subList(0, 1), Preprocessing.none(), w -> { }), null, false, ProgressListener.NONE);
    }

    @Test
    void withoutPicksTheHybridModelIsTheNormalOne() throws Exception {
        HybridComparison r = HybridRebuild.rebuild(normal, Map.of(), Map.of(), ProgressListener.NONE);
        assertEquals(List.of(), r.hybrid().promotedLayers());
        assertEquals(r.normalModel().vsFloat().cosine(), r.hybridModel().vsFloat().cosine(), 1e-12);
        assertEquals(r.normalModel().top5(), r.hybridModel().top5());
        // the normal column agrees with the analysis of the same plan on the same input
        assertEquals(normal.analysis().finalMetrics().cosine(), r.normalModel().vsFloat().cosine(), 1e-6);
    }

    @Test
    void aHybridWithoutPicksTakesTheNormalOutputsWhichItsOwnSessionGivesBitForBit() throws Exception {
        HybridComparison r = HybridRebuild.rebuild(normal, Map.of(), Map.of(), ProgressListener.NONE);
        assertTrue(r.hybrid().buildsSameModelAs(normal.plan()));
        // streamed from scratch: the hybrid model in a session of its own
        Comparison fresh = Comparer.compare(normal.project().graph(), normal.plan(), r.hybrid(), normal.inputs(),
                normal.labels(), ProgressListener.NONE);
        assertEquals(fresh.model(Comparison.HYBRID).vsFloat(), r.hybridModel().vsFloat());
        assertEquals(fresh.model(Comparison.HYBRID).top5(), r.hybridModel().top5());
        assertEquals(r.normalModel().vsFloat(), r.hybridModel().vsFloat());
    }

    @Test
    void onlyAPlanOfTheSameTypesParametersAndWeightsBuildsTheSameModel() {
        Project p = normal.project();
        String layer = p.graph().layerNames().get(1);
        assertTrue(p.plan(normal.calibration(), U8, Map.of(), Map.of()).buildsSameModelAs(normal.plan()));
        // a pick of the default type changes nothing the model is built from
        assertTrue(p.plan(normal.calibration(), U8, Map.of(layer, U8), Map.of()).buildsSameModelAs(normal.plan()));
        assertTrue(!p.plan(normal.calibration(), U8, Map.of(layer, QuantType.DYNAMIC_FIXED_POINT_I16), Map.of())
                .buildsSameModelAs(normal.plan()));
        assertTrue(!p.plan(normal.calibration(), U8, Map.of(), Map.of(), true).buildsSameModelAs(normal.plan()),
                "weights per channel");
        assertTrue(!p.plan(normal.calibration(), QuantType.DYNAMIC_FIXED_POINT_I8, Map.of(), Map.of())
                .buildsSameModelAs(normal.plan()));
    }

    @Test
    void aRebuildCancelledWhileTheFloatAndNormalOutputsAreMadeStillKeepsThemForTheNext() throws Exception {
        Map<String, QuantType> picks = Map.of(normal.project().graph().layerNames().get(1), QuantType.DYNAMIC_FIXED_POINT_I16);
        // the user ticks again once the first rebuild after the run has planned and is creating the
        // session of the float and normal outputs: every poll after the first says cancelled
        ProgressListener supersededOnceComparing = new ProgressListener() {
            int polls;

            @Override
            public void progress(String step, int done, int total) {
            }

            @Override
            public boolean isCancelled() {
                return ++polls > 1;
            }
        };
        assertThrows(CancelledException.class,
                () -> HybridRebuild.rebuild(normal, Map.of(), Map.of(), supersededOnceComparing));
        // the next rebuild runs the hybrid alone: one "comparing" per input and the final count, no reference again
        List<String> steps = new ArrayList<>();
        HybridComparison r = HybridRebuild.rebuild(normal, picks, Map.of(), (step, done, total) -> steps.add(step + " " + done + "/" + total));
        int n = normal.inputs().size();
        List<String> hybridOnly = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hybridOnly.add("comparing " + i + "/" + n);
        }
        hybridOnly.add("comparing " + n + "/" + n);
        assertEquals(hybridOnly, steps);
        Comparison fresh = Comparer.compare(normal.project().graph(), normal.plan(), r.hybrid(), normal.inputs(),
                normal.labels(), ProgressListener.NONE);
        assertEquals(fresh.model(Comparison.NORMAL).vsFloat(), r.normalModel().vsFloat());
        assertEquals(fresh.model(Comparison.HYBRID).vsFloat(), r.hybridModel().vsFloat());
    }

    @Test
    void floatAndNormalOutputsPreparedAfterTheRunServeTheRebuildsThatFollow() throws Exception {
        List<String> preparing = new ArrayList<>();
        normal.project().prepareComparison(normal.plan(), normal.inputs(), (step, done, total) -> preparing.add(step + " " + done));
        int n = normal.inputs().size();
        assertEquals(n, preparing.size(), "one run of the float and normal models per input: " + preparing);
        // prepared again for the same plan and inputs: nothing is run
        List<String> again = new ArrayList<>();
        normal.project().prepareComparison(normal.plan(), normal.inputs(), (step, done, total) -> again.add(step));
        assertEquals(List.of(), again);

        // the rebuild without picks runs nothing either: only the final count
        List<String> steps = new ArrayList<>();
        HybridComparison none = HybridRebuild.rebuild(normal, Map.of(), Map.of(), (step, done, total) -> steps.add(step + " " + done + "/" + total));
        assertEquals(List.of("comparing " + n + "/" + n), steps);
        Comparison fresh = Comparer.compare(normal.project().graph(), normal.plan(), none.hybrid(), normal.inputs(),
                normal.labels(), ProgressListener.NONE);
        assertEquals(fresh.model(Comparison.FLOAT).top5(), none.comparison().model(Comparison.FLOAT).top5());
        assertEquals(fresh.model(Comparison.NORMAL).vsFloat(), none.normalModel().vsFloat());
        assertEquals(fresh.model(Comparison.HYBRID).vsFloat(), none.hybridModel().vsFloat());

        // a cancel asked for while preparing takes effect once the outputs are kept
        ProgressListener cancelled = new ProgressListener() {
            @Override
            public void progress(String step, int done, int total) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        QuantPlan i8 = normal.project().plan(normal.calibration(), QuantType.DYNAMIC_FIXED_POINT_I8, Map.of(), Map.of());
        assertThrows(CancelledException.class, () -> normal.project().prepareComparison(i8, normal.inputs(), cancelled));
        List<String> kept = new ArrayList<>();
        normal.project().prepareComparison(i8, normal.inputs(), (step, done, total) -> kept.add(step));
        assertEquals(List.of(), kept, "the i8 plan's outputs were kept despite the cancel");
    }

    @Test
    void everyLayerKeptInFloatGivesBackTheFloatModel() throws Exception {
        Map<String, QuantType> picks = new LinkedHashMap<>();
        for (Layer l : normal.project().graph().layers()) {
            picks.put(l.name(), QuantType.FLOAT32);
        }
        HybridComparison r = HybridRebuild.rebuild(normal, picks, Map.of(), ProgressListener.NONE);
        assertEquals(List.copyOf(picks.keySet()), r.hybrid().promotedLayers());
        assertTrue(r.hybridModel().vsFloat().cosine() > 0.999999, "hybrid cosine " + r.hybridModel().vsFloat().cosine());
        // float column checked against a plain ORT run of the model, computed here
        try (OnnxSession plain = OnnxSession.create(normal.project().model(), "float")) {
            float[] y = plain.run(Map.of("input", TestModels.smallInput(3))).get("output").data();
            TopK expected = TopK.of(y, 5, null);
            assertEquals(expected.entries().stream().map(TopK.Entry::index).toList(),
                    r.floatModel().top5().entries().stream().map(TopK.Entry::index).toList());
            assertEquals(expected.top1().score(), r.floatModel().top5().top1().score(), 1e-6);
        }
        assertEquals(r.floatModel().top5().entries().stream().map(TopK.Entry::index).toList(),
                r.hybridModel().top5().entries().stream().map(TopK.Entry::index).toList());
    }

    @Test
    void laterRebuildsOfOneAnalysisMatchAComparisonMadeFromScratch() throws Exception {
        List<String> layers = normal.project().graph().layerNames();
        // the first rebuild computes the float and normal outputs; the later ones reuse them
        HybridRebuild.rebuild(normal, Map.of(), Map.of(), ProgressListener.NONE);
        for (String layer : List.of(layers.get(1), layers.get(layers.size() - 1))) {
            Map<String, QuantType> picks = Map.of(layer, QuantType.DYNAMIC_FIXED_POINT_I16);
            HybridComparison reused = HybridRebuild.rebuild(normal, picks, Map.of(), ProgressListener.NONE);
            Comparison fresh = Comparer.compare(normal.project().graph(), normal.plan(), reused.hybrid(), normal.inputs(),
                    normal.labels(), ProgressListener.NONE);
            for (String model : Comparison.MODELS) {
                ModelResult a = reused.comparison().model(model);
                ModelResult b = fresh.model(model);
                assertEquals(b.top5(), a.top5(), model);
                assertEquals(b.vsFloat(), a.vsFloat(), model);
                assertEquals(b.top1(), a.top1(), model);
            }
            assertEquals(fresh.inputs(), reused.comparison().inputs());
            assertEquals(List.of(layer), reused.hybrid().promotedLayers());
        }
    }
}
