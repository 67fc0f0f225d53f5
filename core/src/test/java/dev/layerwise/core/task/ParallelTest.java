package dev.layerwise.core.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /** An {@link Error} an item throws, told apart from the test framework's own. */
    private static final class ItemError extends Error {
        ItemError(String message) {
            super(message);
        }
    }

    /** Items started and items still running, read when forEach has returned and again later. */
    private static final class Tally {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        int runningOnReturn = -1;
        int startedOnReturn = -1;

        /** {@code body} for 30 items on three threads, counted; the counts noted however it ends. */
        void forEach(Parallel.Item body) throws Exception {
            try {
                Parallel.forEach(30, 3, i -> {
                    started.incrementAndGet();
                    running.incrementAndGet();
                    try {
                        body.run(i);
                    } finally {
                        running.decrementAndGet();
                    }
                });
            } finally {
                runningOnReturn = running.get();
                startedOnReturn = started.get();
            }
        }

        void assertNothingRanAfterwards() throws InterruptedException {
            assertEquals(0, runningOnReturn, "items still running when forEach returned");
            Thread.sleep(300);
            assertEquals(startedOnReturn, started.get(), "items started after forEach returned");
        }
    }

    @Test
    void anErrorOnTheCallersThreadIsThrownOnlyAfterTheHelpersItemsHaveFinished() throws Exception {
        Thread caller = Thread.currentThread();
        CountDownLatch helpersBusy = new CountDownLatch(2);
        Tally tally = new Tally();
        ItemError e = assertThrows(ItemError.class, () -> tally.forEach(i -> {
            if (Thread.currentThread() == caller) {
                helpersBusy.await(10, TimeUnit.SECONDS);
                throw new ItemError("caller's item " + i + " failed");
            }
            helpersBusy.countDown();
            Thread.sleep(300);
        }));
        assertTrue(e.getMessage().startsWith("caller's item"), e.getMessage());
        tally.assertNothingRanAfterwards();
    }

    @Test
    void theFirstFailureInTimeIsThrownEvenWhenAHelperThrewItAsAnError() throws Exception {
        Thread caller = Thread.currentThread();
        CountDownLatch callerStarted = new CountDownLatch(1);
        CountDownLatch helperFailed = new CountDownLatch(1);
        AtomicBoolean oneHelperFails = new AtomicBoolean(true);
        Tally tally = new Tally();
        ItemError e = assertThrows(ItemError.class, () -> tally.forEach(i -> {
            if (Thread.currentThread() == caller) {
                callerStarted.countDown();
                // fails too, but later (the helper's Error is kept well within the pause):
                // the Error is the one to see, though the caller's own failure is nearer at hand
                helperFailed.await(10, TimeUnit.SECONDS);
                Thread.sleep(200);
                throw new IllegalStateException("caller's item failed later");
            }
            if (oneHelperFails.getAndSet(false)) {
                callerStarted.await(10, TimeUnit.SECONDS);
                helperFailed.countDown();
                throw new ItemError("helper's item " + i + " failed");
            }
            Thread.sleep(300);
        }));
        assertTrue(e.getMessage().startsWith("helper's item"), e.getMessage());
        tally.assertNothingRanAfterwards();
    }

    @Test
    void aRuntimeExceptionWhileOthersRunStopsNewItemsAndWaitsForTheRunningOnes() throws Exception {
        CountDownLatch othersBusy = new CountDownLatch(2);
        CountDownLatch failing = new CountDownLatch(1);
        AtomicBoolean oneFails = new AtomicBoolean(true);
        Tally tally = new Tally();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tally.forEach(i -> {
            if (oneFails.getAndSet(false)) {
                othersBusy.await(10, TimeUnit.SECONDS);
                failing.countDown();
                throw new IllegalArgumentException("item " + i + " failed");
            }
            othersBusy.countDown();
            // still running when the failure comes, and no second item taken before it
            failing.await(10, TimeUnit.SECONDS);
            Thread.sleep(300);
        }));
        assertTrue(e.getMessage().endsWith(" failed"), e.getMessage());
        // the failing item and the two running beside it; the other 27 never start
        assertEquals(3, tally.startedOnReturn);
        tally.assertNothingRanAfterwards();
    }

    @Test
    void whenNoFurtherThreadCanBeStartedTheOnesStartedAndTheCallerTakeEveryItemAndAreWaitedFor() throws Exception {
        // a pool that gives one thread and then refuses, as a process out of threads does
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
        AtomicInteger submitted = new AtomicInteger();
        java.util.concurrent.ExecutorService stingy = new java.util.concurrent.AbstractExecutorService() {
            @Override
            public void execute(Runnable r) {
                if (submitted.incrementAndGet() > 1) {
                    throw new java.util.concurrent.RejectedExecutionException("no thread");
                }
                one.execute(r);
            }

            @Override
            public void shutdown() {
                one.shutdown();
            }

            @Override
            public java.util.List<Runnable> shutdownNow() {
                return one.shutdownNow();
            }

            @Override
            public boolean isShutdown() {
                return one.isShutdown();
            }

            @Override
            public boolean isTerminated() {
                return one.isTerminated();
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
                return one.awaitTermination(timeout, unit);
            }
        };
        try {
            int n = 40;
            AtomicInteger[] runs = new AtomicInteger[n];
            for (int i = 0; i < n; i++) {
                runs[i] = new AtomicInteger();
            }
            AtomicInteger running = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            Parallel.forEach(n, 4, i -> {
                running.incrementAndGet();
                Thread.sleep(2);
                runs[i].incrementAndGet();
                running.decrementAndGet();
                finished.incrementAndGet();
            }, stingy);
            assertEquals(0, running.get(), "an item still ran after the call returned");
            assertEquals(n, finished.get());
            for (int i = 0; i < n; i++) {
                assertEquals(1, runs[i].get(), "item " + i);
            }
            assertEquals(2, submitted.get(), "one helper started, the second refused");
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void noItemsIsNothingToDo() throws Exception {
        Parallel.forEach(0, 2, i -> {
            throw new AssertionError("no item expected");
        });
    }
}
