package dev.layerwise.core.calibration;

import dev.layerwise.core.runtime.OnnxSession;

/**
 * A calibration session kept between calibrations of one graph, so that the next calibration
 * (the workbench re-calibrates after every change of dataset, algorithm or type) skips building
 * the calibration model and ORT's creation of its session: about 45 ms on the 2-core machine for
 * the sample, all on one thread (decision 0031).
 *
 * <p>A calibration takes the session out and gives it back when it ends cleanly, so two
 * calibrations running at once never share or close each other's session: the second finds the
 * holder empty and creates its own. The session is kept per {@link Kind}, since the calibration
 * model differs with histograms and the session's threads with the sample count; a session of
 * another kind is closed when a new one is given back. Thread-safe.
 */
public final class KeptSession implements AutoCloseable {

    /**
     * What a calibration session is made for: {@code histograms} when the model exposes every
     * tensor besides its reductions, {@code ownThreads} when each run stays on its caller's thread
     * ({@link OnnxSession#createOnCallingThread}).
     */
    record Kind(boolean histograms, boolean ownThreads) {
    }

    private Kind kind;
    private OnnxSession session;
    private boolean closed;

    /** The kept session if it is of {@code wanted}'s kind, handed over to the caller; otherwise null. */
    synchronized OnnxSession take(Kind wanted) {
        if (session == null || !kind.equals(wanted)) {
            return null;
        }
        OnnxSession s = session;
        session = null;
        return s;
    }

    /**
     * Keeps {@code s} (no run may be using it) for the next calibration of this kind, closing the
     * one kept before; closes {@code s} instead if this holder is closed.
     */
    void give(Kind k, OnnxSession s) {
        OnnxSession old;
        synchronized (this) {
            if (closed) {
                old = s;
            } else {
                old = session;
                session = s;
                kind = k;
            }
        }
        if (old != null) {
            old.close();
        }
    }

    /** Whether a session is kept now (for tests). */
    synchronized boolean holds() {
        return session != null;
    }

    /** Closes the kept session; a session given back later is closed at once. */
    @Override
    public void close() {
        OnnxSession s;
        synchronized (this) {
            closed = true;
            s = session;
            session = null;
        }
        if (s != null) {
            s.close();
        }
    }
}
