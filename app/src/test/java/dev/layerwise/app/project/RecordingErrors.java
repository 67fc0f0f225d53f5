package dev.layerwise.app.project;

import dev.layerwise.app.common.ErrorReporter;
import java.util.ArrayList;
import java.util.List;

/** An error reporter that remembers what it was told, for assertions. */
public final class RecordingErrors implements ErrorReporter {

    public final List<String> messages = new ArrayList<>();
    public final List<Throwable> causes = new ArrayList<>();

    @Override
    public void report(String message, Throwable details) {
        messages.add(message);
        causes.add(details);
    }
}
