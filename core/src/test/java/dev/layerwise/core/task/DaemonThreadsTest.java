package dev.layerwise.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void aNamedFactoryGivesEveryThreadTheSameNameAndMakesDaemons() {
        ThreadFactory f = DaemonThreads.named("layerwise-test-worker");
        Thread a = f.newThread(() -> { });
        Thread b = f.newThread(() -> { });
        assertEquals("layerwise-test-worker", a.getName());
        assertEquals("layerwise-test-worker", b.getName());
        assertTrue(a.isDaemon() && b.isDaemon());
    }

    @Test
    void aNumberedFactoryCountsFromOneForEachFactory() {
        ThreadFactory f = DaemonThreads.numbered("layerwise-test");
        assertEquals("layerwise-test-1", f.newThread(() -> { }).getName());
        assertEquals("layerwise-test-2", f.newThread(() -> { }).getName());
        assertEquals("other-1", DaemonThreads.numbered("other").newThread(() -> { }).getName());
    }

    @Test
    void startRunsTheTaskOnANewDaemonOfThatName() throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        Thread t = DaemonThreads.start("layerwise-test-once", () -> ran.complete(Thread.currentThread()));
        assertEquals(t, ran.get(10, TimeUnit.SECONDS));
        assertEquals("layerwise-test-once", t.getName());
        assertTrue(t.isDaemon());
    }
}
