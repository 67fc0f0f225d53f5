package dev.layerwise.bridge.adb;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the {@code adb} program and starts its server. The search order is: an explicit path, the
 * {@code ADB} environment variable, the {@code PATH}, then {@code platform-tools} under
 * {@code ANDROID_HOME} / {@code ANDROID_SDK_ROOT}. The environment is passed in so tests can
 * simulate a machine without adb. Immutable.
 */
public final class AdbExecutable {

    private final Path explicit;
    private final Map<String, String> env;

    /**
     * @param explicit the user's {@code --adb} choice, or {@code null}
     * @param env environment variables to search ({@code System.getenv()} normally)
     */
    public AdbExecutable(Path explicit, Map<String, String> env) {
        this.explicit = explicit;
        this.env = Map.copyOf(env);
    }

    public static AdbExecutable fromSystem() {
        return new AdbExecutable(null, System.getenv());
    }

    /** The adb program, if one is found. */
    public Optional<Path> find() {
        if (explicit != null) {
            return Files.isExecutable(explicit) ? Optional.of(explicit) : Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        String name = isWindows() ? "adb.exe" : "adb";
        if (env.get("ADB") != null && !env.get("ADB").isBlank()) {
            candidates.add(Path.of(env.get("ADB")));
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, name));
            }
        }
        for (String sdk : List.of("ANDROID_HOME", "ANDROID_SDK_ROOT")) {
            if (env.get(sdk) != null && !env.get(sdk).isBlank()) {
                candidates.add(Path.of(env.get(sdk), "platform-tools", name));
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /**
     * Runs {@code adb -P port start-server}.
     *
     * @throws AdbUnavailableException when adb is missing (with {@link #installHint()}), fails or hangs
     */
    public void startServer(int port, long timeoutMillis) throws AdbUnavailableException {
        Path adb = find().orElseThrow(() -> new AdbUnavailableException(missingMessage()));
        ProcessBuilder pb = new ProcessBuilder(adb.toString(), "-P", Integer.toString(port), "start-server");
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AdbUnavailableException(adb + " start-server did not finish within " + timeoutMillis / 1000 + " s");
            }
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new AdbUnavailableException(adb + " start-server failed (exit " + p.exitValue() + "): "
                        + text.replace('\n', ' '));
            }
        } catch (IOException e) {
            throw new AdbUnavailableException("cannot run " + adb + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdbUnavailableException("interrupted while starting the adb server", e);
        }
    }

    /** What to tell a person whose machine has no adb. */
    public String missingMessage() {
        if (explicit != null) {
            return "adb not found at " + explicit + ". " + installHint();
        }
        return "adb is not installed (not on the PATH) and no adb server is running. " + installHint();
    }

    /** How to install adb on the common systems. */
    public static String installHint() {
        return "Install it: Debian/Ubuntu 'sudo apt-get install adb', Fedora 'sudo dnf install android-tools', "
                + "macOS 'brew install android-platform-tools', elsewhere the Android SDK Platform-Tools "
                + "(https://developer.android.com/tools/releases/platform-tools), then put adb on the PATH "
                + "or pass --adb /path/to/adb.";
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    }
}
