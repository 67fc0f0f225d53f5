package dev.layerwise.bridge.adb;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Client of the adb server's host protocol (TCP, default port 5037): requests are a 4-hex-digit
 * length and the text, answers start with {@code OKAY} or {@code FAIL} + length + message. Every
 * request uses a fresh socket, so a dead device never poisons later calls. Thread-safe.
 */
public final class AdbServerClient {

    /** The adb server's default port. */
    public static final int DEFAULT_PORT = 5037;

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final AdbExecutable adb;

    /**
     * @param port adb server port ({@link #DEFAULT_PORT} or {@code ANDROID_ADB_SERVER_PORT})
     * @param timeoutMillis connect and per-read timeout for host requests
     * @param adb used to start the server when none runs; {@code null} never starts one
     */
    public AdbServerClient(String host, int port, int timeoutMillis, AdbExecutable adb) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.adb = adb;
    }

    /** The port from {@code ANDROID_ADB_SERVER_PORT}, else 5037. */
    public static int portFromEnvironment(java.util.Map<String, String> env) {
        String p = env.get("ANDROID_ADB_SERVER_PORT");
        if (p != null && !p.isBlank()) {
            try {
                return Integer.parseInt(p.strip());
            } catch (NumberFormatException e) {
                return DEFAULT_PORT;
            }
        }
        return DEFAULT_PORT;
    }

    public int port() {
        return port;
    }

    /** True when a server answers on the port. */
    public boolean isRunning() {
        try (Socket s = connectRaw()) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes sure a server runs, starting one with adb when none answers.
     *
     * @throws AdbUnavailableException with install instructions when adb is missing
     */
    public void ensureRunning() throws AdbUnavailableException {
        if (isRunning()) {
            return;
        }
        if (adb == null) {
            throw new AdbUnavailableException("no adb server is running on port " + port + ". " + AdbExecutable.installHint());
        }
        adb.startServer(port, Math.max(10_000, timeoutMillis));
        if (!isRunning()) {
            throw new AdbUnavailableException("adb start-server finished but no server answers on port " + port);
        }
    }

    /** {@code host:devices-l}. */
    public List<DeviceEntry> devices() throws IOException {
        return DeviceEntry.parseList(query("host:devices-l"));
    }

    /**
     * {@code host:connect:HOST:PORT}: asks the server to connect a network device.
     *
     * @return the server's message, e.g. {@code connected to 192.168.1.5:5555}
     * @throws IOException when the server reports a failure
     */
    public String connect(String hostPort) throws IOException {
        String answer = query("host:connect:" + hostPort);
        String lower = answer.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("failed") || lower.startsWith("cannot") || lower.startsWith("unable")) {
            throw new IOException(answer);
        }
        return answer;
    }

    /** {@code host:disconnect:HOST:PORT}; errors are returned as the message. */
    public String disconnect(String hostPort) throws IOException {
        return query("host:disconnect:" + hostPort);
    }

    /** A request answered by OKAY and a length-prefixed text. */
    public String query(String request) throws IOException {
        try (Socket s = connectRaw()) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            sendRequest(out, request);
            expectOkay(in, request);
            return readLengthPrefixed(in);
        }
    }

    /**
     * Opens {@code service} on the device {@code serial}: {@code host:transport:SERIAL}, then the
     * service request; the socket then carries the service's raw bytes.
     *
     * @throws IOException with the server's reason, e.g. {@code device 'X' not found} or {@code device unauthorized}
     */
    public AdbStream open(String serial, String service) throws IOException {
        Socket s = connectRaw();
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            sendRequest(out, "host:transport:" + serial);
            expectOkay(in, "host:transport:" + serial);
            sendRequest(out, service);
            expectOkay(in, service);
            return new SocketStream(s, in, out);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Stops the server ({@code host:kill}). */
    public void kill() throws IOException {
        try (Socket s = connectRaw()) {
            OutputStream out = s.getOutputStream();
            sendRequest(out, "host:kill");
        }
    }

    private Socket connectRaw() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            return s;
        } catch (ConnectException e) {
            s.close();
            throw new ConnectException("no adb server on " + host + ":" + port);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static void sendRequest(OutputStream out, String request) throws IOException {
        byte[] b = request.getBytes(StandardCharsets.UTF_8);
        out.write(String.format("%04x", b.length).getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    private static void expectOkay(DataInputStream in, String request) throws IOException {
        byte[] status = new byte[4];
        try {
            in.readFully(status);
        } catch (EOFException e) {
            throw new IOException("adb server closed the connection after '" + request + "'");
        }
        String s = new String(status, StandardCharsets.US_ASCII);
        if (s.equals("OKAY")) {
            return;
        }
        if (s.equals("FAIL")) {
            String msg;
            try {
                msg = readLengthPrefixed(in);
            } catch (IOException e) {
                msg = "(no reason given)";
            }
            throw new AdbServerException(msg);
        }
        throw new IOException("adb server answered '" + s + "' to '" + request + "'");
    }

    static String readLengthPrefixed(InputStream in) throws IOException {
        DataInputStream din = in instanceof DataInputStream d ? d : new DataInputStream(in);
        byte[] len = new byte[4];
        din.readFully(len);
        int n;
        try {
            n = Integer.parseInt(new String(len, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            throw new IOException("adb server sent a bad length prefix");
        }
        byte[] b = new byte[n];
        din.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The adb server refused a request; the message is the server's reason. */
    public static final class AdbServerException extends IOException {
        public AdbServerException(String message) {
            super(message);
        }
    }
}
