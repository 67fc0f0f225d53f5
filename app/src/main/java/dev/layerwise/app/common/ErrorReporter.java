package dev.layerwise.app.common;

/**
 * The one place errors reach the user: a short message they can act on, with the technical
 * details (cause chain, stack trace) available on demand. Call on the UI thread.
 */
public interface ErrorReporter {

    /**
     * @param message what went wrong and what to do, localised, one or two sentences
     * @param details the error behind it, or {@code null}
     */
    void report(String message, Throwable details);
}
