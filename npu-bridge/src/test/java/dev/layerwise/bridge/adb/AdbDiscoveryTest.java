package dev.layerwise.bridge.adb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.run.Bridge;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdbDiscoveryTest {

    @Test
    void devicesWithoutAdbSaysHowToInstallIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free, so no adb server answers there
        }
        AdbExecutable noAdb = new AdbExecutable(null, Map.of("PATH", ""));
        Bridge bridge = new Bridge(new Bridge.Config(noAdb, port, Duration.ofSeconds(2), Duration.ofSeconds(1), null),
                ProfileRegistry.load(null));
        AdbUnavailableException e = assertThrows(AdbUnavailableException.class, bridge::devices);
        assertTrue(e.getMessage().contains("adb is not installed"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install adb"), e.getMessage());
        assertTrue(e.getMessage().contains("platform-tools"), e.getMessage());
    }

    @Test
    void adbIsFoundOnThePathOrUnderAndroidHome(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path tools = java.nio.file.Files.createDirectories(dir.resolve("sdk/platform-tools"));
        Path adb = java.nio.file.Files.writeString(tools.resolve("adb"), "#!/bin/sh\n");
        adb.toFile().setExecutable(true);
        assertEquals(adb, new AdbExecutable(null, Map.of("PATH", "", "ANDROID_HOME", dir.resolve("sdk").toString())).find()
                .orElseThrow());
        assertEquals(adb, new AdbExecutable(null, Map.of("PATH", "/nope:" + tools)).find().orElseThrow());
        assertTrue(new AdbExecutable(null, Map.of("PATH", "/nope")).find().isEmpty());
    }

    @Test
    void devicesListParsesStatesAndQualifiers() {
        List<DeviceEntry> list = DeviceEntry.parseList("""
                0123456789ABCDEF       device usb:1-1 product:rk3588 model:RK3588_EVB device:rk3588 transport_id:1
                192.168.1.20:5555      unauthorized transport_id:2
                emulator-5554          offline
                abc                    no permissions (user in plugdev group; are your udev rules wrong?); see [http://x]
                """);
        assertEquals(4, list.size());
        assertEquals("device", list.get(0).state());
        assertEquals("RK3588_EVB", list.get(0).qualifiers().get("model"));
        assertEquals("unauthorized", list.get(1).state());
        assertEquals("192.168.1.20:5555", list.get(1).serial());
        assertEquals("offline", list.get(2).state());
        assertTrue(list.get(3).state().startsWith("no permissions"), list.get(3).state());
    }
}
