package dev.layerwise.bridge.emulator;

import dev.layerwise.bridge.adb.AdbMessage;
import dev.layerwise.bridge.adb.AdbStream;
import dev.layerwise.bridge.adb.AdbTransport;
import dev.layerwise.core.task.DaemonThreads;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An emulated Rockchip board: an adbd speaking the adb transport protocol on 127.0.0.1, with a file
 * system in a host folder, a small shell and a "NPU" that runs pushed ONNX models with ONNX
 * Runtime. The real adb server can attach to it ({@code adb connect 127.0.0.1:PORT}), or the bridge
 * can talk to it directly. Services: {@code shell:} (with a command, or interactive without),
 * {@code exec:} and {@code sync:}. {@link #faults()} injects failures for tests.
 *
 * <p>Thread-safe; each connection and each service runs on its own daemon thread.
 */
public final class EmulatedDevice implements AutoCloseable {

    private final EmulatorConfig config;
    private final Faults faults = new Faults();
    private final DeviceFiles fs;
    private final EmulatedRunner runner;
    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private EmulatedDevice(EmulatorConfig config, ServerSocket server) throws IOException {
        this.config = config;
        this.server = server;
        this.fs = new DeviceFiles(config.root(), config.capacityBytes());
        this.runner = new EmulatedRunner(config, faults);
        layout();
        DaemonThreads.start("emulated-adbd-" + port(), this::acceptLoop);
    }

    /**
     * Starts listening on 127.0.0.1.
     *
     * @param port TCP port, 0 for any free one (see {@link #port()})
     */
    public static EmulatedDevice start(EmulatorConfig config, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new EmulatedDevice(config, s);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:PORT}, the serial the adb server gives it after {@code adb connect}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public Faults faults() {
        return faults;
    }

    public EmulatorConfig config() {
        return config;
    }

    /** Host path of a device path, for tests that inspect or plant files. */
    public Path hostPath(String devicePath) {
        return fs.resolve(devicePath, "/");
    }

    /** Cuts every open connection, as unplugging the cable would. */
    public void dropConnections() {
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
        connections.clear();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // not listening any more either way
        }
        dropConnections();
    }

    private void layout() throws IOException {
        Path root = fs.root();
        if (config.android()) {
            Files.createDirectories(root.resolve("data/local/tmp"));
            Files.createDirectories(root.resolve("system/bin"));
            if (config.rknnLibrary()) {
                Files.createDirectories(root.resolve("vendor/lib64"));
                Files.write(root.resolve("vendor/lib64/librknnrt.so"), new byte[] {0x7f, 'E', 'L', 'F'});
            }
        } else {
            Files.createDirectories(root.resolve("userdata"));
            Files.createDirectories(root.resolve("usr/bin"));
            if (config.rknnLibrary()) {
                Files.createDirectories(root.resolve("usr/lib"));
                Files.write(root.resolve("usr/lib/librknnrt.so"), new byte[] {0x7f, 'E', 'L', 'F'});
            }
        }
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.writeString(root.resolve("proc/device-tree/model"), config.model() + "\0");
        Files.writeString(root.resolve("proc/device-tree/compatible"),
                "rockchip," + config.platform() + "-evb\0rockchip," + config.platform() + "\0");
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                connections.add(s);
                DaemonThreads.start("emulated-adbd-conn", () -> handshake(s));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void handshake(Socket s) {
        try {
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            SecureRandom random = new SecureRandom();
            while (true) {
                AdbMessage m = AdbMessage.readFrom(in, AdbMessage.MAX_PAYLOAD * 4);
                if (m.command() == AdbMessage.CNXN || (m.command() == AdbMessage.AUTH && m.arg0() == AdbMessage.AUTH_SIGNATURE)) {
                    if (faults.unauthorized()) {
                        // a fresh token for every attempt: no signature is ever accepted
                        byte[] token = new byte[20];
                        random.nextBytes(token);
                        new AdbMessage(AdbMessage.AUTH, AdbMessage.AUTH_TOKEN, 0, token).writeTo(out);
                        continue;
                    }
                    if (m.command() != AdbMessage.CNXN) {
                        continue;
                    }
                    int version = Math.min(AdbMessage.VERSION_SKIP_CHECKSUM, Math.max(AdbMessage.VERSION_MIN, m.arg0()));
                    int max = Math.max(4096, Math.min(AdbMessage.MAX_PAYLOAD, m.arg1()));
                    String banner = "device::ro.product.name=" + config.platform() + ";ro.product.model=" + config.model()
                            + ";ro.product.device=" + config.platform() + ";features=cmd\0";
                    AdbMessage.of(AdbMessage.CNXN, version, max, banner).writeTo(out);
                    AdbTransport.serve(s, in, out, max, (service, stream) -> serve(s, service, stream));
                    return;
                }
                // AUTH public key while unauthorized: the user never accepts; keep waiting
            }
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
            connections.remove(s);
        }
    }

    private void serve(Socket connection, String service, AdbStream stream) throws IOException {
        EmulatedShell.Session session = new EmulatedShell.Session() {
            @Override
            public boolean closed() {
                return connection.isClosed() || closed || !stream.isOpen();
            }

            @Override
            public void dropConnection() {
                try {
                    connection.close();
                } catch (IOException e) {
                    // gone already
                }
            }
        };
        if (service.startsWith("sync:")) {
            new SyncService(fs, faults, session::dropConnection).serve(stream);
        } else if (service.startsWith("shell:") || service.startsWith("exec:")) {
            String cmd = service.substring(service.indexOf(':') + 1);
            EmulatedShell sh = new EmulatedShell(fs, config, faults, runner, session);
            if (cmd.isBlank() && service.startsWith("shell:")) {
                interactive(sh, stream);
            } else {
                sh.execute(cmd, stream.out());
            }
        }
        // anything else: closing the stream tells the host the service is unavailable
    }

    /** A line-at-a-time shell for a person's {@code adb shell}: echoes input, runs each line. */
    private void interactive(EmulatedShell sh, AdbStream stream) throws IOException {
        OutputStream out = stream.out();
        InputStream in = stream.in();
        String prompt = (config.android() ? config.platform() + ":/ $ " : "[root@" + config.platform() + "]# ");
        out.write(prompt.getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\r' || b == '\n') {
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                String cmd = line.toString(StandardCharsets.UTF_8).strip();
                line.reset();
                if (cmd.equals("exit")) {
                    return;
                }
                if (!cmd.isEmpty()) {
                    ByteArrayOutputStream result = new ByteArrayOutputStream();
                    sh.execute(cmd, result);
                    out.write(result.toString(StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
                }
                out.write(prompt.getBytes(StandardCharsets.UTF_8));
            } else if (b == 0x7f || b == 8) {
                byte[] cur = line.toByteArray();
                if (cur.length > 0) {
                    line.reset();
                    line.write(cur, 0, cur.length - 1);
                    out.write(new byte[] {8, ' ', 8});
                }
            } else if (b == 3 || b == 4) {
                return;
            } else {
                line.write(b);
                out.write(b);
            }
            out.flush();
        }
    }
}
