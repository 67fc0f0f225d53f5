package dev.layerwise.app.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.core.engine.AnalysisSession;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.onnx.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workbench opens the bundled sample while JavaFX starts: the first open of that file takes
 * the session opened ahead, every other open reads its file as before, and a file that changed or
 * failed meanwhile is opened again, its error reported by that open.
 */
class OpenAheadTest {

    @TempDir
    Path dir;

    @Test
    void theFirstOpenWithoutInputShapesTakesTheModelOpenedAheadAndLaterOpensReadTheFileAgain() throws Exception {
        Path model = Files.copy(SampleModel.locate(), dir.resolve("model.onnx"));
        CoreEngine.openAhead(model);
        assertTrue(CoreEngine.isOpeningAhead(model));
        CoreEngine engine = new CoreEngine();

        // an open with input shapes is another project: the one opened ahead stays for the plain open
        AnalysisSession shaped = engine.open(model, InputShapes.parse(List.of("input=1,3,224,224")));
        assertTrue(CoreEngine.isOpeningAhead(model));

        AnalysisSession first = engine.open(model, InputShapes.NONE);
        assertFalse(CoreEngine.isOpeningAhead(model), "taken by the first plain open");
        AnalysisSession again = engine.open(model, InputShapes.NONE);
        assertNotSame(first, again);
        // a complete open: the same layers, shapes and ops as one made the usual way
        List<String> expected = again.project().graph().layers().stream().map(l -> l.name() + " " + l.op() + " "
                + l.shapeText()).toList();
        assertEquals(expected, first.project().graph().layers().stream().map(l -> l.name() + " " + l.op() + " "
                + l.shapeText()).toList());
        assertEquals(expected.size(), shaped.project().graph().layers().size());
    }

    @Test
    void aModelReplacedAfterItWasOpenedAheadIsOpenedAgainAndItsErrorReportedByThatOpen() throws Exception {
        Path model = Files.copy(SampleModel.locate(), dir.resolve("model.onnx"));
        CoreEngine.openAhead(model);
        Files.writeString(model, "not a model");
        Files.setLastModifiedTime(model, FileTime.fromMillis(Files.getLastModifiedTime(model).toMillis() + 60_000));

        CoreEngine engine = new CoreEngine();
        Exception usual = assertThrows(ModelLoadException.class, () -> AnalysisSession.open(model, null, InputShapes.NONE));
        Exception taken = assertThrows(ModelLoadException.class, () -> engine.open(model, InputShapes.NONE));
        assertEquals(usual.getMessage(), taken.getMessage());
        assertFalse(CoreEngine.isOpeningAhead(model));
    }

    @Test
    void anOpenOfAnotherModelDropsTheOneOpenedAhead() throws Exception {
        Path model = Files.copy(SampleModel.locate(), dir.resolve("ahead.onnx"));
        Path other = Files.copy(SampleModel.locate(), dir.resolve("other.onnx"));
        CoreEngine.openAhead(model);
        assertTrue(CoreEngine.isOpeningAhead(model));
        new CoreEngine().open(other, InputShapes.NONE);
        assertFalse(CoreEngine.isOpeningAhead(model), "not held once the window opened another model");
    }
}
