package dev.layerwise.app.common;

import dev.layerwise.core.task.DaemonThreads;
import dev.layerwise.core.task.ProgressListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs tasks on one daemon worker thread and hands results to the FX thread. One worker because
 * an engine {@code Project} must be used by one thread at a time; cancelled tasks give up at the
 * engine's next cancellation check, so a newer request starts promptly. {@link #lane} adds a
 * second worker for work that only reads finished results (the hybrid's per-layer measurement),
 * so it never holds up the next request here.
 */
public final class FxTaskRunner implements TaskRunner, AutoCloseable {

    /**
     * How long {@link #close()} waits for a running task to reach its next cancellation check: a
     * session ORT is creating cannot be stopped, and a process that exits while a worker is inside
     * ONNX Runtime's native code may crash on the way out (SIGBUS seen once).
     */
    public static final long CLOSE_WAIT_SECONDS = 20;

    private final ExecutorService worker;
    private final Consumer<Runnable> fxThread;
    private final TaskStatus status;
    private final Set<Handle> live = ConcurrentHashMap.newKeySet();
    private final List<FxTaskRunner> lanes = new CopyOnWriteArrayList<>();

    /** @param fxThread how to run code on the FX thread, normally {@code Platform::runLater} */
    public FxTaskRunner(Consumer<Runnable> fxThread) {
        this(fxThread, "layerwise-engine");
    }

    /** @param threadName the worker's name, e.g. {@code layerwise-device} for the bridge's worker */
    public FxTaskRunner(Consumer<Runnable> fxThread, String threadName) {
        this(fxThread, threadName, new TaskStatus());
    }

    private FxTaskRunner(Consumer<Runnable> fxThread, String threadName, TaskStatus status) {
        this.fxThread = fxThread;
        this.status = status;
        this.worker = Executors.newSingleThreadExecutor(DaemonThreads.named(threadName));
    }

    /** A second worker with the same FX thread and status bar; closed with this runner. */
    @Override
    public TaskRunner lane(String threadName) {
        FxTaskRunner lane = new FxTaskRunner(fxThread, threadName, status);
        lanes.add(lane);
        return lane;
    }

    @Override
    public <T> TaskHandle submit(BackgroundTask<T> task) {
        Handle handle = new Handle();
        live.add(handle);
        status.started(handle, task.title());
        worker.submit(() -> run(task, handle));
        return handle;
    }

    private <T> void run(BackgroundTask<T> task, Handle handle) {
        if (handle.isCancelled()) {
            deliver(handle, task::cancelled);
            return;
        }
        ProgressListener progress = new ProgressListener() {
            @Override
            public void progress(String step, int done, int total) {
                if (!handle.isCancelled()) {
                    fxThread.accept(() -> status.progressed(handle, task.title(), step, done, total));
                }
            }

            @Override
            public boolean isCancelled() {
                return handle.isCancelled();
            }
        };
        try {
            T result = task.runWork(progress);
            deliver(handle, () -> {
                if (handle.isCancelled()) {
                    task.cancelled();
                } else {
                    task.succeeded(result);
                }
            });
        } catch (Throwable e) {
            deliver(handle, () -> {
                if (handle.isCancelled()) {
                    task.cancelled();
                } else {
                    task.failed(e);
                }
            });
        }
    }

    private void deliver(Handle handle, Runnable outcome) {
        live.remove(handle);
        fxThread.accept(() -> {
            handle.done.set(true);
            try {
                outcome.run();
            } finally {
                status.finished(handle);
            }
        });
    }

    @Override
    public void onUiThread(Runnable action) {
        fxThread.accept(action);
    }

    @Override
    public TaskStatus status() {
        return status;
    }

    /**
     * Cancels every task, drops the queued ones and waits, at most {@link #CLOSE_WAIT_SECONDS},
     * for the running ones (this runner's and its lanes') to give up. Never interrupts a worker:
     * an interrupt does not stop native code and may leave ORT's files half read. May be called on
     * the FX thread: the outcomes are only posted to it, never waited for.
     *
     * @return true when every worker has finished
     */
    public boolean closeAndWait() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        shutdown();
        boolean done = true;
        for (FxTaskRunner r : runners()) {
            try {
                done &= r.worker.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return done;
    }

    /** True once every worker (this runner's and its lanes') has finished after a close. */
    public boolean isTerminated() {
        return runners().stream().allMatch(r -> r.worker.isTerminated());
    }

    private List<FxTaskRunner> runners() {
        List<FxTaskRunner> all = new java.util.ArrayList<>(lanes);
        all.add(0, this);
        return all;
    }

    private void shutdown() {
        for (FxTaskRunner r : runners()) {
            r.live.forEach(Handle::cancel);
            r.worker.shutdown();
        }
    }

    /** Cancels every task and stops taking new ones, without waiting; see {@link #closeAndWait()}. */
    @Override
    public void close() {
        shutdown();
    }

    private static final class Handle implements TaskHandle {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicBoolean done = new AtomicBoolean();

        @Override
        public void cancel() {
            cancelled.set(true);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public boolean isDone() {
            return done.get();
        }
    }
}
