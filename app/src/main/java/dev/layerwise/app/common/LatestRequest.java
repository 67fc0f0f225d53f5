package dev.layerwise.app.common;

/**
 * Keeps only the newest of a kind of request alive: submitting cancels the one before, so quick
 * setting changes never queue up stale work.
 */
public final class LatestRequest {

    private final TaskRunner runner;
    private TaskHandle last = TaskHandle.NONE;

    public LatestRequest(TaskRunner runner) {
        this.runner = runner;
    }

    public <T> TaskHandle submit(BackgroundTask<T> task) {
        last.cancel();
        last = runner.submit(task);
        return last;
    }

    public void cancel() {
        last.cancel();
    }

    public boolean isBusy() {
        return !last.isDone() && !last.isCancelled();
    }
}
