package dev.layerwise.bridge.emulator;

import dev.layerwise.bridge.adb.AdbStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

/** Device side of the sync protocol: SEND, RECV, STAT, LIST, QUIT on the emulated file system. */
final class SyncService {

    private static final int MAX_CHUNK = 64 * 1024;

    private final DeviceFiles fs;
    private final Faults faults;
    private final Runnable dropConnection;

    SyncService(DeviceFiles fs, Faults faults, Runnable dropConnection) {
        this.fs = fs;
        this.faults = faults;
        this.dropConnection = dropConnection;
    }

    void serve(AdbStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream.in());
        OutputStream out = stream.out();
        while (true) {
            String id;
            int len;
            try {
                id = readId(in);
                len = readInt(in);
            } catch (EOFException e) {
                return;
            }
            if (id.equals("QUIT")) {
                return;
            }
            if (len < 0 || len > 1024) {
                fail(out, "path too long");
                return;
            }
            String arg = new String(in.readNBytes(len), StandardCharsets.UTF_8);
            switch (id) {
                case "SEND" -> send(arg, in, out);
                case "RECV" -> recv(arg, out);
                case "STAT" -> stat(arg, out);
                case "LIST" -> list(arg, out);
                default -> {
                    fail(out, "unknown sync request " + id);
                    return;
                }
            }
        }
    }

    private void send(String arg, DataInputStream in, OutputStream out) throws IOException {
        int comma = arg.lastIndexOf(',');
        String path = comma < 0 ? arg : arg.substring(0, comma);
        Path target = fs.resolve(path, "/");
        Path tmp = null;
        OutputStream file = null;
        String error = null;
        long received = 0;
        long free = fs.free();
        try {
            try {
                Files.createDirectories(target.getParent());
                tmp = Files.createTempFile(target.getParent(), ".sync-", ".tmp");
                file = Files.newOutputStream(tmp);
            } catch (IOException e) {
                error = "open failed: " + e.getMessage();
            }
            while (true) {
                String id = readId(in);
                int n = readInt(in);
                if (id.equals("DONE")) {
                    if (file != null) {
                        file.close();
                        file = null;
                    }
                    if (error == null) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        Files.setLastModifiedTime(target, FileTime.fromMillis(Integer.toUnsignedLong(n) * 1000));
                        tmp = null;
                        if (comma > 0 && (Integer.parseInt(arg.substring(comma + 1).strip()) & 0111) != 0) {
                            target.toFile().setExecutable(true);
                        }
                        writeHeader(out, "OKAY", 0);
                    } else {
                        fail(out, error);
                    }
                    out.flush();
                    return;
                }
                if (!id.equals("DATA") || n < 0 || n > MAX_CHUNK) {
                    throw new IOException("sync protocol error: " + id + " of " + n + " bytes in SEND");
                }
                byte[] data = in.readNBytes(n);
                if (data.length != n) {
                    throw new EOFException();
                }
                received += n;
                if (faults.takeDropAfterPush(received)) {
                    dropConnection.run();
                    throw new EOFException("dropped by fault injection");
                }
                if (error == null && received > free) {
                    error = "write failed: No space left on device";
                }
                if (error == null) {
                    file.write(data);
                }
            }
        } finally {
            if (file != null) {
                file.close();
            }
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private void recv(String path, OutputStream out) throws IOException {
        Path p = fs.resolve(path, "/");
        if (!Files.isRegularFile(p)) {
            fail(out, "open failed: No such file or directory");
            return;
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[MAX_CHUNK];
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                writeHeader(out, "DATA", n);
                out.write(buf, 0, n);
            }
        }
        writeHeader(out, "DONE", 0);
        out.flush();
    }

    private void stat(String path, OutputStream out) throws IOException {
        Path p = fs.resolve(path, "/");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put("STAT".getBytes(StandardCharsets.US_ASCII));
        if (Files.exists(p)) {
            b.putInt(mode(p)).putInt((int) Files.size(p)).putInt((int) (Files.getLastModifiedTime(p).toMillis() / 1000));
        } else {
            b.putInt(0).putInt(0).putInt(0);
        }
        out.write(b.array());
        out.flush();
    }

    private void list(String path, OutputStream out) throws IOException {
        Path dir = fs.resolve(path, "/");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    byte[] name = p.getFileName().toString().getBytes(StandardCharsets.UTF_8);
                    ByteBuffer b = ByteBuffer.allocate(20 + name.length).order(ByteOrder.LITTLE_ENDIAN);
                    b.put("DENT".getBytes(StandardCharsets.US_ASCII)).putInt(mode(p)).putInt((int) Files.size(p))
                            .putInt((int) (Files.getLastModifiedTime(p).toMillis() / 1000)).putInt(name.length).put(name);
                    out.write(b.array());
                }
            }
        }
        ByteBuffer done = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        done.put("DONE".getBytes(StandardCharsets.US_ASCII));
        out.write(done.array());
        out.flush();
    }

    private static int mode(Path p) {
        if (Files.isDirectory(p)) {
            return 0040755;
        }
        return Files.isExecutable(p) ? 0100755 : 0100644;
    }

    private static void fail(OutputStream out, String message) throws IOException {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        writeHeader(out, "FAIL", m.length);
        out.write(m);
        out.flush();
    }

    private static void writeHeader(OutputStream out, String id, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(len);
        out.write(b.array());
    }

    private static String readId(DataInputStream in) throws IOException {
        byte[] b = new byte[4];
        in.readFully(b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static int readInt(DataInputStream in) throws IOException {
        byte[] b = new byte[4];
        in.readFully(b);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
