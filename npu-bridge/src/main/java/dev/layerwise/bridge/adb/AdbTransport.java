package dev.layerwise.bridge.adb;

import dev.layerwise.core.task.DaemonThreads;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One adb transport connection over TCP, multiplexing service streams with the OPEN / OKAY / WRTE /
 * CLSE messages. The same class serves both ends: the {@linkplain #connect host side} opens
 * streams, the {@linkplain #serve device side} (the emulated adbd) answers OPENs with a
 * {@link ServiceHandler}. Flow control follows the protocol: one WRTE in flight per stream until the
 * peer's OKAY, and our OKAY is sent only when the reader has taken the data.
 *
 * <p>Thread-safe. A reader thread dispatches incoming messages; when the connection drops, every
 * stream fails with "connection lost" instead of waiting.
 */
public final class AdbTransport implements Closeable {

    /** Answers a service request on the device side; runs on its own thread, the stream is closed afterwards. */
    @FunctionalInterface
    public interface ServiceHandler {
        void serve(String service, AdbStream stream) throws IOException;
    }

    /** The device asked for authentication, which direct connections do not do; use the adb server. */
    public static final class AuthRequiredException extends IOException {
        public AuthRequiredException(String message) {
            super(message);
        }
    }

    private static final byte[] EOF_MARK = new byte[0];

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int maxPayload;
    private final ServiceHandler handler;
    private final String banner;
    private final Map<Integer, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile IOException failure;
    private volatile boolean closed;

    private AdbTransport(Socket socket, InputStream in, OutputStream out, int maxPayload, ServiceHandler handler, String banner) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.maxPayload = maxPayload;
        this.handler = handler;
        this.banner = banner;
        DaemonThreads.start("adb-transport-" + socket.getRemoteSocketAddress(), this::readLoop);
    }

    /**
     * Connects to an adbd listening on {@code host:port} and completes the CNXN handshake.
     *
     * @throws AuthRequiredException when the device wants RSA authentication
     * @throws SocketTimeoutException when connecting or the handshake takes longer than {@code timeoutMillis}
     */
    public static AdbTransport connect(String host, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            AdbMessage.of(AdbMessage.CNXN, AdbMessage.VERSION_SKIP_CHECKSUM, AdbMessage.MAX_PAYLOAD,
                    "host::features=shell_v2,cmd\0").writeTo(out);
            while (true) {
                AdbMessage m = AdbMessage.readFrom(in, AdbMessage.MAX_PAYLOAD * 4);
                if (m.command() == AdbMessage.CNXN) {
                    int max = Math.max(4096, Math.min(AdbMessage.MAX_PAYLOAD, m.arg1()));
                    s.setSoTimeout(0); // streams time out on their own; the reader waits for any message
                    return new AdbTransport(s, in, out, max, null, m.text());
                }
                if (m.command() == AdbMessage.AUTH) {
                    throw new AuthRequiredException("the device asks for authorization; connect it through the adb server "
                            + "(adb connect " + host + ":" + port + ") and accept the prompt on the device");
                }
                if (m.command() == AdbMessage.STLS) {
                    throw new IOException("the device wants a TLS (wireless debugging) connection; pair it with 'adb pair' "
                            + "and use it through the adb server");
                }
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Serves an already handshaken device-side connection: every OPEN from the host runs
     * {@code handler} on a new thread.
     */
    public static AdbTransport serve(Socket socket, InputStream in, OutputStream out, int maxPayload, ServiceHandler handler) {
        return new AdbTransport(socket, in, out, maxPayload, handler, "");
    }

    /** The peer's CNXN banner, e.g. {@code device::ro.product.model=…;features=…}. */
    public String banner() {
        return banner;
    }

    public boolean isAlive() {
        return !closed && failure == null;
    }

    /**
     * Opens a service stream ({@code shell:…}, {@code sync:}).
     *
     * @throws IOException when the device refuses the service or the connection is gone
     */
    public AdbStream open(String service, int timeoutMillis) throws IOException {
        checkAlive();
        int id = nextId.getAndIncrement();
        Channel ch = new Channel(id, 0);
        channels.put(id, ch);
        send(AdbMessage.of(AdbMessage.OPEN, id, 0, service + "\0"));
        try {
            if (!ch.opened.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                ch.close();
                throw new SocketTimeoutException("device did not answer the request for '" + service + "' within "
                        + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening " + service);
        }
        if (ch.refused) {
            throw new IOException("device refused service '" + service + "'");
        }
        checkAlive();
        return ch;
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // the socket is gone either way
        }
        for (Channel c : channels.values()) {
            c.lost();
        }
    }

    private void checkAlive() throws IOException {
        if (failure != null) {
            throw new IOException("connection to device lost: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IOException("connection to device closed");
        }
    }

    private void send(AdbMessage m) throws IOException {
        synchronized (out) {
            m.writeTo(out);
        }
    }

    private void readLoop() {
        try {
            while (true) {
                AdbMessage m = AdbMessage.readFrom(in, Math.max(maxPayload, AdbMessage.MAX_PAYLOAD) * 4);
                dispatch(m);
            }
        } catch (EOFException e) {
            failure = new IOException("the other side closed the connection");
        } catch (IOException e) {
            failure = closed ? new IOException("connection closed") : e;
        } finally {
            close();
        }
    }

    private void dispatch(AdbMessage m) throws IOException {
        switch (m.command()) {
            case AdbMessage.OPEN -> {
                if (handler == null) {
                    send(new AdbMessage(AdbMessage.CLSE, 0, m.arg0(), null));
                    return;
                }
                int id = nextId.getAndIncrement();
                Channel ch = new Channel(id, m.arg0());
                ch.permits.release();
                channels.put(id, ch);
                send(new AdbMessage(AdbMessage.OKAY, id, m.arg0(), null));
                String service = m.text();
                DaemonThreads.start("adbd-service-" + id, () -> {
                    try {
                        handler.serve(service, ch);
                    } catch (IOException | RuntimeException e) {
                        // the host sees the stream close; a device does not report service errors otherwise
                    } finally {
                        ch.close();
                    }
                });
            }
            case AdbMessage.OKAY -> {
                Channel ch = channels.get(m.arg1());
                if (ch != null) {
                    if (ch.remoteId == 0) {
                        ch.remoteId = m.arg0();
                        ch.opened.countDown();
                    }
                    ch.permits.release();
                }
            }
            case AdbMessage.WRTE -> {
                Channel ch = channels.get(m.arg1());
                if (ch == null) {
                    send(new AdbMessage(AdbMessage.CLSE, 0, m.arg0(), null));
                } else {
                    ch.incoming.add(m.payload());
                }
            }
            case AdbMessage.CLSE -> {
                Channel ch = channels.get(m.arg1());
                if (ch != null) {
                    if (ch.remoteId == 0) {
                        ch.refused = true;
                        ch.opened.countDown();
                    }
                    ch.peerClosed();
                }
            }
            default -> {
                // CNXN / AUTH after the handshake: nothing to do for an established transport
            }
        }
    }

    /** One multiplexed stream. */
    private final class Channel implements AdbStream {
        final int localId;
        volatile int remoteId;
        volatile boolean refused;
        final CountDownLatch opened = new CountDownLatch(1);
        final Semaphore permits = new Semaphore(0);
        final LinkedBlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
        volatile boolean closedLocally;
        volatile boolean closedByPeer;
        volatile boolean lost;
        volatile int readTimeout;
        private final InputStream input = new ChannelInput();
        private final OutputStream output = new ChannelOutput();

        Channel(int localId, int remoteId) {
            this.localId = localId;
            this.remoteId = remoteId;
        }

        @Override
        public InputStream in() {
            return input;
        }

        @Override
        public OutputStream out() {
            return output;
        }

        @Override
        public void setReadTimeout(int millis) {
            readTimeout = millis;
        }

        @Override
        public boolean isOpen() {
            return !closedLocally && !closedByPeer && !lost;
        }

        void peerClosed() {
            closedByPeer = true;
            channels.remove(localId);
            incoming.add(EOF_MARK);
            permits.release(1 << 20);
        }

        void lost() {
            lost = true;
            channels.remove(localId);
            incoming.add(EOF_MARK);
            permits.release(1 << 20);
            opened.countDown();
        }

        @Override
        public void close() {
            if (closedLocally) {
                return;
            }
            closedLocally = true;
            channels.remove(localId);
            if (!closedByPeer && !lost && remoteId != 0 && isAlive()) {
                try {
                    send(new AdbMessage(AdbMessage.CLSE, localId, remoteId, null));
                } catch (IOException e) {
                    // the transport is failing; its reader will notice
                }
            }
            incoming.add(EOF_MARK);
            permits.release(1 << 20);
            opened.countDown();
        }

        private IOException lostError() {
            IOException f = failure;
            return new IOException("connection to device lost" + (f == null ? "" : ": " + f.getMessage()), f);
        }

        private final class ChannelInput extends InputStream {
            private byte[] chunk = new byte[0];
            private int pos;
            private boolean eof;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos >= chunk.length) {
                    if (eof) {
                        return -1;
                    }
                    byte[] next;
                    try {
                        int t = readTimeout;
                        next = t > 0 ? incoming.poll(t, TimeUnit.MILLISECONDS) : incoming.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading from device");
                    }
                    if (next == null) {
                        throw new SocketTimeoutException("no data from device for " + readTimeout + " ms");
                    }
                    if (next == EOF_MARK) {
                        eof = true;
                        if (lost && !closedLocally) {
                            throw lostError();
                        }
                        if (closedLocally && !closedByPeer) {
                            throw new IOException("stream closed");
                        }
                        return -1;
                    }
                    chunk = next;
                    pos = 0;
                    if (!closedLocally && !closedByPeer && isAlive()) {
                        send(new AdbMessage(AdbMessage.OKAY, localId, remoteId, null));
                    }
                }
                int n = Math.min(len, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public int available() {
                return chunk.length - pos;
            }
        }

        private final class ChannelOutput extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, maxPayload);
                    try {
                        int t = readTimeout;
                        boolean ok = t > 0 ? permits.tryAcquire(t, TimeUnit.MILLISECONDS) : acquire();
                        if (!ok) {
                            throw new SocketTimeoutException("device did not accept data for " + t + " ms");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while writing to device");
                    }
                    if (lost) {
                        throw lostError();
                    }
                    if (closedByPeer || closedLocally) {
                        throw new IOException("stream closed by " + (closedByPeer ? "the device" : "us"));
                    }
                    byte[] p = new byte[n];
                    System.arraycopy(b, off, p, 0, n);
                    send(new AdbMessage(AdbMessage.WRTE, localId, remoteId, p));
                    off += n;
                    len -= n;
                }
            }

            private boolean acquire() throws InterruptedException {
                permits.acquire();
                return true;
            }
        }
    }
}
