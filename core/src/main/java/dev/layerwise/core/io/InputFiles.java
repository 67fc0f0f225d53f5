package dev.layerwise.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * The one gate every file Layerwise reads goes through. Before a file is opened it must be a
 * regular file once symbolic links are followed (a named pipe would block the read forever and
 * {@code /dev/zero} never ends) and no larger than a bound the caller gives for its format; reads
 * never take more than that bound even when the file grows meanwhile. Failures are
 * {@link InputFileException}s whose message is one line starting with the file.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class InputFiles {

    /** An ONNX model is one protobuf message, which cannot exceed 2 GiB. */
    public static final long MODEL_LIMIT = Integer.MAX_VALUE;
    /** Arrays and external data end up in one Java array: at most 2 GiB. */
    public static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8L;
    /** Images are decoded from the file; their pixel count is bounded separately. */
    public static final long IMAGE_LIMIT = 1L << 30;
    /** Dataset lists, cfg files and workspaces: text a person writes or a tool generates. */
    public static final long TEXT_LIMIT = 64L << 20;
    /** Labels files and small settings files. */
    public static final long SMALL_TEXT_LIMIT = 16L << 20;

    private InputFiles() {
    }

    /**
     * Checks that {@code file} is a regular file (links followed) of at most {@code limit} bytes.
     *
     * @param what what the file is for messages, e.g. {@code "model"}, {@code "labels file"}
     * @param limit largest size accepted, in bytes
     * @return the file's size in bytes
     * @throws InputFileException when it is missing, unreadable, not a regular file or too large
     */
    public static long requireRegular(Path file, String what, long limit) throws InputFileException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InputFileException(file, what + " not found", e);
        } catch (AccessDeniedException e) {
            throw new InputFileException(file, "cannot read " + what + ": permission denied", e);
        } catch (IOException | SecurityException e) {
            throw new InputFileException(file, "cannot read " + what + ": " + reason(e), e);
        }
        if (attrs.isDirectory()) {
            throw new InputFileException(file, "is a folder, expected a " + what);
        }
        if (!attrs.isRegularFile()) {
            throw new InputFileException(file, "is not a regular file (" + kind(file)
                    + "); give the " + what + " as an ordinary file");
        }
        if (attrs.size() > limit) {
            throw new InputFileException(file, what + " is " + size(attrs.size()) + ", more than the "
                    + size(limit) + " Layerwise reads");
        }
        if (!Files.isReadable(file)) {
            throw new InputFileException(file, "cannot read " + what + ": permission denied");
        }
        return attrs.size();
    }

    /**
     * Reads a whole file after {@link #requireRegular}. At most {@code limit} bytes are ever
     * read, so a file that grows while it is read is refused instead of filling the heap.
     */
    public static byte[] readAllBytes(Path file, String what, long limit) throws InputFileException {
        long size = requireRegular(file, what, limit);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit, size));
            if (in.read() >= 0) {
                throw new InputFileException(file, what + " grew while it was read; it must not change during a run");
            }
            return bytes;
        } catch (InputFileException e) {
            throw e;
        } catch (IOException e) {
            throw new InputFileException(file, "cannot read " + what + ": " + reason(e), e);
        }
    }

    /** {@link #readAllBytes} decoded as UTF-8 (malformed bytes become U+FFFD). */
    public static String readUtf8(Path file, String what, long limit) throws InputFileException {
        return new String(readAllBytes(file, what, limit), StandardCharsets.UTF_8);
    }

    /** A size as people read it: {@code 192 bytes}, {@code 6.0 GiB}, {@code 64 MiB}. */
    public static String size(long bytes) {
        if (bytes < 10_000) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    private static String kind(Path file) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode");
            if (mode instanceof Integer m) {
                switch (m & 0170000) {
                    case 0010000:
                        return "a named pipe";
                    case 0020000:
                        return "a character device";
                    case 0060000:
                        return "a block device";
                    case 0140000:
                        return "a socket";
                    default:
                        break;
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // the plain description below is enough
        }
        return "a device, pipe or socket";
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
