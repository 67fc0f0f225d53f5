package dev.layerwise.core.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Creates the process's ONNX Runtime environment with telemetry off, and removes at exit what
 * ONNX Runtime's telemetry left although it was off.
 *
 * <p>Since 1.29 ONNX Runtime starts its telemetry (an uploader with an empty
 * {@code /tmp/mat-debug-PID.log} and a database under {@code ~/.cache/Microsoft/DeveloperTools/.onnxruntime})
 * when the environment is created, before any switch on the environment can be used; only the
 * environment variable {@code ORT_DISABLE_TELEMETRY=1}, set before the process starts, prevents it,
 * and a Java process cannot set its own environment. So: the switch goes off at once (no session,
 * model or error events), and a shutdown hook removes this process's log file and the telemetry
 * folder when this process was the one that created it. Used once, from {@link OnnxSession}.
 */
final class OrtFootprint {

    /** The environment variable that keeps ONNX Runtime's telemetry from starting at all. */
    static final String OPT_OUT = "ORT_DISABLE_TELEMETRY";

    private OrtFootprint() {
    }

    /**
     * Runs {@code creation}, which creates the environment, with the cleanup armed around it.
     *
     * @param envOf the environment in what {@code creation} returns
     */
    static <T> T create(Supplier<T> creation, Function<T, OrtEnvironment> envOf) {
        Map<String, String> env = System.getenv();
        List<Path> leftovers = new ArrayList<>();
        if (!"1".equals(env.get(OPT_OUT))) {
            leftovers.add(debugLog(ProcessHandle.current().pid()));
            Path store = telemetryStore(env);
            if (store != null) {
                // only what this process creates is ours to remove: the first folder of the chain that is missing now
                Path first = firstMissing(store);
                if (first != null) {
                    leftovers.add(first);
                }
            }
        }
        // armed before the environment exists: a command that fails fast exits while a warm-up thread is
        // still starting ONNX Runtime; the hook lets that finish (ORT then removes its own temp folder)
        CountDownLatch started = new CountDownLatch(1);
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                leftovers.forEach(OrtFootprint::delete);
            }, "layerwise-ort-cleanup"));
        } catch (IllegalStateException e) {
            // already exiting
        }
        try {
            T created = creation.get();
            try {
                envOf.apply(created).setTelemetry(false);
            } catch (OrtException e) {
                // a runtime without telemetry has nothing to switch off
            }
            return created;
        } finally {
            started.countDown();
        }
    }

    /** The uploader's debug log, named after the process. */
    static Path debugLog(long pid) {
        return Path.of("/tmp", "mat-debug-" + pid + ".log");
    }

    /** Where ONNX Runtime keeps its telemetry database, or {@code null} when there is no home. */
    static Path telemetryStore(Map<String, String> env) {
        String cache = env.get("XDG_CACHE_HOME");
        Path base;
        if (cache != null && !cache.isBlank()) {
            base = Path.of(cache);
        } else {
            String home = System.getProperty("user.home");
            if (home == null || home.isBlank()) {
                return null;
            }
            base = Path.of(home, ".cache");
        }
        return base.resolve("Microsoft").resolve("DeveloperTools").resolve(".onnxruntime");
    }

    /** The outermost folder on the way to {@code p}, below an existing cache folder, that does not exist yet. */
    static Path firstMissing(Path p) {
        if (Files.exists(p)) {
            return null;
        }
        Path first = p;
        for (Path q = p.getParent(); q != null && q.getParent() != null && !q.getFileName().toString().equals(".cache")
                && !Files.exists(q); q = q.getParent()) {
            first = q;
        }
        return first;
    }

    static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit
        }
    }
}
