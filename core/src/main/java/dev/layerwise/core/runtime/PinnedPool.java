package dev.layerwise.core.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Output buffer sets ({@link OnnxSession.Pinned}) kept between runs of sessions with the same
 * outputs. A new analysis of a graph takes the last one's set instead of allocating new native
 * memory: every buffer zeroed and faulted in again (~35 ms of the sample's analysis for its three
 * copies of every layer output) while the last set waited for the collector to free it. The
 * outputs are written whole by every run and an input is written before each, so nothing of an
 * earlier run is read. Bounded: the kept sets together stay within {@code maxBytes}, the ones
 * kept longest closed first to make room.
 *
 * <p>Thread-safe; a set is lent to one caller at a time ({@link #take} to {@link #giveBack}).
 */
public final class PinnedPool implements AutoCloseable {

    private final long maxBytes;
    // oldest first: a set given back goes to the end, the first ones make room for it
    private final Map<Object, OnnxSession.Pinned> idle = new LinkedHashMap<>();
    private long idleBytes;
    private boolean closed;

    /** @param maxBytes the most native memory kept between runs, in bytes */
    public PinnedPool(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A set for {@code session}'s outputs {@code shapes} (name to shape, in order): one given back earlier, else a new one. */
    public OnnxSession.Pinned take(OnnxSession session, Map<String, long[]> shapes) throws InferenceException {
        Object key = OnnxSession.Pinned.keyOf(shapes);
        synchronized (this) {
            OnnxSession.Pinned p = idle.remove(key);
            if (p != null) {
                idleBytes -= p.bytes();
                return p;
            }
        }
        return session.pin(shapes, key);
    }

    /**
     * Keeps {@code set} for the next {@link #take} of the same outputs, closing the sets kept
     * longest as far as it needs room (those of a plan since left, e.g. with other layers in float,
     * whose outputs differ). Closes {@code set} itself when the pool is closed, already holds one of
     * those outputs, or {@code set} alone is over the bound. Null is ignored.
     */
    public void giveBack(OnnxSession.Pinned set) {
        if (set == null) {
            return;
        }
        long bytes = set.bytes();
        List<OnnxSession.Pinned> evicted = new ArrayList<>();
        boolean kept = false;
        synchronized (this) {
            if (!closed && !idle.containsKey(set.key()) && bytes <= maxBytes) {
                var oldest = idle.values().iterator();
                while (idleBytes + bytes > maxBytes) {
                    OnnxSession.Pinned old = oldest.next();
                    oldest.remove();
                    idleBytes -= old.bytes();
                    evicted.add(old);
                }
                idle.put(set.key(), set);
                idleBytes += bytes;
                kept = true;
            }
        }
        evicted.forEach(OnnxSession.Pinned::close);
        if (!kept) {
            set.close();
        }
    }

    /** The native memory of the sets kept now, in bytes. */
    public synchronized long keptBytes() {
        return idleBytes;
    }

    /** Closes the kept sets; sets given back later are closed at once. */
    @Override
    public void close() {
        List<OnnxSession.Pinned> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle.values());
            idle.clear();
            idleBytes = 0;
        }
        all.forEach(OnnxSession.Pinned::close);
    }
}
