package dev.layerwise.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file Layerwise was given cannot be read as it is: missing, a pipe or device, too large,
 * malformed for its format. The message is one line that starts with the file.
 */
public class InputFileException extends IOException {

    private final transient Path file;

    public InputFileException(Path file, String what) {
        super(file + ": " + what);
        this.file = file;
    }

    public InputFileException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
        this.file = file;
    }

    /** The file the message is about. */
    public Path file() {
        return file;
    }
}
