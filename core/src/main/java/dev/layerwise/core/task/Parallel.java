package dev.layerwise.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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

    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(DaemonThreads.numbered("layerwise-parallel"));

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
     * <p>After a failure (an exception or an {@link Error}, on any thread) no thread takes a new
     * item; the items already running are waited for, whatever was thrown, since an item may read
     * memory the caller frees once this returns (ONNX Runtime's output buffers). No item runs
     * after this returns or throws.
     *
     * @throws Exception the first item failure in time, as thrown (an {@link Error} too); later ones are dropped
     * @throws CancelledException when the caller was interrupted (its interrupt flag is set again)
     */
    public static void forEach(int count, int threads, Item item) throws Exception {
        forEach(count, threads, item, HELPERS);
    }

    /** As {@link #forEach(int, int, Item)}, helpers taken from {@code pool}. */
    static void forEach(int count, int threads, Item item, ExecutorService pool) throws Exception {
        int helpers = Math.min(Math.max(0, threads - 1), count - 1);
        if (helpers <= 0) {
            for (int i = 0; i < count; i++) {
                item.run(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> first = new AtomicReference<>();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < count && !stop.get(); i = next.getAndIncrement()) {
                try {
                    item.run(i);
                } catch (Exception | Error e) {
                    first.compareAndSet(null, e);
                    stop.set(true);
                    return;
                }
            }
        };
        List<Future<?>> running = new ArrayList<>();
        for (int h = 0; h < helpers; h++) {
            try {
                running.add(pool.submit(drain));
            } catch (java.util.concurrent.RejectedExecutionException | OutOfMemoryError e) {
                // no thread to be had (the process is out of them): the threads started and the
                // caller take every item, and this still waits for each of them below
                break;
            }
        }
        drain.run();
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    // drain keeps every item failure; only a throwable an item cannot declare gets here
                    first.compareAndSet(null, new IllegalStateException(e.getCause()));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.set(true);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = first.get();
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw (Exception) failure;
        }
        if (interrupted) {
            throw new CancelledException();
        }
    }
}
