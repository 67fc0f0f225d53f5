package dev.layerwise.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayoutTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', nullValues = "none", value = {
        "1 3 224 224; NCHW",
        "-1 3 -1 -1;  NCHW",
        "1 1 28 28;   NCHW",
        "1 224 224 3; NHWC",
        "0 28 28 1;   NHWC",
        "1 4 8 8;     NCHW",
        "1 3 3 3;     NCHW",
        "1 3 8 4;     NCHW",
        "1 5 6 7;     none",
        "1 -1 -1 -1;  none",
        "1 3 224;     none",
    })
    void channelsAreTheDimensionOf1Or3Or4PreferringNchw(String shape, Layout expected) {
        long[] dims = Arrays.stream(shape.trim().split(" ")).mapToLong(Long::parseLong).toArray();
        assertEquals(expected, Layout.detect(dims));
    }
}
