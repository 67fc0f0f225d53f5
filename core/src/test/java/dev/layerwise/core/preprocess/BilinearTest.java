package dev.layerwise.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BilinearTest {

    @ParameterizedTest(name = "{0} -> {1}, index {2}: blend {3} and {4} with weight {5}")
    @CsvSource({
        // halving: each output sits between two inputs
        "4, 2, 0, 0, 1, 0.5",
        "4, 2, 1, 2, 3, 0.5",
        // doubling: outermost outputs clamp to the edge pixels
        "2, 4, 0, 0, 0, 0",
        "2, 4, 1, 0, 1, 0.25",
        "2, 4, 2, 0, 1, 0.75",
        "2, 4, 3, 1, 1, 0",
        // same size reads each pixel once
        "5, 5, 0, 0, 0, 0",
        "5, 5, 4, 4, 4, 0",
        // shrinking to one pixel samples the centre
        "3, 1, 0, 1, 1, 0",
        "4, 1, 0, 1, 2, 0.5",
    })
    void samplesAtHalfPixelCentresLikeOpenCv(int src, int dst, int index, int lo, int hi, float weight) {
        Bilinear.Axis axis = Bilinear.axis(src, dst);
        assertEquals(dst, axis.size());
        assertEquals(lo, axis.lo()[index]);
        assertEquals(hi, axis.hi()[index]);
        assertEquals(weight, axis.weight()[index]);
    }
}
