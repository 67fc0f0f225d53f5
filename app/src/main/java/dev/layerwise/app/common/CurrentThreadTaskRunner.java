package dev.layerwise.app.common;

import dev.layerwise.core.task.ProgressListener;

/** Runs every task inline on the caller's thread; for view-model tests without a toolkit. */
public final class CurrentThreadTaskRunner implements TaskRunner {

    private final TaskStatus status = new TaskStatus();

    @Override
    public <T> TaskHandle submit(BackgroundTask<T> task) {
        boolean[] cancelled = {false};
        TaskHandle handle = new TaskHandle() {
            @Override
            public void cancel() {
                cancelled[0] = true;
            }

            @Override
            public boolean isCancelled() {
                return cancelled[0];
            }

            @Override
            public boolean isDone() {
                return true;
            }
        };
        status.started(handle, task.title());
        try {
            T result = task.runWork(new ProgressListener() {
                @Override
                public void progress(String step, int done, int total) {
                    status.progressed(handle, task.title(), step, done, total);
                }

                @Override
                public boolean isCancelled() {
                    return cancelled[0];
                }
            });
            task.succeeded(result);
        } catch (Throwable e) {
            task.failed(e);
        } finally {
            status.finished(handle);
        }
        return handle;
    }

    @Override
    public void onUiThread(Runnable action) {
        action.run();
    }

    @Override
    public TaskStatus status() {
        return status;
    }
}
