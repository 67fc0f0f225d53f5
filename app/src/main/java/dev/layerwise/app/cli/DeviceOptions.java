package dev.layerwise.app.cli;

import dev.layerwise.app.cli.Args;
import dev.layerwise.app.cli.CliCommand.UsageException;
import dev.layerwise.bridge.adb.AdbExecutable;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.run.Bridge;
import java.nio.file.Path;
import java.time.Duration;

/** Options shared by the device commands: {@code --adb}, {@code --adb-port}, {@code --work-root}, {@code --profiles}. */
final class DeviceOptions {

    static final String USAGE = """
              --adb PATH         the adb program (default: adb on the PATH)
              --adb-port N       adb server port (default: $ANDROID_ADB_SERVER_PORT or 5037)
              --work-root DIR    device folder for run folders (default: /data/local/tmp/layerwise on
                                 Android, /userdata/layerwise on Linux boards)
              --profiles DIR     folder of custom runner profiles (default: ~/.layerwise/profiles)""";

    private DeviceOptions() {
    }

    static Bridge bridge(Args a) throws UsageException, Exception {
        Bridge.Config c = Bridge.Config.defaults();
        if (a.get("adb") != null) {
            c = c.withAdb(new AdbExecutable(Path.of(a.get("adb")), System.getenv()));
        }
        int port = a.intValue("adb-port", c.serverPort(), 1, 65535);
        c = c.withServerPort(port);
        if (a.get("work-root") != null) {
            String w = a.get("work-root");
            if (!w.startsWith("/")) {
                throw new UsageException("--work-root wants an absolute device path, e.g. /tmp/layerwise");
            }
            c = c.withWorkRoot(w.replaceAll("/+$", ""));
        }
        Path profiles = a.get("profiles") != null ? Path.of(a.get("profiles")) : ProfileRegistry.defaultUserFolder();
        return new Bridge(c.withCommandTimeout(Duration.ofSeconds(20)), ProfileRegistry.load(profiles));
    }
}
