package dev.layerwise.core;

import java.io.IOException;
import java.nio.file.Path;

/** Files the hostile-input tests need that Java cannot make itself. */
public final class TestFiles {

    private TestFiles() {
    }

    /** Makes a named pipe with {@code mkfifo}; a reader that opens it blocks until a writer does. */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
        return path;
    }
}
