package dev.layerwise.bridge.adb;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One open adb service stream ({@code shell:…}, {@code sync:}), reached through the adb server or
 * a direct transport. Reads block at most the stream's read timeout and then throw
 * {@link java.net.SocketTimeoutException}. {@link #close()} may be called from any thread and
 * unblocks pending reads and writes, which is how deadlines and cancellation are enforced.
 */
public interface AdbStream extends Closeable {

    InputStream in();

    OutputStream out();

    /** Longest wait for one read, in milliseconds; 0 waits forever. */
    void setReadTimeout(int millis);

    /** False once either side closed the stream or the connection dropped. */
    default boolean isOpen() {
        return true;
    }

    /** Tells the peer that nothing more will be written, where the transport allows it. */
    default void shutdownOutput() {
    }

    @Override
    void close();
}
