package dev.layerwise.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopKTest {

    private static TopK top(double[][] entries) {
        return new TopK(java.util.Arrays.stream(entries).map(e -> new TopK.Entry((int) e[0], null, e[1])).toList());
    }

    @Test
    void scoreOfAClassNotListedIsNaN() {
        TopK t = top(new double[][] {{3, 0.5}, {1, 0.25}});
        assertEquals(0.25, t.scoreOf(1));
        assertTrue(Double.isNaN(t.scoreOf(2)));
    }

    @Test
    void largestDeltaLooksOnlyAtSharedClasses() {
        // shared: 3 (|0.50 - 0.40| = 0.10) and 1 (|0.25 - 0.45| = 0.20); 7 and 9 are in one list only
        TopK board = top(new double[][] {{3, 0.50}, {1, 0.25}, {7, 0.20}});
        TopK host = top(new double[][] {{1, 0.45}, {3, 0.40}, {9, 0.10}});
        assertEquals(0.20, board.largestDelta(host), 1e-12);
        assertEquals(0.20, host.largestDelta(board), 1e-12);
    }

    @Test
    void listsWithNoClassInCommonHaveNoDelta() {
        assertEquals(0.0, top(new double[][] {{1, 0.9}}).largestDelta(top(new double[][] {{2, 0.8}})));
    }

    @Test
    void sameOrderComparesClassIndicesOnly() {
        TopK a = top(new double[][] {{3, 0.5}, {1, 0.25}});
        assertTrue(a.sameOrder(top(new double[][] {{3, 0.6}, {1, 0.1}})));
        assertFalse(a.sameOrder(top(new double[][] {{1, 0.6}, {3, 0.1}})));
        assertEquals(List.of(3, 1), a.entries().stream().map(TopK.Entry::index).toList());
    }
}
