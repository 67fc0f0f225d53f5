package dev.layerwise.core.runtime;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Releases a direct buffer's native memory at once instead of whenever the collector finds the
 * buffer unreachable. Uses {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported},
 * readable from the class path); where that is missing the buffer is left to the collector.
 * The caller must not touch the buffer afterwards.
 */
final class NativeMemory {

    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            java.lang.reflect.Field f = type.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            cleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no early release on this JVM; the collector frees the buffers
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private NativeMemory() {
    }

    /** Frees {@code buffer}'s memory now if this JVM allows it; a heap buffer is left alone. */
    static void release(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null || !buffer.isDirect()) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the collector frees it later
        }
    }

    /** Whether {@link #release} frees memory at once on this JVM. */
    static boolean releasesAtOnce() {
        return INVOKE_CLEANER != null;
    }
}
