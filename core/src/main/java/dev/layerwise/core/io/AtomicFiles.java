package dev.layerwise.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader sees either the old content or the complete new content, never a
 * half-written file: data goes to a temporary file in the same folder, which is then moved over
 * the target. Safe to call from any thread.
 */
public final class AtomicFiles {

    /** Writes the content of one file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code target} through {@code writer}. A failure of the file system (a full disk,
     * no permission) is an {@link IOException} whose message starts with {@code target}.
     */
    public static void write(Path target, Writer writer) throws IOException {
        try {
            writeAtomically(target, writer);
        } catch (IOException e) {
            throw named(target, e);
        }
    }

    /** {@code e} as one line starting with the file, unless it already names it. */
    private static IOException named(Path target, IOException e) {
        String m = e.getMessage();
        if (m != null && m.startsWith(target.toString())) {
            return e;
        }
        String reason = m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
        if (e instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason();
        }
        return new IOException(target + ": cannot write: " + reason, e);
    }

    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        // temp files are created owner-only; results are ordinary files others may read
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
        boolean moved = false;
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writer.write(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Refuses to write {@code output} when it is the same file as one of {@code inputs}: outputs
     * never replace what the user gave us.
     */
    public static void requireNotInput(Path output, Path... inputs) throws IOException {
        Path out = output.toAbsolutePath().normalize();
        for (Path in : inputs) {
            if (in == null) {
                continue;
            }
            Path i = in.toAbsolutePath().normalize();
            if (out.equals(i) || (Files.exists(out) && Files.exists(i) && Files.isSameFile(out, i))) {
                throw new IOException("refusing to overwrite input file " + in);
            }
        }
    }
}
