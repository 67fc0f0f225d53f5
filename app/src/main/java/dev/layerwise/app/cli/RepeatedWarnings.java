package dev.layerwise.app.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Prints a command's per-file warnings ({@code FILE: what}) on standard error, at most {@link #SHOWN}
 * of one kind: a dataset of 500 photos that all need resizing gets three lines and a note at the fourth, not 500.
 * Warnings of one kind differ only in their file and their numbers ({@code 640x480 resized to
 * 896x512} and {@code 1920x1080 resized to 896x512} are one kind). Thread-safe: calibration loads
 * images on several threads.
 */
final class RepeatedWarnings implements Consumer<String> {

    /** How many warnings of one kind are printed in full. */
    static final int SHOWN = 3;

    private final PrintStream err;
    private final Map<String, Integer> seen = new HashMap<>();

    RepeatedWarnings(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void accept(String warning) {
        int n = seen.merge(kind(warning), 1, Integer::sum);
        if (n <= SHOWN) {
            err.println("layerwise: warning: " + warning);
        }
        if (n == SHOWN + 1) {
            err.println("layerwise: warning: (further files with the same warning are not listed)");
        }
    }

    /** The warning without its leading file name, every run of digits as {@code #}. */
    static String kind(String warning) {
        int colon = warning.indexOf(": ");
        String what = colon < 0 ? warning : warning.substring(colon + 2);
        return what.replaceAll("[0-9]+", "#");
    }
}
