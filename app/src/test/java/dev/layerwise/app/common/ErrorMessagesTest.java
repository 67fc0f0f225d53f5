package dev.layerwise.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.layerwise.core.onnx.DynamicInputException;
import dev.layerwise.core.onnx.ModelLoadException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The engine's errors in the window's words: the Input shape field where the command line has its option. */
class ErrorMessagesTest {

    private static final DynamicInputException DYNAMIC = new DynamicInputException(
            "m.onnx: input 'x' has a dynamic dimension 'h' at position 2 (1x3xhxw)", "x=1,3,640,640");

    @Test
    void aMissingInputSizeAsksForTheSidebarsFieldInTheWindowsLanguage() {
        assertEquals("Could not open the model: m.onnx: input 'x' has a dynamic dimension 'h' at position 2 (1x3xhxw); "
                + "type its size into the sidebar\u2019s Input shape field and run again, e.g. x=1,3,640,640",
                new ErrorMessages(new Messages(Locale.ENGLISH)).describe(DYNAMIC));
        assertEquals("\u65e0\u6cd5\u6253\u5f00\u6a21\u578b\uff1am.onnx: input 'x' has a dynamic dimension 'h' at position 2 (1x3xhxw); "
                + "\u8bf7\u5728\u4fa7\u680f\u7684\u201c\u8f93\u5165\u5f62\u72b6\u201d\u4e2d\u586b\u5199\u5176\u5c3a\u5bf8"
                + "\u540e\u91cd\u65b0\u8fd0\u884c\uff0c\u4f8b\u5982 x=1,3,640,640",
                new ErrorMessages(new Messages(Locale.SIMPLIFIED_CHINESE)).describe(DYNAMIC));
    }

    @Test
    void aFailedOpenAsksToOpenTheModelAgainOnceTheSizeIsTyped() {
        Messages english = new Messages(Locale.ENGLISH);
        assertEquals(english.get("error.openHeadline", "m.onnx") + "\n"
                + "Could not open the model: m.onnx: input 'x' has a dynamic dimension 'h' at position 2 (1x3xhxw); "
                + "type its size into the sidebar\u2019s Input shape field and open the model again, e.g. x=1,3,640,640",
                new ErrorMessages(english).describeOpen(Path.of("m.onnx"), DYNAMIC));
    }

    @Test
    void otherMessagesNamingTheOptionNameTheFieldInstead() {
        ModelLoadException e = new ModelLoadException("m.onnx: --input-shape names input 'y', but the model's inputs are x");
        assertEquals("Could not open the model: m.onnx: the Input shape field names input 'y', but the model's inputs are x",
                new ErrorMessages(new Messages(Locale.ENGLISH)).describe(e));
    }
}
