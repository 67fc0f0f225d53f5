package dev.layerwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.common.FxTaskRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Closing the real application (headless Monocle) while its engine worker is inside ONNX Runtime:
 * {@link App#stop} cancels the work and waits for the workers to leave native code, so the JVM
 * never exits under a session being created (it crashed once with SIGBUS).
 */
class AppStopTest {

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler before;

    @AfterEach
    void restore() {
        Thread.setDefaultUncaughtExceptionHandler(before);
        System.clearProperty("layerwise.settings");
    }

    @Test
    void stoppingTheAppWhileTheEngineIsInsideOnnxRuntimeWaitsForItsWorkersToFinishCleanly(@TempDir Path settings)
            throws Exception {
        before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        System.setProperty("layerwise.settings", settings.toString());
        FxToolkit.registerPrimaryStage();
        // no file named: the window opens the bundled sample and analyses it at once
        App app = (App) FxToolkit.setupApplication(App.class);
        List<FxTaskRunner> runners = WaitForAsyncUtils.asyncFx(app::runners).get(10, TimeUnit.SECONDS);
        assertEquals(2, runners.size(), "the engine's and the device's workers");

        assertTrue(waitForNativeFrame("layerwise-engine", 120), "the engine worker was seen inside ONNX Runtime");
        FxToolkit.cleanupApplication(app);

        for (FxTaskRunner r : runners) {
            assertTrue(r.isTerminated(), "every worker has finished when stop() returns");
        }
        assertFalse(inOnnxRuntime(), "no worker is left inside ONNX Runtime when the JVM would exit");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), uncaught);
    }

    /** Polls the named thread's stack until a frame of ONNX Runtime's Java binding is on it. */
    private static boolean waitForNativeFrame(String thread, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            for (var e : Thread.getAllStackTraces().entrySet()) {
                if (e.getKey().getName().equals(thread)) {
                    for (StackTraceElement f : e.getValue()) {
                        if (f.getClassName().startsWith("ai.onnxruntime.") && f.isNativeMethod()) {
                            return true;
                        }
                    }
                }
            }
            Thread.sleep(2);
        }
        return false;
    }

    /** True when any of the app's workers has a frame of ONNX Runtime's binding on its stack. */
    private static boolean inOnnxRuntime() {
        return Thread.getAllStackTraces().entrySet().stream().filter(e -> e.getKey().getName().startsWith("layerwise-"))
                .flatMap(e -> java.util.Arrays.stream(e.getValue())).anyMatch(f -> f.getClassName().startsWith("ai.onnxruntime."));
    }
}
