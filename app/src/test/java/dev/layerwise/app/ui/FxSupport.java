package dev.layerwise.app.ui;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.testfx.util.WaitForAsyncUtils;

/** Reading the live window from a test thread: on the FX thread, with time limits. */
final class FxSupport {

    private FxSupport() {
    }

    /** Evaluates {@code s} on the FX thread and returns its value; a failure there fails the test. */
    static <T> T fx(Supplier<T> s) throws Exception {
        AtomicReference<T> out = new AtomicReference<>();
        AtomicReference<Throwable> err = new AtomicReference<>();
        WaitForAsyncUtils.asyncFx(() -> {
            try {
                out.set(s.get());
            } catch (Throwable t) {
                err.set(t);
            }
        }).get(10, TimeUnit.SECONDS);
        if (err.get() != null) {
            throw new AssertionError(err.get());
        }
        return out.get();
    }

    /** Waits up to a minute for {@code condition}, checked on the FX thread. */
    static void waitUntil(String what, BooleanSupplier condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(condition::getAsBoolean));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }
}
