package dev.layerwise.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.task.CancelledException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskRunnerTest {

    @Test
    void typedErrorHandlerWinsOverTheFallback() {
        List<String> seen = new CopyOnWriteArrayList<>();
        new CurrentThreadTaskRunner().submit(BackgroundTask.of("t", p -> {
            throw new IOException("disk");
        }).onError(IOException.class, e -> seen.add("io " + e.getMessage())).onAnyError(e -> seen.add("other")));
        assertEquals(List.of("io disk"), seen);
    }

    @Test
    void cancellationFromTheEngineIsNotReportedAsAnError() {
        List<String> seen = new CopyOnWriteArrayList<>();
        new CurrentThreadTaskRunner().submit(BackgroundTask.of("t", p -> {
            throw new CancelledException();
        }).onAnyError(e -> seen.add("error")).onCancelled(() -> seen.add("cancelled")).onFinally(() -> seen.add("finally")));
        assertEquals(List.of("cancelled", "finally"), seen);
    }

    @Test
    void statusShowsStepAndProgressWhileRunningAndClearsAfter() {
        CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
        List<String> messages = new CopyOnWriteArrayList<>();
        runner.status().messageProperty().addListener((o, was, now) -> messages.add(now));
        runner.submit(BackgroundTask.of("Quantizing", p -> {
            p.progress("calibrating", 3, 12);
            assertEquals(0.25, runner.status().progressProperty().get(), 1e-9);
            return 1;
        }));
        assertTrue(messages.contains("Quantizing · calibrating 3/12"), messages.toString());
        assertFalse(runner.status().isRunning());
        assertEquals("", runner.status().messageProperty().get());
    }

    @Test
    void latestRequestCancelsTheOlderRunAndOnlyTheNewestSucceeds() throws Exception {
        // callbacks run on the worker here: no FX thread in this test
        try (FxTaskRunner runner = new FxTaskRunner(Runnable::run)) {
            LatestRequest latest = new LatestRequest(runner);
            List<String> outcomes = new CopyOnWriteArrayList<>();
            CountDownLatch firstStarted = new CountDownLatch(1);
            CountDownLatch bothDone = new CountDownLatch(2);
            latest.submit(BackgroundTask.of("old", p -> {
                firstStarted.countDown();
                while (true) {
                    p.checkCancelled();
                    Thread.sleep(5);
                }
            }).onSuccess(r -> outcomes.add("old ok")).onCancelled(() -> outcomes.add("old cancelled"))
                    .onFinally(bothDone::countDown));
            assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
            latest.submit(BackgroundTask.of("new", p -> "done").onSuccess(r -> outcomes.add("new " + r))
                    .onFinally(bothDone::countDown));
            assertTrue(bothDone.await(5, TimeUnit.SECONDS));
            assertEquals(List.of("old cancelled", "new done"), outcomes);
        }
    }

    @Test
    void workRunsOffTheCallingThread() throws Exception {
        try (FxTaskRunner runner = new FxTaskRunner(Runnable::run)) {
            CountDownLatch done = new CountDownLatch(1);
            Thread caller = Thread.currentThread();
            List<Thread> worker = new CopyOnWriteArrayList<>();
            runner.submit(BackgroundTask.of("t", p -> {
                worker.add(Thread.currentThread());
                return 1;
            }).onFinally(done::countDown));
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertTrue(worker.get(0) != caller);
            assertEquals("layerwise-engine", worker.get(0).getName());
        }
    }
}
