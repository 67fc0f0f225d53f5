package dev.layerwise.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.WindowlessWorkbench;
import dev.layerwise.app.Workbench;
import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.layers.LayersViewModel;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.project.RecordingErrors;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.compare.Comparer;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.ModelResult;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.sample.ShuffleNetV2Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Compare view's comparison over the dataset, without a toolkit: rows against the core's
 * comparison made another way (float and normal outputs kept, each hybrid run by itself), a part
 * of the dataset spread over it, cancel, staleness and candidates of a model without a class vector.
 */
class DatasetCompareViewModelTest {

    @TempDir
    Path dir;
    private final RecordingErrors errors = new RecordingErrors();
    private final CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
    private final Messages messages = new Messages(Locale.ENGLISH);
    private final Engine engine = new CoreEngine();
    private ProjectViewModel project;
    private LayersViewModel layers;
    private CompareViewModel compare;
    private DatasetCompareViewModel dataset;

    @BeforeEach
    void wire() {
        // the window's view models as the window wires them
        Workbench wb = WindowlessWorkbench.create(engine, runner, errors, messages);
        project = wb.project();
        layers = wb.layers();
        compare = wb.compare();
        dataset = wb.datasetCompare();
    }

    /** The sample with the planted layers kept as a candidate and one of them as the current picks. */
    private void sampleWithACandidate() {
        project.useSample(SampleModel.locate());
        project.run();
        ShuffleNetV2Sample.PLANTED_LAYERS.forEach(layers::toggle);
        compare.keepCandidate("3 \u00d7 i16");
        layers.clearPromotions();
        layers.toggle(ShuffleNetV2Sample.PLANTED_LAYERS.get(0));
        assertEquals(List.of(), errors.messages);
    }

    /** The core's comparison of float, normal and {@code picks} on {@code samples}, from kept float and normal outputs. */
    private ModelResult core(List<Sample> samples, Map<String, QuantType> picks, String model) throws Exception {
        RunResult r = project.result();
        SampleSource inputs = r.project().samples(samples, r.settings().preprocessing(), w -> { });
        QuantPlan plan = r.project().plan(r.calibration(), r.normalPlan().defaultType(), picks, Map.of(), r.normalPlan().perChannel());
        Comparer.Reference ref = Comparer.reference(r.project().graph(), r.normalPlan(), inputs, ProgressListener.NONE);
        Comparison c = Comparer.compare(r.project().graph(), ref, plan, r.labels(), ProgressListener.NONE);
        return c.model(model);
    }

    private DatasetCompareViewModel.Row row(String id) {
        return dataset.rows().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }

    private static void assertSame(ModelResult core, DatasetCompareViewModel.Row row) {
        assertEquals(core.top1Agreement(), row.top1Agreement(), 1e-12, row.id());
        assertEquals(core.vsFloat().cosine(), row.meanCosine(), 1e-9, row.id());
        assertEquals(core.minCosine(), row.minCosine(), 1e-9, row.id());
    }

