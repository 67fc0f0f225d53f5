package dev.layerwise.bridge.device;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learns what a device is and offers, in one shell round trip: model, SoC, Android or Linux, free
 * space where runs will work, and the NPU / Python runtimes present. Stateless.
 */
public final class DeviceProbe {

    static final List<String> RKNN_LIBRARIES = List.of(
            "/vendor/lib64/librknnrt.so", "/vendor/lib/librknnrt.so", "/system/lib64/librknnrt.so", "/system/lib/librknnrt.so",
            "/usr/lib/librknnrt.so", "/usr/lib64/librknnrt.so", "/usr/lib/aarch64-linux-gnu/librknnrt.so",
            "/vendor/lib64/librknn_runtime.so", "/vendor/lib/librknn_runtime.so", "/system/lib/librknn_runtime.so",
            "/usr/lib/librknn_runtime.so", "/usr/lib64/librknn_runtime.so");
    static final List<String> RKNN_SERVERS = List.of("/vendor/bin/rknn_server", "/system/bin/rknn_server",
            "/usr/bin/rknn_server", "/usr/local/bin/rknn_server");
    static final List<String> PYTHON_MODULES = List.of("onnxruntime", "rknnlite");

    private DeviceProbe() {
    }

    /** The probe script; each section starts with a {@code @@name} line, errors are discarded. */
    static String script() {
        String modules = "import importlib.util as u;print(' '.join(m for m in ("
                + String.join(",", PYTHON_MODULES.stream().map(m -> "'" + m + "'").toList())
                + ") if u.find_spec(m)))";
        return String.join("; ",
                "echo @@model", "getprop ro.product.model 2>/dev/null",
                "echo @@platform", "getprop ro.board.platform 2>/dev/null",
                "echo @@release", "getprop ro.build.version.release 2>/dev/null",
                "echo @@dtmodel", "cat /proc/device-tree/model 2>/dev/null",
                "echo", "echo @@compatible", "cat /proc/device-tree/compatible 2>/dev/null",
                "echo", "echo @@uname", "uname -sr 2>/dev/null",
                "echo @@libs", "ls " + ShellQuote.join(RKNN_LIBRARIES) + " 2>/dev/null",
                "echo @@server", "ls " + ShellQuote.join(RKNN_SERVERS) + " 2>/dev/null",
                "echo @@python", "command -v python3 2>/dev/null",
                "echo @@modules", "python3 -c " + ShellQuote.quote(modules) + " 2>/dev/null",
                "echo @@df_android", "df -k /data/local/tmp 2>/dev/null",
                "echo @@df_linux", "df -k /userdata 2>/dev/null",
                "echo @@df_tmp", "df -k /tmp 2>/dev/null");
    }

    /**
     * Probes a device in state {@code device}.
     *
     * @param workRoot the configured work root, or {@code null} for the OS default
     */
    public static DeviceInfo probe(DeviceClient client, String workRoot, Duration timeout) throws DeviceException {
        ShellResult r = client.shell(script(), timeout, Step.PROBE);
        Map<String, String> s = sections(r.output());
        String release = s.getOrDefault("release", "");
        String uname = s.getOrDefault("uname", "");
        DeviceOs os = !release.isBlank() ? DeviceOs.ANDROID : !uname.isBlank() ? DeviceOs.LINUX : DeviceOs.UNKNOWN;
        String compatible = s.getOrDefault("compatible", "").replace('\0', ' ').strip().replaceAll("\\s+", " ");
        String model = blankToNull(s.get("model"));
        if (model == null) {
            model = blankToNull(s.getOrDefault("dtmodel", "").replace('\0', ' ').strip());
        }
        String soc = blankToNull(s.get("platform"));
        if (soc == null && !compatible.isBlank()) {
            // the last compatible entry names the SoC, e.g. "rockchip,rk3588"
            String[] parts = compatible.split(" ");
            String last = parts[parts.length - 1];
            soc = last.contains(",") ? last.substring(last.indexOf(',') + 1) : last;
        }
        String root = workRoot != null ? workRoot : os.defaultWorkRoot();
        long free;
        if (root.startsWith("/data")) {
            free = freeKiB(s.get("df_android"));
        } else if (root.startsWith("/userdata")) {
            free = freeKiB(s.get("df_linux"));
        } else {
            free = freeKiB(s.get("df_tmp"));
        }
        if (os == DeviceOs.LINUX && workRoot == null && freeKiB(s.get("df_linux")) < 0 && freeKiB(s.get("df_tmp")) >= 0) {
            // a Linux board without /userdata: work in /tmp rather than fail
            root = "/tmp/layerwise";
            free = freeKiB(s.get("df_tmp"));
        }
        String lib = firstLine(s.get("libs"));
        String server = firstLine(s.get("server"));
        String python = firstLine(s.get("python"));
        Set<String> mods = new LinkedHashSet<>();
        if (python != null) {
            for (String w : s.getOrDefault("modules", "").split("\\s+")) {
                if (PYTHON_MODULES.contains(w)) {
                    mods.add(w);
                }
            }
        }
        return new DeviceInfo(client.serial(), DeviceState.DEVICE, model, soc, blankToNull(compatible), os,
                os == DeviceOs.ANDROID ? "Android " + release.strip() : blankToNull(uname.strip()), root,
                free < 0 ? -1 : free * 1024, new Runtimes(lib, server, python, mods));
    }

    static Map<String, String> sections(String output) {
        Map<String, String> out = new HashMap<>();
        String current = null;
        StringBuilder sb = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("@@") && line.strip().matches("@@[a-z_]+")) {
                if (current != null) {
                    out.put(current, sb.toString().strip());
                }
                current = line.strip().substring(2);
                sb.setLength(0);
            } else if (current != null) {
                sb.append(line).append('\n');
            }
        }
        if (current != null) {
            out.put(current, sb.toString().strip());
        }
        return out;
    }

    /** Available KiB from {@code df -k} output (toybox, busybox or GNU), -1 when unreadable. */
    static long freeKiB(String df) {
        if (df == null || df.isBlank()) {
            return -1;
        }
        List<String> lines = df.lines().filter(l -> !l.isBlank()).toList();
        String[] w = lines.get(lines.size() - 1).strip().split("\\s+");
        for (int i = 1; i < w.length; i++) {
            if (w[i].endsWith("%")) {
                try {
                    return Long.parseLong(w[i - 1]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return null;
        }
        return s.lines().map(String::strip).filter(l -> l.startsWith("/")).findFirst().orElse(null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
