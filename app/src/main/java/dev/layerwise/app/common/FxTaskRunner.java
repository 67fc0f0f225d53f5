package dev.layerwise.app.common;

import dev.layerwise.core.task.ProgressListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs tasks on one daemon worker thread and hands results to the FX thread. One worker because
 * an engine {@code Project} must be used by one thread at a time; cancelled tasks give up at the
 * engine's next cancellation check, so a newer request starts promptly.
 */
public final class FxTaskRunner implements TaskRunner, AutoCloseable {

    private final ExecutorService worker;
    private final Consumer<Runnable> fxThread;
    private final TaskStatus status = new TaskStatus();

    /** @param fxThread how to run code on the FX thread, normally {@code Platform::runLater} */
    public FxTaskRunner(Consumer<Runnable> fxThread) {
        this(fxThread, "layerwise-engine");
    }

    /** @param threadName the worker's name, e.g. {@code layerwise-device} for the bridge's worker */
    public FxTaskRunner(Consumer<Runnable> fxThread, String threadName) {
        this.fxThread = fxThread;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> TaskHandle submit(BackgroundTask<T> task) {
        Handle handle = new Handle();
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

    @Override
    public void close() {
        worker.shutdownNow();
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
