package dev.layerwise.core.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A board's outputs against the host's, with the numbers worked out by hand. */
class OutputCheckTest {

    private static FloatTensor t(long[] shape, float... v) {
        return new FloatTensor(shape, v);
    }

    @Test
    void aBoxMapIsJudgedByItsRangeAndCosineNotByATopK() {
        // a·b = 3*4 + 4*3 = 24, |a| = |b| = 5: cosine 0.96; a - b = (-1, 1, 0, 0): euclidean sqrt 2, max 1
        OutputCheck c = OutputCheck.compare(List.of(t(new long[] {1, 2, 1, 2}, 3, 4, 0, 0)),
                Map.of("boxes", t(new long[] {1, 2, 1, 2}, 4, 3, 0, 0)), 5, null).get(0);
        assertFalse(c.classVector());
        assertNull(c.top());
        assertEquals("boxes", c.name());
        assertEquals(0.0, c.min());
        assertEquals(4.0, c.max());
        assertEquals(0.96, c.metrics().cosine(), 1e-9);
        assertEquals(Math.sqrt(2), c.metrics().euclidean(), 1e-9);
        assertEquals(1.0, c.maxAbsError(), 1e-9);
        assertTrue(c.agrees(0.95));
        assertFalse(c.agrees(0.99));
        assertEquals("boxes 1x2x1x2: values 0.00000 .. 4.00000, cosine 0.960000, max |diff| 1.00000 against the host", c.summary());
    }

    @Test
    void aClassVectorIsJudgedByItsTop1EvenWhenItIsNotTheFirstOutput() {
        Map<String, FloatTensor> host = new LinkedHashMap<>();
        host.put("loc", t(new long[] {1, 4, 2}, 1, 2, 3, 4, 5, 6, 7, 8));
        host.put("score", t(new long[] {1, 3}, 0, 2, 1));
        List<OutputCheck> checks = OutputCheck.compare(List.of(t(new long[] {1, 4, 2}, 1, 2, 3, 4, 5, 6, 7, 8),
                t(new long[] {1, 3}, 0, 1, 2)), host, 5, null);
        assertFalse(checks.get(0).classVector());
        assertTrue(checks.get(0).agrees(0.999999));
        OutputCheck score = checks.get(1);
        assertTrue(score.classVector());
        assertEquals(2, score.top().top1().index());
        assertEquals(1, score.hostTop().top1().index());
        assertFalse(score.top1Agrees());
        assertFalse(score.agrees(0.0), "a class vector agrees by its top-1, whatever the cosine");
        // softmax(0, 1, 2) = (0.0900, 0.2447, 0.6652)
        assertEquals(0.665241, score.top().top1().score(), 1e-6);
    }

    @Test
    void anOutputOfAnotherSizeOrOneTheRunnerDidNotReturnIsAProblemNotANumber() {
        Map<String, FloatTensor> host = new LinkedHashMap<>();
        host.put("a", t(new long[] {1, 2, 2}, 1, 2, 3, 4));
        host.put("b", t(new long[] {1, 1, 2}, 1, 2));
        List<OutputCheck> checks = OutputCheck.compare(List.of(t(new long[] {1, 5}, 1, 2, 3, 4, 5)), host, 5, null);
        assertEquals(2, checks.size());
        assertNull(checks.get(0).metrics());
        assertEquals("5 values (1x5), the host's has 4 (1x2x2)", checks.get(0).problem());
        assertFalse(checks.get(0).agrees(0));
        assertEquals("b", checks.get(1).name());
        assertEquals("not returned by the runner", checks.get(1).problem());
        assertEquals("b 1x1x2: not returned by the runner", checks.get(1).summary());
    }

    @Test
    void theValueRangeIsTheTensorsOwnMinMaxWhichSkipsNaN() {
        FloatTensor board = t(new long[] {1, 4}, 2, Float.NaN, -1, 0.5f);
        OutputCheck c = OutputCheck.compare(List.of(board), Map.of(), 5, null).get(0);
        assertEquals(-1.0, c.min());
        assertEquals(2.0, c.max());
        assertEquals(board.minMax()[0], (float) c.min());
        assertEquals(board.minMax()[1], (float) c.max());
    }
}
