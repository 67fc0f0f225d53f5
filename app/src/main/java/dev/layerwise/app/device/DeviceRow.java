package dev.layerwise.app.device;

import dev.layerwise.app.common.Messages;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.device.DeviceOs;
import dev.layerwise.bridge.device.DeviceState;
import java.util.Locale;

/**
 * One device as the Device view shows it: display text only, so the view holds no bridge
 * objects. Made by {@link DeviceViewModel}. Immutable.
 *
 * @param serial what runs are addressed to
 * @param usable true when the device is in adb's {@code device} state
 * @param state adb's word for the state ({@code device}, {@code unauthorized}, {@code offline}, …)
 * @param hint what to do to make the device usable, localised; empty when usable
 * @param model product model, or "?"
 * @param soc SoC (e.g. {@code rk3588}), or "?"
 * @param os Android or Linux with its version
 * @param freeSpace free space at the work root, e.g. {@code 7.9 GiB in /data/local/tmp/layerwise}
 * @param runtimes runtimes found, e.g. {@code librknnrt.so, python3 (onnxruntime)}
 * @param compatible device-tree compatible string, or empty
 * @param problem why the last probe of this device failed, or empty
 */
public record DeviceRow(String serial, boolean usable, String state, String hint, String model, String soc, String os,
        String freeSpace, String runtimes, String compatible, String problem) {

    static DeviceRow of(DeviceInfo d, String problem, Messages messages) {
        String unknown = "?";
        String name = d.os() == DeviceOs.ANDROID ? "Android" : "Linux";
        String version = d.osVersion() == null ? "" : d.osVersion().strip();
        // the probe says "Android 12" for Android and the kernel line for Linux boards
        String os = d.os() == DeviceOs.UNKNOWN ? unknown : version.startsWith(name) ? version
                : version.isEmpty() ? name : name + " \u00b7 " + version;
        String free = d.freeBytes() < 0 ? unknown : messages.get("device.freeIn", DeviceInfo.humanBytes(d.freeBytes()),
                d.workRoot());
        return new DeviceRow(d.serial(), d.usable(), d.state().word(), d.usable() ? "" : hint(d.state(), messages),
                d.model() == null ? unknown : d.model(), d.soc() == null ? unknown : d.soc(), os, free,
                d.usable() ? runtimes(d, messages) : unknown, d.compatible() == null ? "" : d.compatible(),
                problem == null ? "" : problem);
    }

    private static String hint(DeviceState s, Messages messages) {
        String key = "device.hint." + s.name().toLowerCase(Locale.ROOT);
        return messages.has(key) ? messages.get(key) : s.hint();
    }

    private static String runtimes(DeviceInfo d, Messages messages) {
        String s = d.runtimes().summary();
        return "none found".equals(s) ? messages.get("device.runtimes.none") : s;
    }

    /** For the list: serial, then model and SoC or the state. */
    public String listText() {
        return usable ? serial + "  \u00b7  " + model + "  \u00b7  " + soc : serial + "  \u00b7  " + state;
    }
}
