package dev.layerwise.app.install;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link OnnxRuntimeNativesTest}: does what {@code Main} does before ONNX
 * Runtime starts, starts it, and prints which files the process really mapped for it.
 */
public final class NativeLoadProbe {
    private NativeLoadProbe() {
    }

    public static void main(String[] args) throws Exception {
        OnnxRuntimeNatives.useCache();
        System.out.println("version " + OrtEnvironment.getEnvironment().getVersion());
        System.out.println("property " + System.getProperty(OnnxRuntimeNatives.NATIVE_PATH));
        // /proc/self/maps lists every file mapped into the process: the truth about where a library came from
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.contains("libonnxruntime")) {
                System.out.println("mapped " + line.substring(slash));
            }
        }
    }
}
