package dev.layerwise.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.runtime.ModelImport;
import dev.layerwise.core.runtime.ShapeProbe;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputShapesTest {

    @Test
    void parsesNamesWithEqualsSignsAndKeepsTheOrder() {
        InputShapes s = InputShapes.parse(List.of("x=1,3,96,128", "a=b:0=1, 2"));
        assertArrayEquals(new long[] {1, 3, 96, 128}, s.shapes().get("x"));
        assertArrayEquals(new long[] {1, 2}, s.shapes().get("a=b:0"));
        assertEquals(List.of("x=1,3,96,128", "a=b:0=1,2"), s.format());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x                | expected NAME=1,3,640,640 (or 1,3,640,640 when the model has one input)",
        "1,3,0,64         | '0' is not a positive whole number",
        "=1,3             | expected NAME=1,3,640,640",
        "x=1,3,0,640      | '0' is not a positive whole number",
        "x=1,3,h,640      | 'h' is not a positive whole number"})
    void badEntriesAreNamed(String entry, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputShapes.parse(List.of(entry)));
        assertTrue(e.getMessage().startsWith("--input-shape '" + entry + "'") && e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void aDynamicModelIsRefusedWithTheOptionThatFixesIt() {
        DynamicInputException e = assertThrows(DynamicInputException.class, () -> Project.of(RealWorldModels.dynamicSizeDetector()));
        assertEquals("model: input 'x' has a dynamic dimension 'h' at position 2 (1x3xhxw); fix its size with "
                + "--input-shape x=1,3,640,640", e.getMessage());
        // the parts, for a front end that names its own way to give the size
        assertEquals("model: input 'x' has a dynamic dimension 'h' at position 2 (1x3xhxw)", e.problem());
        assertEquals("x=1,3,640,640", e.example());
    }

    @Test
    void fixedSizesReachEveryLayer() throws Exception {
        OnnxModel m = ModelImport.prepare(RealWorldModels.dynamicSizeDetector(), InputShapes.parse(List.of("x=1,3,96,128")),
                w -> { });
        LayerGraph g = ShapeProbe.layerGraph(m);
        assertArrayEquals(new long[] {1, 3, 96, 128}, g.inputs().get(0).shape());
        assertArrayEquals(new long[] {1, 1, 96, 128}, g.shapeOf("sigmoid_0.tmp_0"));
        assertArrayEquals(new long[] {1, 16, 24, 32}, g.shapeOf("b2r"));
    }

    @Test
    void anUnknownInputNameListsTheModelsInputs() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelImport.prepare(
                RealWorldModels.dynamicSizeDetector(), InputShapes.parse(List.of("image=1,3,96,128")), w -> { }));
        assertEquals("model: --input-shape names input 'image', but the model's inputs are x", e.getMessage());
    }

    @Test
    void aSizeThatContradictsAFixedDimensionIsRefused() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelImport.prepare(
                RealWorldModels.dynamicSizeDetector(), InputShapes.parse(List.of("x=1,1,96,128")), w -> { }));
        assertEquals("model: --input-shape sets dimension 1 of input 'x' to 1, but the model fixes it at 3 (1x3xhxw)",
                e.getMessage());
        ModelLoadException rank = assertThrows(ModelLoadException.class, () -> ModelImport.prepare(
                RealWorldModels.dynamicSizeDetector(), InputShapes.parse(List.of("x=3,96,128")), w -> { }));
        assertTrue(rank.getMessage().contains("gives input 'x' 3 dimensions, the model declares 4"), rank.getMessage());
    }

    @Test
    void aShapeWithoutANameFixesTheOnlyInput() throws Exception {
        InputShapes s = InputShapes.parse(List.of("1,3,96,128"));
        assertEquals(List.of("1,3,96,128"), s.format(), "written back as given");
        OnnxModel m = ModelImport.prepare(RealWorldModels.dynamicSizeDetector(), s, w -> { });
        LayerGraph g = ShapeProbe.layerGraph(m);
        assertArrayEquals(new long[] {1, 3, 96, 128}, g.inputs().get(0).shape());
        assertArrayEquals(new long[] {1, 1, 96, 128}, g.shapeOf("sigmoid_0.tmp_0"));
    }

    @Test
    void aShapeWithoutANameIsRefusedForAModelWithSeveralInputsNamingThem() {
        dev.layerwise.core.TestModels.Builder b = new dev.layerwise.core.TestModels.Builder(3)
                .dynamicInput("left", 1, 3, "h", "w").dynamicInput("right", 1, 3, "h", "w");
        b.op("Add", "add", List.of("left", "right"), "sum");
        OnnxModel model = b.output("sum").build(13);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelImport.prepare(model,
                InputShapes.parse(List.of("1,3,64,64")), w -> { }));
        assertEquals("model: --input-shape 1,3,64,64 names no input, but the model has 2 inputs (left, right); write "
                + "NAME=1,3,64,64", e.getMessage());
    }

    @Test
    void twoShapesForTheOnlyInputAreRefused() {
        IllegalArgumentException twoUnnamed = assertThrows(IllegalArgumentException.class,
                () -> InputShapes.parse(List.of("1,3,64,64", "1,3,96,96")));
        assertEquals("--input-shape gives two shapes without an input name", twoUnnamed.getMessage());
        ModelLoadException both = assertThrows(ModelLoadException.class, () -> ModelImport.prepare(
                RealWorldModels.dynamicSizeDetector(), InputShapes.parse(List.of("1,3,64,64", "x=1,3,96,96")), w -> { }));
        assertEquals("model: --input-shape gives input 'x' two shapes, one without its name", both.getMessage());
    }
}
