package dev.layerwise.core.preprocess;

/**
 * A dataset list, a sample file or the preprocessing settings cannot be used. The message is meant
 * for the user as is: it names the file (and the line, for dataset entries) and what was wrong,
 * e.g. {@code /x/dataset.txt line 7: file 'img/cat.jpg' not found (looked for /x/img/cat.jpg)}.
 * The cause, when there is one, is the underlying IO or decoder failure.
 */
public final class PreprocessException extends Exception {

    private static final long serialVersionUID = 1L;

    public PreprocessException(String message) {
        super(message);
    }

    public PreprocessException(String message, Throwable cause) {
        super(message, cause);
    }
}
