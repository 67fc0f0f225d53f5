package dev.layerwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.layerwise.app.device.DeviceBridge;
import dev.layerwise.bridge.profile.RunnerProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device bridge the launcher has made while JavaFX starts is the one the window gets, once. */
class DevicesAheadTest {

    private static List<String> names(DeviceBridge b) {
        return b.profiles().stream().map(RunnerProfile::name).toList();
    }

    @Test
    void theWindowTakesTheBridgeMadeAheadOnceAndMakesItsOwnAfterwards() {
        App.prepareDevicesAhead();
        DeviceBridge ahead = App.systemDevices();
        DeviceBridge later = App.systemDevices();
        assertNotSame(ahead, later, "the bridge made ahead is handed out once");
        assertFalse(names(ahead).isEmpty(), "the built-in runner profiles are read ahead");
        assertEquals(names(later), names(ahead), "the same profiles as a bridge made on the spot");
    }
}
