package dev.layerwise.bridge.device;

import dev.layerwise.bridge.adb.AdbStream;
import dev.layerwise.bridge.adb.SyncClient;
import dev.layerwise.core.task.DaemonThreads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Shell, push and pull on one device, each bounded by a deadline: when it passes, the stream is
 * closed and the call fails with "timed out" instead of hanging; a dropped connection fails with
 * "connection lost". Safe to use from any (non-UI) thread; calls do not share streams.
 */
public final class DeviceClient implements AutoCloseable {

    /** Largest shell output kept in memory; older output is dropped. */
    static final int MAX_OUTPUT = 1 << 20;
    private static final String EXIT_MARK = "@@LW_EXIT=";

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("layerwise-device-deadlines"));

    private final DeviceChannel channel;
    private final CancelToken cancel;
    private final int openTimeoutMillis;

    /**
     * @param cancel token to stop work from another thread; {@code null} for none
     * @param openTimeout how long opening one service may take
     */
    public DeviceClient(DeviceChannel channel, CancelToken cancel, Duration openTimeout) {
        this.channel = channel;
        this.cancel = cancel == null ? new CancelToken() : cancel;
        this.openTimeoutMillis = (int) Math.max(1, openTimeout.toMillis());
    }

    public String serial() {
        return channel.serial();
    }

    /** A client on the same channel that ignores cancellation, for clean-up that must run anyway. */
    public DeviceClient uncancellable() {
        return new DeviceClient(channel, new CancelToken(), Duration.ofMillis(openTimeoutMillis));
    }

    /**
     * Runs {@code command} through {@code sh -c} on the device and returns its output and exit code.
     * The caller quotes arguments with {@link ShellQuote}.
     *
     * @param lines receives each output line as it arrives; may be {@code null}
     */
    public ShellResult shell(String command, Duration timeout, Step step, Consumer<String> lines) throws DeviceException {
        // shell v1 carries no exit status, so the command reports it after its output
        String wrapped = command + "; echo \"" + EXIT_MARK + "$?\"";
        return guarded(step, timeout, null, g -> {
            AdbStream s = g.open("shell:" + wrapped);
            InputStream in = s.in();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean truncated = false;
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (all.size() + n > MAX_OUTPUT) {
                    byte[] keep = all.toByteArray();
                    all.reset();
                    all.write(keep, keep.length / 2, keep.length - keep.length / 2);
                    truncated = true;
                }
                all.write(buf, 0, n);
                if (lines != null) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            String l = line.toString(StandardCharsets.UTF_8).replace("\r", "");
                            if (!l.startsWith(EXIT_MARK)) {
                                lines.accept(l);
                            }
                            line.reset();
                        } else {
                            line.write(buf[i]);
                        }
                    }
                }
            }
            String text = all.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
            int mark = text.lastIndexOf(EXIT_MARK);
            if (mark < 0) {
                g.check();
                throw new DeviceException(serial(), step, "connection to device lost while running the command"
                        + (text.isBlank() ? "" : " (last output: " + new ShellResult(-1, text, false).tail(2) + ")"));
            }
            String code = text.substring(mark + EXIT_MARK.length()).strip();
            int exit;
            try {
                exit = Integer.parseInt(code);
            } catch (NumberFormatException e) {
                throw new DeviceException(serial(), step, "could not read the command's exit status from '" + code + "'");
            }
            return new ShellResult(exit, text.substring(0, mark), truncated);
        });
    }

    public ShellResult shell(String command, Duration timeout, Step step) throws DeviceException {
        return shell(command, timeout, step, null);
    }

    /**
     * Pushes a local file and checks that the device holds the same number of bytes.
     *
     * @param progress receives bytes sent so far; may be {@code null}
     */
    public void push(Path local, String remote, int mode, Duration timeout, LongConsumer progress) throws DeviceException {
        long size;
        try {
            size = Files.size(local);
        } catch (IOException e) {
            throw new DeviceException(serial(), Step.PUSH, "cannot read " + local + ": " + e.getMessage(), e);
        }
        try (InputStream in = Files.newInputStream(local)) {
            push(in, size, remote, mode, timeout, progress);
        } catch (IOException e) {
            throw new DeviceException(serial(), Step.PUSH, "cannot read " + local + ": " + e.getMessage(), e);
        }
    }

    public void push(byte[] data, String remote, int mode, Duration timeout, LongConsumer progress) throws DeviceException {
        push(new ByteArrayInputStream(data), data.length, remote, mode, timeout, progress);
    }

    private void push(InputStream data, long size, String remote, int mode, Duration timeout, LongConsumer progress)
            throws DeviceException {
        guarded(Step.PUSH, timeout, remote, g -> {
            SyncClient sync = new SyncClient(g.open("sync:"));
            try {
                sync.send(remote, mode, data, size, System.currentTimeMillis() / 1000, progress);
                SyncClient.Stat st = sync.stat(remote);
                if (!st.exists() || st.size() != (size & 0xffffffffL)) {
                    throw new DeviceException(serial(), Step.VERIFY, remote + " has " + st.size() + " bytes on the device, "
                            + size + " were sent");
                }
            } finally {
                sync.close();
            }
            return null;
        });
    }

    /** Reads a device file into memory, refusing files larger than {@code maxBytes}. */
    public byte[] pull(String remote, long maxBytes, Duration timeout, LongConsumer progress) throws DeviceException {
        return guarded(Step.PULL, timeout, remote, g -> {
            SyncClient sync = new SyncClient(g.open("sync:"));
            try {
                return sync.recv(remote, maxBytes, progress);
            } finally {
                sync.close();
            }
        });
    }

    /** Metadata of a device file; {@code exists()} is false when it is missing. */
    public SyncClient.Stat stat(String remote, Duration timeout, Step step) throws DeviceException {
        return guarded(step, timeout, remote, g -> {
            SyncClient sync = new SyncClient(g.open("sync:"));
            try {
                return sync.stat(remote);
            } finally {
                sync.close();
            }
        });
    }

    @Override
    public void close() {
        channel.close();
    }

    private DeviceException failure(Step step, IOException e, String file) {
        String what = file == null ? "" : file + ": ";
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // which of the transport's reader and this call notices a dropped link first is a race;
        // either way the person needs to hear that the device went away
        if ((e instanceof java.net.SocketException || e instanceof java.io.EOFException) && !m.contains("lost")) {
            m = "connection to device lost (" + m + ")";
        }
        return new DeviceException(serial(), step, what + m, e);
    }

    /**
     * Opens a stream for one call and enforces its deadline and the cancel token by closing the
     * stream; afterwards {@link #check()} turns the resulting IO error into the true reason.
     */
    private final class Guard implements AutoCloseable {
        private final Step step;
        private final Duration timeout;
        private volatile boolean expired;
        private AdbStream stream;
        private ScheduledFuture<?> timer;

        Guard(Step step, Duration timeout) throws DeviceException {
            this.step = step;
            this.timeout = timeout;
            if (cancel.isCancelled()) {
                throw new DeviceException(serial(), step, "cancelled");
            }
        }

        AdbStream open(String service) throws DeviceException {
            try {
                stream = channel.open(service, openTimeoutMillis);
            } catch (IOException e) {
                throw failure(step, e, null);
            }
            stream.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis() + 1000));
            cancel.register(stream);
            timer = TIMER.schedule(() -> {
                expired = true;
                stream.close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            return stream;
        }

        void check() throws DeviceException {
            if (cancel.isCancelled()) {
                throw new DeviceException(serial(), step, "cancelled");
            }
            if (expired) {
                throw new DeviceException(serial(), step, "timed out after " + seconds(timeout));
            }
        }

        @Override
        public void close() {
            if (timer != null) {
                timer.cancel(false);
            }
            if (stream != null) {
                cancel.unregister(stream);
                stream.close();
            }
        }
    }

    @FunctionalInterface
    private interface GuardedCall<T> {
        T run(Guard g) throws IOException, DeviceException;
    }

    private <T> T guarded(Step step, Duration timeout, String file, GuardedCall<T> call) throws DeviceException {
        Guard g = new Guard(step, timeout);
        try {
            return call.run(g);
        } catch (IOException e) {
            // an IO error caused by the guard closing the stream must say why it was closed
            g.check();
            throw failure(step, e, file);
        } finally {
            g.close();
        }
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
