package dev.layerwise.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatedWarningsTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final RepeatedWarnings warnings = new RepeatedWarnings(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aKindIsShownThreeTimesThenNoted() {
        for (int i = 0; i < 500; i++) {
            warnings.accept("img" + i + ".png: " + (100 + i) + "x" + (80 + i) + " resized to 896x512 (model input 'ImageTensor:0')");
        }
        assertEquals(List.of(
                "layerwise: warning: img0.png: 100x80 resized to 896x512 (model input 'ImageTensor:0')",
                "layerwise: warning: img1.png: 101x81 resized to 896x512 (model input 'ImageTensor:0')",
                "layerwise: warning: img2.png: 102x82 resized to 896x512 (model input 'ImageTensor:0')",
                "layerwise: warning: (further files with the same warning are not listed)"), lines());
    }

    @Test
    void threeOfAKindNeedNoNote() {
        for (int i = 0; i < 3; i++) {
            warnings.accept("img" + i + ".png: 224x224 resized to 896x512 (model input 'x')");
        }
        assertEquals(3, lines().size(), lines().toString());
    }

    @Test
    void otherKindsAreShownOnTheirOwn() {
        for (int i = 0; i < 4; i++) {
            warnings.accept("a" + i + ".png: transparent pixels; alpha dropped for model input 'x' with 3 channels");
            warnings.accept("b" + i + ".png: 7x5 resized to 2x2 (model input 'x')");
        }
        warnings.accept("c.npy: uint8 array has the shape of model input 'x' and is fed raw");
        List<String> l = lines();
        assertEquals(9, l.size(), l.toString());
        assertEquals(3, l.stream().filter(s -> s.contains("alpha dropped")).count());
        assertEquals(3, l.stream().filter(s -> s.contains("resized")).count());
        assertEquals("layerwise: warning: c.npy: uint8 array has the shape of model input 'x' and is fed raw", l.get(8));
    }
}
