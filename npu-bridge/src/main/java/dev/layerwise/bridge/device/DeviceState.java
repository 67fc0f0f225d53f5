package dev.layerwise.bridge.device;

import java.util.Locale;

/** A device's adb state, each with what a person can do about it. */
public enum DeviceState {
    DEVICE("device", ""),
    UNAUTHORIZED("unauthorized", "accept the 'Allow USB debugging?' prompt on the device (tick 'Always allow'); "
            + "if no prompt shows, run 'adb kill-server' and reconnect the cable"),
    OFFLINE("offline", "the device does not answer: reconnect the cable or restart adbd on the board (or reboot it); "
            + "for a network device run 'adb disconnect HOST:PORT' and connect again"),
    NO_PERMISSIONS("no permissions", "your user may not open the USB device: add a udev rule for the vendor id "
            + "(Rockchip boards use 2207), run 'sudo udevadm control --reload', then reconnect"),
    AUTHORIZING("authorizing", "adb is still checking the device's authorization; wait a moment and refresh"),
    CONNECTING("connecting", "adb is still connecting; wait a moment and refresh"),
    OTHER("other", "the device is not in normal mode (bootloader, recovery or sideload); boot it normally");

    private final String word;
    private final String hint;

    DeviceState(String word, String hint) {
        this.word = word;
        this.hint = hint;
    }

    /** What to do to make the device usable; empty for {@link #DEVICE}. */
    public String hint() {
        return hint;
    }

    public String word() {
        return word;
    }

    /** Maps adb's state text ({@code device}, {@code unauthorized}, {@code no permissions (…)}, …). */
    public static DeviceState parse(String adbState) {
        String s = adbState == null ? "" : adbState.strip().toLowerCase(Locale.ROOT);
        for (DeviceState d : values()) {
            if (d != OTHER && s.startsWith(d.word)) {
                return d;
            }
        }
        return OTHER;
    }
}
