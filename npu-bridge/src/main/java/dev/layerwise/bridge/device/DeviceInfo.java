package dev.layerwise.bridge.device;

/**
 * What discovery learnt about one device. Fields other than serial and state are {@code null}
 * (or -1) when the device is not usable or did not say. Immutable.
 *
 * @param serial adb serial, {@code host:port} for network devices, {@code direct:host:port} for direct connections
 * @param state adb state; see {@link DeviceState#hint()}
 * @param model {@code ro.product.model} or the device tree's model
 * @param soc {@code ro.board.platform} (e.g. {@code rk3588}) or the SoC from the device tree
 * @param compatible {@code /proc/device-tree/compatible}, entries separated by spaces
 * @param os Android or Linux
 * @param osVersion Android release or kernel description
 * @param workRoot folder under which runs get their work folders
 * @param freeBytes free space at the work root, -1 when unknown
 * @param runtimes runtimes found
 */
public record DeviceInfo(String serial, DeviceState state, String model, String soc, String compatible, DeviceOs os,
        String osVersion, String workRoot, long freeBytes, Runtimes runtimes) {

    /** A device that cannot be probed in its current state. */
    public static DeviceInfo unusable(String serial, DeviceState state, String model) {
        return new DeviceInfo(serial, state, model, null, null, DeviceOs.UNKNOWN, null, null, -1, Runtimes.none());
    }

    public boolean usable() {
        return state == DeviceState.DEVICE;
    }

    /** One line for lists: serial, state or model/SoC/OS, free space, runtimes; what the device said is escaped. */
    public String summary() {
        if (!usable()) {
            return dev.layerwise.core.io.Printable.of(serial + "  " + state.word() + "  — " + state.hint());
        }
        return dev.layerwise.core.io.Printable.of(serial + "  " + (model == null ? "?" : model) + "  soc=" + (soc == null ? "?" : soc)
                + "  " + os.name().toLowerCase(java.util.Locale.ROOT) + (osVersion == null || osVersion.isBlank() ? "" : " " + osVersion)
                + "  free=" + (freeBytes < 0 ? "?" : humanBytes(freeBytes)) + " in " + workRoot
                + "  runtimes: " + runtimes.summary());
    }

    public static String humanBytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
