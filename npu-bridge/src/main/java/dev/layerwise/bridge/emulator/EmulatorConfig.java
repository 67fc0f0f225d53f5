package dev.layerwise.bridge.emulator;

import java.nio.file.Path;
import java.util.Set;

/**
 * What the emulated device pretends to be. Immutable; see {@link #android} and {@link #linux} for
 * ready-made boards.
 *
 * @param root host folder holding the device's file system
 * @param android true for an Android board (getprop, /data/local/tmp), false for a Linux board (/userdata)
 * @param model product model, e.g. {@code Emulated RK3588}
 * @param platform SoC name as {@code ro.board.platform} gives it, e.g. {@code rk3588}
 * @param python3 whether {@code python3} exists on the device
 * @param pythonModules importable modules: {@code onnxruntime}, {@code rknnlite}
 * @param rknnLibrary whether {@code librknnrt.so} is installed
 * @param capacityBytes size of the emulated disk; {@code df} and writes respect it
 */
public record EmulatorConfig(Path root, boolean android, String model, String platform, boolean python3,
        Set<String> pythonModules, boolean rknnLibrary, long capacityBytes) {

    public EmulatorConfig {
        pythonModules = Set.copyOf(pythonModules);
    }

    /** An RK3588 Android board with python3, onnxruntime, rknnlite and librknnrt.so, 8 GiB of disk. */
    public static EmulatorConfig android(Path root) {
        return new EmulatorConfig(root, true, "Emulated RK3588", "rk3588", true, Set.of("onnxruntime", "rknnlite"), true,
                8L << 30);
    }

    /** An RK3566 Linux (buildroot-style) board with python3 and onnxruntime, 4 GiB of disk. */
    public static EmulatorConfig linux(Path root) {
        return new EmulatorConfig(root, false, "Emulated RK3566 Linux", "rk3566", true, Set.of("onnxruntime"), true,
                4L << 30);
    }

    public EmulatorConfig withPython(boolean present, Set<String> modules) {
        return new EmulatorConfig(root, android, model, platform, present, modules, rknnLibrary, capacityBytes);
    }

    public EmulatorConfig withCapacity(long bytes) {
        return new EmulatorConfig(root, android, model, platform, python3, pythonModules, rknnLibrary, bytes);
    }
}
