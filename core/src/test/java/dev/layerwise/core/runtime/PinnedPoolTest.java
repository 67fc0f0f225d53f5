package dev.layerwise.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.layerwise.core.TestModels;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PinnedPoolTest {

    private static Map<String, long[]> outputs(OnnxSession s) throws Exception {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        s.floatOutputShapes().forEach((name, shape) -> shapes.put(name, shape));
        return shapes;
    }

    @Test
    void aSetGivenBackIsLentAgainForTheSameOutputsOnlyAndTheBoundIsKept() throws Exception {
        try (OnnxSession s = OnnxSession.create(TestModels.smallCnn().toBytes(), "small", OptLevel.ALL_OPT);
                PinnedPool pool = new PinnedPool(1 << 20)) {
            Map<String, long[]> shapes = outputs(s);
            OnnxSession.Pinned a = pool.take(s, shapes);
            long bytes = a.bytes();
            long expected = 0;
            for (long[] shape : shapes.values()) {
                long n = 1;
                for (long d : shape) {
                    n *= d;
                }
                expected += 4 * n;
            }
            assertEquals(expected, bytes, "four bytes a float, every output");
            // a run through a set taken again: the same set, and the outputs of this run
            var feed = Map.of("input", TestModels.smallInput(3));
            s.run(feed, a);
            float[] first = a.copy(shapes.keySet().iterator().next()).data();
            pool.giveBack(a);
            assertEquals(a.bytes(), pool.keptBytes(), "kept, with its input's buffer");
            OnnxSession.Pinned b = pool.take(s, shapes);
            assertSame(a, b);
            assertEquals(0, pool.keptBytes());
            s.run(Map.of("input", TestModels.smallInput(4)), b);
            float[] second = b.copy(shapes.keySet().iterator().next()).data();
            s.run(feed, b);
            assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(b.copy(shapes.keySet().iterator().next()).data()));
            assertEquals(false, java.util.Arrays.equals(first, second), "another input, other outputs");

            // another set of outputs is another set; one set a kind is kept
            Map<String, long[]> other = new LinkedHashMap<>();
            shapes.forEach((name, shape) -> other.put(name, new long[] {1, 2}));
            OnnxSession.Pinned c = pool.take(s, other);
            assertNotSame(b, c);
            OnnxSession.Pinned d = pool.take(s, shapes);
            assertNotSame(b, d);
            pool.giveBack(b);
            pool.giveBack(d);
            assertEquals(b.bytes(), pool.keptBytes(), "the second set of the same outputs is closed, not kept");
            pool.giveBack(c);
            assertEquals(b.bytes() + c.bytes(), pool.keptBytes());
        }
    }

    @Test
    void theSetsKeptLongestMakeRoomForOneGivenBack() throws Exception {
        try (OnnxSession s = OnnxSession.create(TestModels.smallCnn().toBytes(), "small", OptLevel.ALL_OPT)) {
            Map<String, long[]> a = Map.of("a", new long[] {1, 100});
            Map<String, long[]> b = Map.of("b", new long[] {1, 100});
            Map<String, long[]> c = Map.of("c", new long[] {1, 100});
            try (PinnedPool pool = new PinnedPool(2 * 400)) {
                OnnxSession.Pinned setA = pool.take(s, a);
                OnnxSession.Pinned setB = pool.take(s, b);
                OnnxSession.Pinned setC = pool.take(s, c);
                pool.giveBack(setA);
                pool.giveBack(setB);
                assertEquals(800, pool.keptBytes());
                // a third set of other outputs (another plan's): the oldest is closed for it
                pool.giveBack(setC);
                assertEquals(800, pool.keptBytes());
                assertNotSame(setA, pool.take(s, a), "a was closed to make room");
                assertSame(setB, pool.take(s, b));
                assertSame(setC, pool.take(s, c));
            }
        }
    }

    @Test
    void setsBeyondTheBoundOrAfterCloseAreNotKept() throws Exception {
        try (OnnxSession s = OnnxSession.create(TestModels.smallCnn().toBytes(), "small", OptLevel.ALL_OPT)) {
            Map<String, long[]> shapes = outputs(s);
            PinnedPool small = new PinnedPool(16);
            OnnxSession.Pinned a = small.take(s, shapes);
            small.giveBack(a);
            assertEquals(0, small.keptBytes(), "larger than the bound");
            assertNotSame(a, small.take(s, shapes));

            PinnedPool pool = new PinnedPool(1 << 20);
            OnnxSession.Pinned b = pool.take(s, shapes);
            pool.close();
            pool.giveBack(b);
            assertEquals(0, pool.keptBytes(), "a closed pool keeps nothing");
            small.close();
        }
    }
}
