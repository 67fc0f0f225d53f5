package dev.layerwise.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.runtime.TopK;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareColumnTest {

    private static TopK top(int[] idx, double[] scores) {
        List<TopK.Entry> e = new java.util.ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            e.add(new TopK.Entry(idx[i], "c" + idx[i], scores[i]));
        }
        return new TopK(e);
    }

    @Test
    void deltasAreAgainstTheSameClassInTheFloatTop5() {
        TopK f = top(new int[] {155, 154, 677}, new double[] {0.97, 0.02, 0.001});
        TopK q = top(new int[] {155, 154, 368}, new double[] {0.78, 0.08, 0.002});
        CompareColumn c = CompareViewModel.column("normal", "Normal", false, q, 0.8, f);
        assertEquals(0.78 - 0.97, c.entries().get(0).delta(), 1e-12);
        assertEquals(0.08 - 0.02, c.entries().get(1).delta(), 1e-12);
        assertTrue(Double.isNaN(c.entries().get(2).delta()), "368 is not in the float top-5");
    }

    @Test
    void entriesRankedDifferentlyFromFloatAreMarked() {
        TopK f = top(new int[] {1, 2, 3}, new double[] {0.5, 0.3, 0.2});
        TopK q = top(new int[] {2, 1, 3}, new double[] {0.5, 0.3, 0.2});
        CompareColumn c = CompareViewModel.column("hybrid", "Hybrid", false, q, 0.9, f);
        assertTrue(c.top1Differs());
        assertTrue(c.entries().get(0).differs());
        assertTrue(c.entries().get(1).differs());
        assertFalse(c.entries().get(2).differs());
    }
}
