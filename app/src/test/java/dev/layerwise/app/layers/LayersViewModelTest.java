package dev.layerwise.app.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.layers.LayersViewModel.TypeChange;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.project.ProjectViewModel;
import dev.layerwise.app.project.RecordingErrors;
import dev.layerwise.app.project.RunResult;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.sample.ShuffleNetV2Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Layers view model on the sample's run: ticks as typed events, batches, CSV. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayersViewModelTest {

    private final RecordingErrors errors = new RecordingErrors();
    private final CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
    private final Messages messages = new Messages(Locale.ENGLISH);
    private final List<TypeChange> heard = new ArrayList<>();
    private RunResult run;
    private LayersViewModel layers;

    @BeforeAll
    void runTheSampleOnce() {
        Path sample = SampleModel.locate();
        assertNotNull(sample, "sample model not found");
        ProjectViewModel project = new ProjectViewModel(new CoreEngine(), runner, errors, messages);
        project.useSample(sample);
        project.run();
        assertEquals(List.of(), errors.messages);
        run = project.result();
        layers = new LayersViewModel(runner, errors, messages);
        layers.onTypeChange(heard::add);
    }

    @BeforeEach
    void freshRows() {
        layers.filterProperty().set("");
        layers.thresholdProperty().set(LayersViewModel.DEFAULT_THRESHOLD);
        layers.show(run);
        layers.clearPromotions();
        layers.markOpened(Map.of(), LayersViewModel.DEFAULT_THRESHOLD);
        heard.clear();
    }

    /** The layers under {@code threshold}, counted straight from the analysis, not through the rows. */
    private List<String> under(double threshold) {
        return run.analysis().layers().stream().filter(l -> l.individual().cosine() < threshold).map(l -> l.name()).toList();
    }

    @Test
    void toolkit2PromotesToItsOwnTypesOnlyAndRkNNToolkitAlsoToFloat32() {
        LayersViewModel own = new LayersViewModel(runner, errors, messages);
        own.useToolkit(Toolkit.TOOLKIT2);
        // a Toolkit2 cfg takes int8, int16 and float16: a float32 pick could not be exported
        assertEquals(List.of(QuantType.DYNAMIC_FIXED_POINT_I16, QuantType.FLOAT16), own.promotionChoices());
        assertEquals(QuantType.FLOAT16, own.promoteTypeProperty().get());
        own.useToolkit(Toolkit.TOOLKIT1);
        assertEquals(List.of(QuantType.DYNAMIC_FIXED_POINT_I16, QuantType.FLOAT16, QuantType.FLOAT32), own.promotionChoices());
        assertEquals(QuantType.DYNAMIC_FIXED_POINT_I16, own.promoteTypeProperty().get());
    }

    @Test
    void theThresholdDecidesTheRedRowsTheirCountAndWhatTickAllTicks() {
        for (double t : new double[] {0.95, 0.999, 1.0, 0.994, 0.99999}) {
            layers.thresholdProperty().set(t);
            List<String> expected = under(t);
            assertEquals(expected.size(), layers.unfriendlyCountProperty().get(), "count at " + t);
            assertEquals(expected, layers.rows().stream().filter(LayerRow::isUnfriendly).map(LayerRow::name).toList(),
                    "red rows at " + t);
        }
        layers.thresholdProperty().set(0.99999);
        layers.promoteUnfriendly();
        assertEquals(under(0.99999), List.copyOf(layers.types().keySet()));
        assertTrue(under(0.99999).size() > under(0.99).size(), under(0.99999).size() + " layers under 0.99999, "
                + under(0.99).size() + " under 0.99");
    }

    @Test
    void undoTakesBackATickOrATickAllAndRedoDoesItAgain() {
        layers.toggle("Conv_117");
        layers.promoteUnfriendly();
        Map<String, QuantType> all = layers.types();
        assertTrue(all.size() > 1);
        layers.undo();
        assertEquals(Map.of("Conv_117", QuantType.DYNAMIC_FIXED_POINT_I16), layers.types());
        layers.undo();
        assertEquals(Map.of(), layers.types());
        assertFalse(layers.canUndoProperty().get());
        layers.redo();
        layers.redo();
        assertEquals(all, layers.types());
        assertFalse(layers.canRedoProperty().get());
        layers.undo();
        layers.toggle("Conv_162");
        assertFalse(layers.canRedoProperty().get(), "a new tick forgets what was undone");
        assertEquals(Map.of("Conv_117", QuantType.DYNAMIC_FIXED_POINT_I16, "Conv_162", QuantType.DYNAMIC_FIXED_POINT_I16),
                layers.types());
        assertEquals(heard.get(heard.size() - 1).picks(), layers.types(), "an undo is announced like any change of picks");
    }

    @Test
    void picksAndThresholdAreUnsavedUntilSavedOrBackToTheSavedState() {
        assertFalse(layers.unsavedProperty().get());
        layers.toggle("Conv_117");
        assertTrue(layers.unsavedProperty().get());
        layers.undo();
        assertFalse(layers.unsavedProperty().get(), "back to what the file holds");
        layers.thresholdProperty().set(0.95);
        assertTrue(layers.unsavedProperty().get());
        layers.markSaved(layers.types(), 0.95);
        assertFalse(layers.unsavedProperty().get());
    }

    @Test
    void aLayerTheFilterHidesGivesTheSelectionToTheWorstLayerShown() {
        layers.selectedLayerProperty().set("Conv_117");
        layers.filterProperty().set("Conv_162");
        assertEquals("Conv_162", layers.selectedLayerProperty().get());
        layers.filterProperty().set("no such layer");
        assertNull(layers.selectedLayerProperty().get());
        assertEquals(0, layers.filteredRows().size());
    }

    @Test
    void picksFromAFileReplaceThePicksOfTheRunBefore() {
        layers.toggle("Conv_117");
        layers.setPendingTypes(Map.of());
        layers.show(run);
        assertEquals(Map.of(), layers.types(), "an opened file without picks clears them");
        layers.setPendingTypes(Map.of("Conv_162", QuantType.FLOAT32));
        layers.show(run);
        assertEquals(Map.of("Conv_162", QuantType.FLOAT32), layers.types());
        assertFalse(layers.unsavedProperty().get(), "picks just read from a file are saved ones");
    }

    @Test
    void aTickIsOneEventNamingTheLayerAndItsNewType() {
        layers.toggle("Conv_117");
        assertEquals(1, heard.size());
        TypeChange c = heard.get(0);
        assertEquals("Conv_117", c.layer());
        assertEquals(QuantType.DYNAMIC_FIXED_POINT_I16, c.type());
        assertEquals(Map.of("Conv_117", QuantType.DYNAMIC_FIXED_POINT_I16), c.picks());
        assertSame(run, c.run());

        layers.toggle("Conv_117");
        assertEquals(2, heard.size());
        assertEquals(QuantType.ASYMMETRIC_AFFINE_U8, heard.get(1).type());
        assertEquals(Map.of(), heard.get(1).picks());
    }

    @Test
    void picksInTheDtypeCellUseThatType() {
        layers.row("Conv_117").typeProperty().set(QuantType.FLOAT32);
        assertEquals(QuantType.FLOAT32, heard.get(heard.size() - 1).type());
        assertTrue(layers.row("Conv_117").isPromoted());
    }

    @Test
    void tickingEveryUnfriendlyLayerIsOneEventWithAllPicks() {
        layers.promoteUnfriendly();
        assertEquals(1, heard.size());
        assertNull(heard.get(0).layer());
        assertTrue(heard.get(0).picks().keySet().containsAll(ShuffleNetV2Sample.PLANTED_LAYERS), heard.get(0).picks().toString());
        layers.promoteUnfriendly();
        assertEquals(1, heard.size(), "nothing changed, nothing to rebuild");
    }

    @Test
    void typesFromACfgReplaceThePicksInOneEvent() {
        layers.toggle("Conv_117");
        heard.clear();
        layers.setTypes(Map.of("Conv_162", QuantType.FLOAT32));
        assertEquals(1, heard.size());
        assertEquals(Map.of("Conv_162", QuantType.FLOAT32), heard.get(0).picks());
    }

    @Test
    void aNewRunKeepsThePicksAndAnnouncesThem() {
        layers.toggle("Conv_117");
        heard.clear();
        layers.show(run);
        assertEquals(1, heard.size());
        assertNull(heard.get(0).layer());
        assertEquals(Map.of("Conv_117", QuantType.DYNAMIC_FIXED_POINT_I16), heard.get(0).picks());
    }

    @Test
    void csvQuotesNamesWithCommasAndUsesDotDecimals() {
        LayerRow row = new LayerRow(0, "a,b", "Conv", "y\"1", "1x8", 0.5, 0.25, 1.5, QuantType.ASYMMETRIC_AFFINE_U8,
                () -> QuantType.DYNAMIC_FIXED_POINT_I16);
        assertEquals("index,layer,op,output,shape,dtype,individual_cosine,entire_cosine,euclidean\n"
                + "0,\"a,b\",Conv,\"y\"\"1\",1x8,asymmetric_affine-u8,0.500000,0.250000,1.500000\n", LayersViewModel.csv(List.of(row)));
    }
}
