package dev.layerwise.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent items of work on the calling thread and, beside it, on one helper thread per
 * further core. Each item runs whole on one thread, so a computation inside an item (a sum over a
 * tensor, say) happens in the same order whichever thread takes it: results are the ones a serial
 * loop gives, only sooner. Items are taken in the order given; put the largest first.
 *
 * <p>Helper threads are daemons from one shared cached pool, idle ones die after a minute. Thread
 * safe; calls from several threads share the pool.
 */
public final class Parallel {

    /** Threads working on a call's items, the caller included: one per core. */
    public static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "layerwise-parallel-" + NAMES.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** One item of work, by index. */
    @FunctionalInterface
    public interface Item {
        void run(int index) throws Exception;
    }

    private Parallel() {
    }

    /**
     * Runs {@code item} for every index in {@code [0, count)} on up to {@code threads} threads
     * (the caller included) and returns when all are done.
     *
     * @throws Exception a failure of an item (which one, when several fail, is not promised); the
     *     other threads stop taking new items, and every thread has stopped when this returns
     * @throws CancelledException when the caller was interrupted (its interrupt flag is set again)
     */
    public static void forEach(int count, int threads, Item item) throws Exception {
        int helpers = Math.min(Math.max(0, threads - 1), count - 1);
        if (helpers <= 0) {
            for (int i = 0; i < count; i++) {
                item.run(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        Item drain = ignored -> {
            for (int i = next.getAndIncrement(); i < count && !failed.get(); i = next.getAndIncrement()) {
                try {
                    item.run(i);
                } catch (Exception | Error e) {
                    failed.set(true);
                    throw e;
                }
            }
        };
        List<Future<?>> running = new ArrayList<>();
        for (int h = 0; h < helpers; h++) {
            running.add(HELPERS.submit(() -> {
                drain.run(-1);
                return null;
            }));
        }
        Exception first = null;
        try {
            drain.run(-1);
        } catch (Exception e) {
            first = e;
        }
        // every helper is waited for, even when interrupted: an item may read memory the caller
        // frees once this returns (ONNX Runtime's output buffers)
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (first == null) {
                        if (e.getCause() instanceof Error err) {
                            throw err;
                        }
                        first = e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    failed.set(true);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (first == null) {
                throw new CancelledException();
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
