package dev.layerwise.app.install;

import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.version.BuildInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Points ONNX Runtime at native libraries unpacked once into a per-user cache, instead of letting it
 * copy 28 MB into a fresh {@code /tmp/onnxruntime-java*} folder on every start.
 *
 * <p>ONNX Runtime's Java loader takes its libraries from the folder named by the system property
 * {@value #NATIVE_PATH} when that is set, else it extracts them from the jar into a new temp folder.
 * The cache folder is keyed by ONNX Runtime version and platform ({@code onnxruntime/1.29.0-linux-x64}),
 * so an upgrade never loads an old library. Files are written atomically and checked by size on each
 * start, so an interrupted unpack or two starts at once never load a half-written library. The app
 * image sets the property itself (the libraries ship beside the jar); then nothing is unpacked.
 *
 * <p>Must run before the first ONNX Runtime class is initialised, i.e. first thing in {@code main}.
 * Not thread-safe; called once per process.
 */
public final class OnnxRuntimeNatives {

    /** ONNX Runtime's own property: the folder it loads its libraries from. */
    public static final String NATIVE_PATH = "onnxruntime.native.path";

    private static final String RESOURCE_ROOT = "/ai/onnxruntime/native/";
    /** The libraries ONNX Runtime loads at start; the providers library exists on Windows only. */
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared");

    private final Path cacheRoot;
    private final String ortVersion;
    private final String platform;

    OnnxRuntimeNatives(Path cacheRoot, String ortVersion, String platform) {
        this.cacheRoot = cacheRoot;
        this.ortVersion = ortVersion;
        this.platform = platform;
    }

    /**
     * Sets {@value #NATIVE_PATH} to the cache folder, unpacking the libraries first if they are not
     * there yet. Leaves a property that is already set alone. On any failure (no libraries for this
     * platform in the jar, a read-only home) it sets nothing, and ONNX Runtime falls back to its own
     * temp-folder extraction: a slower start is better than none.
     */
    public static void useCache() {
        if (System.getProperty(NATIVE_PATH) != null) {
            return;
        }
        String platform = platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        Path root = UserCache.current();
        try {
            new OnnxRuntimeNatives(root, BuildInfo.current().onnxRuntimeVersion(), platform).unpack()
                    .ifPresent(dir -> System.setProperty(NATIVE_PATH, dir.toString()));
        } catch (IOException | RuntimeException e) {
            // fall back to ONNX Runtime's own loading, which reports a real failure itself
        }
    }

    /** The folder for this version and platform, e.g. {@code ~/.cache/layerwise/onnxruntime/1.29.0-linux-x64}. */
    Path folder() {
        return cacheRoot.resolve("onnxruntime").resolve(ortVersion + "-" + platform);
    }

    /**
     * Makes sure every library the jar carries for this platform is in {@link #folder()}, copying
     * only those missing or of the wrong size.
     *
     * @return the folder, or empty if the jar carries no ONNX Runtime library for this platform
     */
    Optional<Path> unpack() throws IOException {
        List<URL> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String lib : LIBRARIES) {
            String file = System.mapLibraryName(lib);
            URL url = OnnxRuntimeNatives.class.getResource(RESOURCE_ROOT + platform + "/" + file);
            if (url != null) {
                found.add(url);
                names.add(file);
            }
        }
        if (!names.contains(System.mapLibraryName("onnxruntime"))) {
            return Optional.empty();
        }
        Path dir = folder();
        Files.createDirectories(dir);
        for (int i = 0; i < found.size(); i++) {
            Path target = dir.resolve(names.get(i));
            URLConnection c = found.get(i).openConnection();
            long size = c.getContentLengthLong();
            if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
                continue;
            }
            try (InputStream in = c.getInputStream()) {
                AtomicFiles.write(target, in::transferTo);
            }
        }
        return Optional.of(dir);
    }

    /** ONNX Runtime's platform name for its resource folders: {@code linux-x64}, {@code osx-aarch64}, {@code win-x64}. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : os.contains("nux") ? "linux" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("arm64") ? "aarch64" : arch;
        return o + "-" + a;
    }
}
