package dev.layerwise.app.common;

import dev.layerwise.core.task.ProgressListener;

/**
 * Passes the engine's progress on with its step names ("calibrating", "ranking layers") in the
 * window's language: the engine names its steps in English for the command line, and the status
 * bar shows them beside a title already translated. A step without a translation passes as it is.
 */
public final class LocalizedProgress implements ProgressListener {

    private final ProgressListener target;
    private final Messages messages;

    private LocalizedProgress(ProgressListener target, Messages messages) {
        this.target = target;
        this.messages = messages;
    }

    public static ProgressListener of(ProgressListener target, Messages messages) {
        return new LocalizedProgress(target, messages);
    }

    @Override
    public void progress(String step, int done, int total) {
        String key = "step.engine." + step.replace(' ', '_');
        target.progress(messages.has(key) ? messages.get(key) : step, done, total);
    }

    @Override
    public boolean isCancelled() {
        return target.isCancelled();
    }

    @Override
    public void checkCancelled() throws dev.layerwise.core.task.CancelledException {
        target.checkCancelled();
    }
}
