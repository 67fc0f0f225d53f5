package dev.layerwise.app.project;

import dev.layerwise.app.WindowlessWorkbench;
import dev.layerwise.app.Workbench;
import dev.layerwise.app.engine.CoreEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.compare.CompareColumn;
import dev.layerwise.app.compare.CompareViewModel;
import dev.layerwise.app.layers.HistogramModel;
import dev.layerwise.app.layers.LayerRow;
import dev.layerwise.app.layers.LayersViewModel;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.sample.ShuffleNetV2Sample;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The sidebar, Layers and Compare view models on the sample, without a toolkit. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkbenchViewModelsTest {

    private final RecordingErrors errors = new RecordingErrors();
    private final CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
    private final Messages messages = new Messages(Locale.ENGLISH);
    private ProjectViewModel project;
    private LayersViewModel layers;
    private CompareViewModel compare;
    private dev.layerwise.app.workspace.WorkspaceViewModel workspace;

    @BeforeAll
    void runTheSampleOnce() {
        Path sample = SampleModel.locate();
        assertNotNull(sample, "sample model not found");
        // the window's view models as the window wires them
        Workbench wb = WindowlessWorkbench.create(new CoreEngine(), runner, errors, messages);
        project = wb.project();
        layers = wb.layers();
        compare = wb.compare();
        workspace = wb.workspace();
        project.useSample(sample);
        project.run();
        assertEquals(List.of(), errors.messages);
    }

    @Test
    void autoPickTicksOnlyPlantedLayersAndReachesTheTarget() {
        layers.clearPromotions();
        workspace.suggestLayers(0.99);
        assertEquals(List.of(), errors.messages);
        assertTrue(!layers.types().isEmpty(), "something was ticked");
        assertTrue(ShuffleNetV2Sample.PLANTED_LAYERS.containsAll(layers.types().keySet()), layers.types().toString());
        assertTrue(workspace.noticeProperty().get().startsWith("Auto-pick ticked"), workspace.noticeProperty().get());
        assertTrue(compare.column("hybrid").finalCosine() >= 0.99, "the rebuilt hybrid reaches the target: "
                + compare.column("hybrid").finalCosine());
        layers.clearPromotions();
    }

    @Test
    void afterATickTheHybridIsMeasuredLayerByLayerAndEndsAtItsFinalCosine() {
        layers.clearPromotions();
        layers.toggle(ShuffleNetV2Sample.PLANTED_LAYERS.get(0));
        java.util.Map<String, Double> hybrid = layers.hybridEntireProperty().get();
        assertEquals(layers.rows().size(), hybrid.size(), "one hybrid entire cosine per layer");
        String last = layers.rows().get(layers.rows().size() - 1).name();
        // the per-layer analysis of the hybrid and the three-model comparison are separate graphs: they must agree
        assertEquals(compare.column("hybrid").finalCosine(), hybrid.get(last), 1e-4);
        // before the promoted layer the hybrid is the normal model, layer for layer
        LayerRow first = layers.rows().get(0);
        assertEquals(first.entireCosine(), hybrid.get(first.name()), 1e-6);
        assertTrue(layers.hybridStatusProperty().get().startsWith("Hybrid, 1 promoted"), layers.hybridStatusProperty().get());
        layers.clearPromotions();
        assertEquals(java.util.Map.of(), layers.hybridEntireProperty().get(), "no picks, no hybrid line");
    }

    @Test
    void aKeptCandidateStaysBesideTheHybridAsThePicksChange() {
        layers.clearPromotions();
        layers.promoteUnfriendly();
        double all = compare.column("hybrid").finalCosine();
        assertEquals("3 \u00d7 i16", compare.suggestCandidateName());
        compare.keepCandidate(compare.suggestCandidateName());
        layers.clearPromotions();
        layers.toggle(ShuffleNetV2Sample.PLANTED_LAYERS.get(0));
        CompareColumn kept = compare.column("candidate-0");
        assertNotNull(kept, compare.columns().toString());
        assertEquals("3 \u00d7 i16", kept.title());
        assertEquals(all, kept.finalCosine(), 1e-12, "the candidate keeps what its own picks reached");
        assertTrue(compare.column("hybrid").finalCosine() != all, "the hybrid follows the new picks");
        assertEquals(3, compare.candidateOf("candidate-0").picks().size());
        compare.removeCandidate("3 \u00d7 i16");
        assertEquals(null, compare.column("candidate-0"));
        layers.clearPromotions();
    }

    @Test
    void runFillsOneRowPerLayerWithThePlantedLayersLowest() {
        assertEquals(project.result().project().graph().layers().size(), layers.rows().size());
        List<String> lowest = layers.rows().stream().sorted(Comparator.comparingDouble(LayerRow::individualCosine))
                .limit(3).map(LayerRow::name).sorted().toList();
        assertEquals(ShuffleNetV2Sample.PLANTED_LAYERS.stream().sorted().toList(), lowest);
        assertTrue(layers.row(lowest.get(0)).isUnfriendly());
    }

    @Test
    void thresholdDecidesWhichRowsAreUnfriendly() {
        layers.thresholdProperty().set(0.0);
        assertEquals(0, layers.unfriendlyCountProperty().get());
        layers.thresholdProperty().set(1.01);
        assertEquals(layers.rows().size(), layers.unfriendlyCountProperty().get());
        layers.thresholdProperty().set(LayersViewModel.DEFAULT_THRESHOLD);
        assertTrue(layers.unfriendlyCountProperty().get() >= 3);
    }

    @Test
    void filterMatchesNameOrOpCaseInsensitively() {
        layers.filterProperty().set("conv_117");
        assertEquals(List.of("Conv_117"), layers.filteredRows().stream().map(LayerRow::name).toList());
        layers.filterProperty().set("");
        assertEquals(layers.rows().size(), layers.filteredRows().size());
    }

    @Test
    void tickingPlantedLayersMakesHybridTop1CloserToFloat() {
        layers.clearPromotions();
        for (String planted : ShuffleNetV2Sample.PLANTED_LAYERS) {
            layers.toggle(planted);
        }
        assertEquals(3, layers.types().size());
        assertEquals(QuantType.DYNAMIC_FIXED_POINT_I16, layers.types().get("Conv_117"));
        CompareColumn f = compare.column("float");
        CompareColumn n = compare.column("normal");
        CompareColumn h = compare.column("hybrid");
        assertEquals(5, f.entries().size());
        double normalGap = Math.abs(n.top1().score() - f.top1().score());
        double hybridGap = Math.abs(h.top1().score() - f.top1().score());
        assertTrue(hybridGap < normalGap, "hybrid " + h.top1() + " normal " + n.top1() + " float " + f.top1());
        assertTrue(h.finalCosine() > n.finalCosine());
        layers.clearPromotions();
        assertEquals(0, layers.types().size());
    }

    @Test
    void chartClickTicksAndSelectsTheLayer() {
        layers.clearPromotions();
        layers.chartClicked("Conv_128");
        assertTrue(layers.row("Conv_128").isPromoted());
        assertEquals("Conv_128", layers.selectedLayerProperty().get());
        layers.chartClicked("Conv_128");
        assertFalse(layers.row("Conv_128").isPromoted());
    }

    @Test
    void histogramShowsSelectedLayerWithRangeAndClippedShare() {
        layers.selectedLayerProperty().set("Conv_162");
        HistogramModel h = layers.histogramProperty().get();
        assertEquals("Conv_162", h.layer());
        assertEquals(h.values(), java.util.Arrays.stream(h.counts()).sum());
        assertTrue(h.rangeLow() <= 0 && h.rangeHigh() > 0);
        assertTrue(h.clippedShare() >= 0 && h.clippedShare() < 0.5);
        // normal: the chosen range is what calibration saw, nothing of it is cut off
        HistogramModel.CalibrationChoice c = h.calibration();
        assertEquals("normal", c.algorithm());
        assertEquals(c.observedLow(), Math.min(0, c.chosenLow()), 1e-6);
        assertEquals(c.observedHigh(), c.chosenHigh(), 1e-6);
        assertEquals(0, c.clippedShare());
        assertFalse(c.clips());
        assertFalse(c.decisive());
        assertTrue(h.low() <= c.observedLow() && h.high() >= c.observedHigh(), "the axis shows calibration's min/max");
        layers.selectedLayerProperty().set("Gemm_186");
        assertTrue(layers.histogramProperty().get().calibration().decisive(), "the logits decide the answer");
        layers.selectedLayerProperty().set(null);
        assertNull(layers.histogramProperty().get());
    }

    @Test
    void workspaceSaveAndOpenRestoresSettingsAndLayerTypes(@org.junit.jupiter.api.io.TempDir Path dir) {
        layers.clearPromotions();
        layers.toggle("Conv_128");
        layers.thresholdProperty().set(0.985);
        Path file = dir.resolve("sample.layerwise.yaml");
        workspace.saveWorkspace(file);
        layers.clearPromotions();
        layers.thresholdProperty().set(LayersViewModel.DEFAULT_THRESHOLD);
        workspace.openWorkspace(file);
        assertEquals(java.util.Map.of("Conv_128", QuantType.DYNAMIC_FIXED_POINT_I16), layers.types());
        assertEquals(0.985, layers.thresholdProperty().get(), 1e-12);
        assertEquals(SampleModel.locate().toAbsolutePath().normalize(), project.modelProperty().get());
        assertEquals(List.of(), errors.messages);
        layers.clearPromotions();
        layers.thresholdProperty().set(LayersViewModel.DEFAULT_THRESHOLD);
    }

    @Test
    void aWorkspaceWithoutAPromotionTypeTakesItsToolkitsUsualOne(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        layers.clearPromotions();
        for (String toolkit : List.of("2", "1")) {
            Path file = dir.resolve("tk" + toolkit + ".layerwise.yaml");
            dev.layerwise.app.workspace.Workspace.of(new SidebarFields(null, null, null, "", "", "", "", QuantType.ASYMMETRIC_AFFINE_U8,
                    dev.layerwise.core.calibration.CalibrationAlgorithm.NORMAL, dev.layerwise.core.config.Toolkit.parse(toolkit))
                    .withSample(SampleModel.locate())).write(file);
            workspace.openWorkspace(file);
            assertEquals(List.of(), errors.messages);
            assertEquals(toolkit, project.toolkitProperty().get().number());
            assertEquals(toolkit.equals("2") ? QuantType.FLOAT16 : QuantType.DYNAMIC_FIXED_POINT_I16,
                    layers.promoteTypeProperty().get(), "toolkit " + toolkit);
        }
    }

    @Test
    void cfgExportThenImportGivesBackThePicks(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        layers.clearPromotions();
        layers.toggle("Conv_117");
        layers.toggle("Conv_162");
        Path cfg = dir.resolve("shufflenetv2_x1.quantization.cfg");
        workspace.exportCfg(cfg);
        String text = java.nio.file.Files.readString(cfg);
        assertTrue(text.contains("Conv_117: dynamic_fixed_point-i16"), text);
        layers.clearPromotions();
        workspace.importCfg(cfg);
        assertEquals(java.util.Set.of("Conv_117", "Conv_162"), layers.types().keySet());
        assertEquals(List.of(), errors.messages);
        layers.clearPromotions();
    }

    @Test
    void csvExportHasAHeaderAndOneLinePerVisibleRow(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        layers.filterProperty().set("Conv_1");
        Path csv = dir.resolve("layers.csv");
        layers.exportCsv(csv);
        List<String> lines = java.nio.file.Files.readAllLines(csv);
        layers.filterProperty().set("");
        assertTrue(lines.get(0).startsWith("index,layer,op,output,shape,dtype,individual_cosine"));
        assertTrue(lines.size() > 2);
        assertTrue(lines.stream().skip(1).allMatch(l -> l.split(",")[1].startsWith("Conv_1")), lines.toString());
    }

    @Test
    void badPreprocessingIsReportedOnceWithAnActionableMessage() {
        String mean = project.meanProperty().get();
        project.meanProperty().set("1,2,x");
        int before = errors.messages.size();
        project.run();
        project.meanProperty().set(mean);
        assertEquals(before + 1, errors.messages.size());
        assertTrue(errors.messages.get(before).startsWith("Check the settings: mean"), errors.messages.get(before));
        errors.messages.clear();
    }

    @Test
    void typesSetBeforeRowsExistAreAppliedOnTheNextRun() {
        LayersViewModel fresh = new LayersViewModel(runner, errors, messages);
        fresh.setTypes(java.util.Map.of("Conv_117", QuantType.FLOAT32));
        fresh.show(project.result());
        assertEquals(QuantType.FLOAT32, fresh.row("Conv_117").type());
        assertTrue(fresh.row("Conv_117").isPromoted());
    }
}