    @Test
    void everyModelOverTheWholeDatasetMatchesTheCoresComparison() throws Exception {
        sampleWithACandidate();
        List<Sample> all = Dataset.load(project.result().settings().dataset());
        assertEquals(all.size(), dataset.availableProperty().get());
        assertEquals(all.size(), dataset.limitProperty().get(), "the whole dataset unless told otherwise");
        dataset.start();
        assertEquals(List.of(), errors.messages);
        assertFalse(dataset.runningProperty().get());
        assertEquals(List.of("float", "normal", "hybrid", "candidate-0"), dataset.rows().stream().map(r -> r.id()).toList());
        assertEquals("3 \u00d7 i16", row("candidate-0").title());
        Map<String, QuantType> one = Map.of(ShuffleNetV2Sample.PLANTED_LAYERS.get(0), QuantType.DYNAMIC_FIXED_POINT_I16);
        ModelResult normal = core(all, Map.of(), Comparison.NORMAL);
        assertSame(normal, row("normal"));
        assertSame(core(all, one, Comparison.HYBRID), row("hybrid"));
        assertSame(core(all, compare.candidates().get(0).picks(), Comparison.HYBRID), row("candidate-0"));
        assertEquals(1.0, row("float").meanCosine());
        assertNull(row("float").worstInput(), "float is the reference: no worst image");
        // the worst image is the dataset entry the core found, as a file that can be analysed
        assertEquals(all.get(normal.worstInput()).files().get(0), row("normal").worstFile());
        assertTrue(row("normal").worstInput().contains("line " + (normal.worstInput() + 1)), row("normal").worstInput());
        assertEquals(all.size() + " of " + all.size() + " images in", dataset.statusProperty().get().substring(0,
                dataset.statusProperty().get().indexOf(" in ") + 3));
        assertEquals(1.0, dataset.progressProperty().get());
        assertTrue(compare.candidates().get(0).picks().size() == 3 && row("candidate-0").picks().size() == 3);
        assertTrue(row("candidate-0").minCosine() > row("normal").minCosine(), "the planted layers are what hurts");
        assertFalse(dataset.staleProperty().get());

        layers.toggle(ShuffleNetV2Sample.PLANTED_LAYERS.get(1));
        assertTrue(dataset.staleProperty().get(), "other picks: the hybrid row is out of date");
        layers.toggle(ShuffleNetV2Sample.PLANTED_LAYERS.get(1));
        assertFalse(dataset.staleProperty().get(), "the picks measured again");
        // the worst image made the analysed input: the cards show it, and the numbers over the dataset still hold
        project.inputProperty().set(row("normal").worstFile());
        project.run();
        assertEquals(List.of(), errors.messages);
        assertFalse(dataset.staleProperty().get(), "the same model, calibration and picks");
        assertEquals(row("normal").minCosine(), compare.column("normal").finalCosine(), 1e-6,
                "on its worst image the normal model's final cosine is its min over the dataset");
    }

    @Test
    void aLimitTakesImagesSpreadOverTheDataset() throws Exception {
        sampleWithACandidate();
        List<Sample> all = Dataset.load(project.result().settings().dataset());
        dataset.limitProperty().set(4);
        dataset.start();
        assertEquals(List.of(), errors.messages);
        List<Sample> spread = List.of(all.get(0), all.get(all.size() / 4), all.get(2 * all.size() / 4), all.get(3 * all.size() / 4));
        assertEquals(spread, DatasetCompareViewModel.spread(all, 4));
        assertSame(core(spread, Map.of(), Comparison.NORMAL), row("normal"));
        assertTrue(dataset.statusProperty().get().startsWith("4 of " + all.size() + " images"), dataset.statusProperty().get());
        assertEquals(all, DatasetCompareViewModel.spread(all, all.size() + 5), "never more than there are");
    }

    @Test
    void cancelKeepsWhatWasMeasuredAndSaysHowMuch() throws Exception {
        sampleWithACandidate();
        List<Sample> all = Dataset.load(project.result().settings().dataset());
        List<Double> seen = new ArrayList<>();
        dataset.progressProperty().addListener((o, was, now) -> {
            seen.add(now.doubleValue());
            // as the Cancel button would, once a few images are done
            if (now.doubleValue() >= 4.0 / all.size() && now.doubleValue() < 1) {
                dataset.cancel();
            }
        });
        dataset.start();
        assertEquals(List.of(), errors.messages);
        assertFalse(dataset.runningProperty().get());
        String status = dataset.statusProperty().get();
        assertTrue(status.startsWith("Cancelled after "), status);
        int done = Integer.parseInt(status.substring("Cancelled after ".length(), status.indexOf(" of ")));
        assertTrue(done >= 1 && done < all.size(), status);
        assertTrue(status.contains(" of " + all.size() + " images"), status);
        assertSame(core(all.subList(0, done), Map.of(), Comparison.NORMAL), row("normal"));
        assertTrue(seen.size() >= 3 && seen.get(seen.size() - 1) < 1, "progress grew image by image: " + seen);
    }

