package dev.layerwise.app.common;

/**
 * Where view models send work that must not run on the FX thread. The FX implementation runs
 * work on one worker thread (the engine is single-threaded per project) and delivers results
 * on the FX thread; the same-thread implementation runs everything inline, for tests.
 */
public interface TaskRunner {

    /** Starts {@code task}; its callbacks run on the UI thread. */
    <T> TaskHandle submit(BackgroundTask<T> task);

    /** Runs {@code action} on the UI thread (inline when already there or in tests). */
    void onUiThread(Runnable action);

    /** Progress of the task that is running now, for the status bar. */
    TaskStatus status();

    /**
     * A runner for work that must never hold up this one's (nor wait behind it), e.g. a follow-up
     * measurement that may take seconds after a result the user is waiting for is shown. Its
     * tasks show in the same status bar. The same-thread runner has no other thread and returns itself.
     *
     * @param threadName the lane's worker thread name
     */
    default TaskRunner lane(String threadName) {
        return this;
    }
}
