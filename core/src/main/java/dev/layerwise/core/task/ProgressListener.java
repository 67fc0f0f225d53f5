package dev.layerwise.core.task;

/**
 * Receives progress of long engine work and lets the caller cancel it. Called on the worker
 * thread that does the work; implementations hand over to their own thread if they need to.
 */
public interface ProgressListener {

    /** A listener that ignores progress and never cancels. */
    ProgressListener NONE = (step, done, total) -> {
    };

    /**
     * @param step what is being done, e.g. {@code calibrating}
     * @param done units finished so far
     * @param total units in all; -1 when unknown
     */
    void progress(String step, int done, int total);

    /** Polled between units of work; returning true makes the engine throw {@link CancelledException}. */
    default boolean isCancelled() {
        return false;
    }

    /** Throws when the caller asked to stop. */
    default void checkCancelled() throws CancelledException {
        if (isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new CancelledException();
        }
    }
}
