package dev.layerwise.bridge.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the device offers for running models; a {@code null} path means absent.
 *
 * @param rknnLibrary path of {@code librknnrt.so} (RKNPU2) or {@code librknn_runtime.so} (RKNPU1)
 * @param rknnServer path of {@code rknn_server}
 * @param python3 path of {@code python3}
 * @param pythonModules importable modules among {@code onnxruntime} and {@code rknnlite}
 */
public record Runtimes(String rknnLibrary, String rknnServer, String python3, Set<String> pythonModules) {

    public Runtimes {
        pythonModules = Set.copyOf(pythonModules);
    }

    public static Runtimes none() {
        return new Runtimes(null, null, null, Set.of());
    }

    public boolean hasPythonModule(String module) {
        return python3 != null && pythonModules.contains(module);
    }

    /** Short list for display, e.g. {@code librknnrt.so, python3 (onnxruntime)}. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        if (rknnLibrary != null) {
            parts.add(rknnLibrary.substring(rknnLibrary.lastIndexOf('/') + 1));
        }
        if (rknnServer != null) {
            parts.add("rknn_server");
        }
        if (python3 != null) {
            parts.add(pythonModules.isEmpty() ? "python3" : "python3 (" + String.join(", ", pythonModules.stream().sorted().toList()) + ")");
        }
        return parts.isEmpty() ? "none found" : String.join(", ", parts);
    }
}
