package dev.layerwise.bridge.device;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cancels device work from another thread (e.g. the UI's Cancel button): {@link #cancel()} closes
 * whatever stream the work is blocked on, so the worker stops promptly with a "cancelled" error.
 * Thread-safe; one token per run.
 */
public final class CancelToken {

    private volatile boolean cancelled;
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();

    public void cancel() {
        cancelled = true;
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // closing is best effort; the worker notices the cancel flag
            }
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    void register(Closeable c) {
        open.add(c);
        if (cancelled) {
            try {
                c.close();
            } catch (IOException e) {
                // see cancel()
            }
        }
    }

    void unregister(Closeable c) {
        open.remove(c);
    }
}
