package dev.layerwise.core.task;

/** The caller cancelled the work; nothing was written. */
public class CancelledException extends Exception {
    public CancelledException() {
        super("cancelled");
    }
}
