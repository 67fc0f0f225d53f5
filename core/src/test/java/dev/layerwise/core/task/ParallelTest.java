package dev.layerwise.core.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {

    /** A sum whose result depends on the order of its terms, as a layer's float sums do. */
    private static double orderSensitiveSum(int seed) {
        double s = 0;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            s += r.nextDouble() * Math.pow(10, r.nextInt(-8, 9));
        }
        return s;
    }

    @Test
    void everyItemRunsOnceAndGivesTheSerialLoopsResult() throws Exception {
        int n = 37;
        double[] serial = new double[n];
        for (int i = 0; i < n; i++) {
            serial[i] = orderSensitiveSum(i);
        }
        double[] parallel = new double[n];
        AtomicInteger runs = new AtomicInteger();
        Parallel.forEach(n, 3, i -> {
            runs.incrementAndGet();
            parallel[i] = orderSensitiveSum(i);
        });
        assertEquals(n, runs.get());
        assertArrayEquals(serial, parallel);
    }

    @Test
    void oneThreadRunsOnTheCallerInOrder() throws Exception {
        StringBuilder order = new StringBuilder();
        Thread caller = Thread.currentThread();
        Parallel.forEach(4, 1, i -> {
            assertEquals(caller, Thread.currentThread());
            order.append(i);
        });
        assertEquals("0123", order.toString());
    }

    @Test
    void aFailingItemIsThrownAfterEveryThreadHasStopped() {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger afterwards = new AtomicInteger(-1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try {
                Parallel.forEach(50, 2, i -> {
                    active.incrementAndGet();
                    try {
                        if (i == 3) {
                            throw new IllegalStateException("item 3 failed");
                        }
                        orderSensitiveSum(i);
                    } finally {
                        active.decrementAndGet();
                    }
                });
            } finally {
                afterwards.set(active.get());
            }
        });
        assertEquals("item 3 failed", e.getMessage());
        assertEquals(0, afterwards.get());
    }

    @Test
    void noItemsIsNothingToDo() throws Exception {
        Parallel.forEach(0, 2, i -> {
            throw new AssertionError("no item expected");
        });
    }
}
