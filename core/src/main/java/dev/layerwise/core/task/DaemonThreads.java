package dev.layerwise.core.task;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tool's background threads: every one a daemon, so that no worker keeps the JVM alive once
 * the window closes or a command returns, and every one named {@code layerwise-…} (or after the
 * part of the bridge it serves), so that a thread dump and the tests that look for a worker by
 * name can tell whose it is. Stateless apart from the numbering; thread-safe.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads all named {@code name}: for a pool that keeps one worker. */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, … in the order they are made. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, prefix + "-" + n.incrementAndGet());
    }

    /** Starts {@code task} on a new daemon thread named {@code name} and returns the thread. */
    public static Thread start(String name, Runnable task) {
        Thread t = daemon(task, name);
        t.start();
        return t;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }
}
