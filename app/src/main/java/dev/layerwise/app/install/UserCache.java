package dev.layerwise.app.install;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The per-user cache folder Layerwise keeps what it can make again in: ONNX Runtime's unpacked
 * libraries ({@link OnnxRuntimeNatives}) and the class-data archives of {@code java -jar} runs
 * ({@link JvmRelaunch}). Uses only JDK classes: {@link JvmRelaunch} asks for it before anything
 * else of the application has loaded.
 */
public final class UserCache {

    /** Moves the cache root (tests, or a machine whose home is read-only). */
    public static final String PROPERTY = "layerwise.cache";

    private UserCache() {
    }

    /** The cache root for this process: {@link #root} with the running system's properties and environment. */
    public static Path current() {
        return root(System.getProperty(PROPERTY), System.getProperty("os.name", ""), System.getenv(),
                Path.of(System.getProperty("user.home", ".")));
    }

    /**
     * Where per-user caches go on each system: {@code %LOCALAPPDATA%\Layerwise\cache} on Windows,
     * {@code ~/Library/Caches/Layerwise} on macOS, {@code $XDG_CACHE_HOME/layerwise} or
     * {@code ~/.cache/layerwise} elsewhere; {@code -Dlayerwise.cache=DIR} overrides all.
     */
    static Path root(String override, String osName, Map<String, String> env, Path home) {
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String local = env.get("LOCALAPPDATA");
            return (local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData").resolve("Local"))
                    .resolve("Layerwise").resolve("cache");
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return home.resolve("Library").resolve("Caches").resolve("Layerwise");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        // the XDG spec says a relative value is invalid and must be ignored
        return (xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache")).resolve("layerwise");
    }
}