    @Test
    void aDetectorsCandidatesGetPerOutputColumnsHereAndOverTheDataset() throws Exception {
        Path model = RealWorldModels.writeWithDataset(dir, "detector.onnx", RealWorldModels.detector(48, 64, 4), 5, 1, 3, 48, 64);
        project.useModel(model);
        project.run();
        layers.toggle("stage2");
        assertFalse(compare.classVectorProperty().get());
        assertEquals(String.format(Locale.ROOT, "Hybrid, 1 promoted: final cos %.4f (lowest output)",
                compare.hybridResultProperty().get().vsFloat().cosine()), layers.hybridStatusProperty().get(),
                "no top-1 to agree on without a class vector");
        assertTrue(compare.comparedProperty().get(), "Keep is offered although there are no cards");
        compare.keepCandidate(compare.suggestCandidateName());
        layers.toggle("head/box");
        assertEquals(List.of(), errors.messages);
        assertEquals("1 \u00d7 i16", compare.candidates().get(0).name());
        for (OutputRow r : compare.outputs()) {
            assertEquals(List.of("normal", "hybrid", "candidate-0"), r.cells().stream().map(OutputRow.Cell::model).toList());
            assertEquals("1 \u00d7 i16", r.cell("candidate-0").title());
        }
        // the candidate's column holds what its own picks reached on the analysed input
        Map<String, QuantType> stage2 = Map.of("stage2", QuantType.DYNAMIC_FIXED_POINT_I16);
        ModelResult alone = engine.rebuild(project.result().run(), stage2, Map.of(), ProgressListener.NONE).hybridModel();
        for (int i = 0; i < alone.outputs().size(); i++) {
            assertEquals(alone.outputs().get(i).metrics().cosine(), compare.outputs().get(i).cell("candidate-0").cosine(), 1e-12);
        }

        dataset.start();
        assertEquals(List.of(), errors.messages);
        List<Sample> all = Dataset.load(dir.resolve("dataset.txt"));
        ModelResult core = core(all, stage2, Comparison.HYBRID);
        assertSame(core, row("candidate-0"));
        assertTrue(Double.isNaN(row("normal").top1Agreement()), "no class vector, no top-1");
        assertEquals(List.of("scores", "boxes", "objectness"), dataset.outputs().stream().map(OutputRow::name).toList());
        for (int i = 0; i < 3; i++) {
            OutputRow.Cell c = dataset.outputs().get(i).cell("candidate-0");
            assertEquals(core.outputs().get(i).metrics().cosine(), c.cosine(), 1e-9);
            assertEquals(core.outputs().get(i).minCosine(), c.minCosine(), 1e-9);
            assertTrue(c.minCosine() <= c.cosine());
        }
        compare.removeCandidate("1 \u00d7 i16");
        assertEquals(List.of("normal", "hybrid"), compare.outputs().get(0).cells().stream().map(OutputRow.Cell::model).toList());
        assertTrue(dataset.staleProperty().get(), "a candidate fewer than measured");
        assertNotNull(row("candidate-0"), "the measured rows stay until compared again");
    }

    @Test
    void theStatusBarNamesTheComparingStepInTheWindowsLanguage() throws Exception {
        Messages zh = new Messages(Locale.SIMPLIFIED_CHINESE);
        ProjectViewModel zhProject = new ProjectViewModel(engine, runner, errors, zh);
        CompareViewModel zhCompare = new CompareViewModel(engine, runner, errors, zh);
        DatasetCompareViewModel zhDataset = new DatasetCompareViewModel(engine, runner, errors, zh, zhCompare);
        Path model = RealWorldModels.writeWithDataset(dir, "detector.onnx", RealWorldModels.detector(48, 64, 4), 3, 1, 3, 48, 64);
        zhProject.useModel(model);
        zhProject.run();
        zhCompare.rebuild(zhProject.result(), Map.of());
        List<String> bar = new ArrayList<>();
        runner.status().messageProperty().addListener((o, was, now) -> bar.add(now));
        // as the composition root names every task's steps for a Chinese window
        runner.status().nameSteps(dev.layerwise.app.common.StepNames.in(zh));
        zhDataset.start();
        assertEquals(List.of(), errors.messages);
        String step = zh.get("task.datasetCompare") + " \u00b7 " + zh.get("step.engine.comparing") + " ";
        assertTrue(bar.stream().anyMatch(m -> m.startsWith(step)), bar.toString());
        assertTrue(bar.stream().noneMatch(m -> m.contains("comparing")), bar.toString());
    }
}
