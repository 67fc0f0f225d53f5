package dev.layerwise.app.common;

/** A submitted task; cancelling makes the engine stop at its next check. */
public interface TaskHandle {

    void cancel();

    boolean isCancelled();

    boolean isDone();

    /** A handle for nothing, e.g. before the first request. */
    TaskHandle NONE = new TaskHandle() {
        @Override
        public void cancel() {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }
    };
}
