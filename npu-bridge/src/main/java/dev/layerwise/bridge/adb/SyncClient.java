package dev.layerwise.bridge.adb;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;

/**
 * Host side of the adb file sync protocol on an open {@code sync:} stream. Requests are a 4-letter
 * id and a little-endian 32-bit length; SEND streams DATA chunks of at most 64 KiB and ends with
 * DONE carrying the modification time; RECV answers with DATA chunks and DONE; STAT answers mode,
 * size and time. Not thread-safe: one transfer at a time.
 */
public final class SyncClient implements Closeable {

    /** Largest DATA chunk the protocol allows. */
    public static final int MAX_CHUNK = 64 * 1024;
    /** Longest remote path the protocol allows. */
    public static final int MAX_PATH = 1024;

    /**
     * A remote file's metadata; {@code mode == 0} means it does not exist.
     *
     * @param mode Unix mode bits including the file type
     * @param size bytes (the protocol's 32 bits, so at most 4 GiB)
     * @param mtime seconds since the epoch
     */
    public record Stat(int mode, long size, long mtime) {
        public boolean exists() {
            return mode != 0;
        }

        public boolean isDirectory() {
            return (mode & 0170000) == 0040000;
        }
    }

    private final AdbStream stream;
    private final DataInputStream in;
    private final OutputStream out;

    public SyncClient(AdbStream stream) {
        this.stream = stream;
        this.in = new DataInputStream(stream.in());
        this.out = stream.out();
    }

    /**
     * Uploads {@code size} bytes from {@code data} to {@code remotePath}.
     *
     * @param progress receives the bytes sent so far after each chunk
     * @throws IOException with the device's reason (e.g. {@code No space left on device})
     */
    public void send(String remotePath, int mode, InputStream data, long size, long mtimeSeconds, LongConsumer progress)
            throws IOException {
        checkPath(remotePath);
        request("SEND", (remotePath + "," + mode).getBytes(StandardCharsets.UTF_8));
        byte[] buf = new byte[MAX_CHUNK];
        long sent = 0;
        while (true) {
            int n = data.readNBytes(buf, 0, buf.length);
            if (n <= 0) {
                break;
            }
            ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            h.put("DATA".getBytes(StandardCharsets.US_ASCII)).putInt(n);
            out.write(h.array());
            out.write(buf, 0, n);
            sent += n;
            if (progress != null) {
                progress.accept(sent);
            }
        }
        if (sent != size) {
            throw new IOException("local file changed while pushing: expected " + size + " bytes, read " + sent);
        }
        ByteBuffer done = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        done.put("DONE".getBytes(StandardCharsets.US_ASCII)).putInt((int) mtimeSeconds);
        out.write(done.array());
        out.flush();
        String id = readId();
        int len = readInt();
        if (id.equals("FAIL")) {
            throw new IOException(readText(len));
        }
        if (!id.equals("OKAY")) {
            throw new IOException("unexpected sync answer '" + id + "' after sending " + remotePath);
        }
    }

    /**
     * Downloads {@code remotePath} into memory.
     *
     * @param maxBytes refuse files larger than this (guards against a runaway output)
     * @throws IOException with the device's reason (e.g. {@code No such file or directory})
     */
    public byte[] recv(String remotePath, long maxBytes, LongConsumer progress) throws IOException {
        checkPath(remotePath);
        request("RECV", remotePath.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            String id = readId();
            int len = readInt();
            switch (id) {
                case "DATA" -> {
                    if (len < 0 || len > MAX_CHUNK || buf.size() + (long) len > maxBytes) {
                        throw new IOException(len > MAX_CHUNK || len < 0 ? "sync protocol error: DATA chunk of " + len + " bytes"
                                : remotePath + " is larger than " + maxBytes + " bytes");
                    }
                    byte[] chunk = in.readNBytes(len);
                    if (chunk.length != len) {
                        throw new IOException("connection ended in the middle of " + remotePath);
                    }
                    buf.write(chunk);
                    if (progress != null) {
                        progress.accept(buf.size());
                    }
                }
                case "DONE" -> {
                    return buf.toByteArray();
                }
                case "FAIL" -> throw new IOException(readText(len));
                default -> throw new IOException("unexpected sync answer '" + id + "' while receiving " + remotePath);
            }
        }
    }

    /** Metadata of {@code remotePath}; a missing file has mode 0. */
    public Stat stat(String remotePath) throws IOException {
        checkPath(remotePath);
        request("STAT", remotePath.getBytes(StandardCharsets.UTF_8));
        String id = readId();
        if (!id.equals("STAT")) {
            throw new IOException("unexpected sync answer '" + id + "' to STAT " + remotePath);
        }
        int mode = readInt();
        long size = Integer.toUnsignedLong(readInt());
        long mtime = Integer.toUnsignedLong(readInt());
        return new Stat(mode, size, mtime);
    }

    /** Sends QUIT and closes the stream. */
    @Override
    public void close() {
        try {
            request("QUIT", new byte[0]);
        } catch (IOException e) {
            // the stream is being dropped anyway
        } finally {
            stream.close();
        }
    }

    private void request(String id, byte[] payload) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        h.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(payload.length).put(payload);
        out.write(h.array());
        out.flush();
    }

    private String readId() throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new IOException("connection to device lost during file transfer");
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    private int readInt() throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new IOException("connection to device lost during file transfer");
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private String readText(int len) throws IOException {
        if (len < 0 || len > 64 * 1024) {
            return "(unreadable failure message)";
        }
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    private static void checkPath(String p) throws IOException {
        if (p.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new IOException("remote path longer than " + MAX_PATH + " bytes: " + p);
        }
    }
}
