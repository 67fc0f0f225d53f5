package dev.layerwise.app.cli;

import dev.layerwise.core.task.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on stderr for steps that take more than a second: one line per second at most, and a
 * closing line for steps that printed anything. Quiet for fast steps.
 */
final class ConsoleProgress implements ProgressListener {

    private static final long QUIET_NANOS = 1_000_000_000L;

    private final PrintStream err;
    private String step;
    private long stepStart;
    private long lastPrint;
    private boolean printed;

    ConsoleProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public void progress(String s, int done, int total) {
        long now = System.nanoTime();
        if (!s.equals(step)) {
            step = s;
            stepStart = now;
            lastPrint = now;
            printed = false;
        }
        boolean finished = total >= 0 && done >= total;
        if (finished && printed || now - stepStart > QUIET_NANOS && now - lastPrint >= QUIET_NANOS) {
            err.printf(Locale.ROOT, "layerwise: %s %d/%s (%.1f s)%n", s, done, total < 0 ? "?" : Integer.toString(total),
                    (now - stepStart) / 1e9);
            lastPrint = now;
            printed = !finished;
        }
    }

    /** Announces a step that has no units, e.g. loading a model, if it turns out slow. */
    <T, E extends Exception> T step(String s, ThrowingSupplier<T, E> work) throws E {
        long t0 = System.nanoTime();
        T result = work.get();
        double secs = (System.nanoTime() - t0) / 1e9;
        if (secs > 1) {
            err.printf(Locale.ROOT, "layerwise: %s took %.1f s%n", s, secs);
        }
        return result;
    }

    @FunctionalInterface
    interface ThrowingSupplier<T, E extends Exception> {
        T get() throws E;
    }
}
