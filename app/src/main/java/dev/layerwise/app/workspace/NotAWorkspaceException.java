package dev.layerwise.app.workspace;

import java.io.IOException;
import java.nio.file.Path;

/** A file opened as a workspace that does not read as one (another YAML file, a README, a picture). */
public final class NotAWorkspaceException extends IOException {

    private final transient Path file;

    public NotAWorkspaceException(Path file, Throwable cause) {
        super(file + ": not a Layerwise workspace: " + cause.getMessage(), cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
