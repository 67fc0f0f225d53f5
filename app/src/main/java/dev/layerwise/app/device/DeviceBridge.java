package dev.layerwise.app.device;

import dev.layerwise.app.common.Seam;
import dev.layerwise.bridge.adb.AdbUnavailableException;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.bridge.run.Bridge;
import dev.layerwise.bridge.run.DeviceProgress;
import dev.layerwise.bridge.run.RunRequest;
import dev.layerwise.bridge.run.DeviceRunResult;
import java.util.List;

/**
 * What the Device view model asks of the npu-bridge, as one seam (like the engine's): the
 * workbench reaches boards only through here, so a test can check that no call runs on the FX
 * thread. Every method blocks, bounded by the bridge's timeouts; call from a worker.
 */
@Seam("the device bridge: its interface names the bridge's types")
public interface DeviceBridge {

    /** Devices known to the adb server, probed; see {@link Bridge#devices()}. */
    List<DeviceInfo> devices() throws AdbUnavailableException, DeviceException;

    /** Adds a network device by {@code HOST:PORT}; see {@link Bridge#connect}. */
    DeviceInfo connect(String hostPort, CancelToken cancel) throws DeviceException;

    /** Probes one device by serial ({@code direct:HOST:PORT} bypasses the adb server). */
    DeviceInfo probe(String serial, CancelToken cancel) throws DeviceException;

    DeviceRunResult run(RunRequest request, DeviceProgress listener, CancelToken cancel) throws DeviceException;

    /** Built-in and user runner profiles, built-in first. */
    List<RunnerProfile> profiles();

    /** Why the user's profiles could not be loaded (only the built-in ones are offered then), or {@code null}. */
    default String profilesProblem() {
        return null;
    }

    /**
     * The bridge with default settings (adb from the PATH, server port from the environment) and
     * the profiles in {@code ~/.layerwise/profiles}; a malformed user profile leaves the built-in
     * ones and a {@link #profilesProblem()}.
     */
    static DeviceBridge system() {
        return BridgeAdapter.system();
    }

    /** The bridge as it is. */
    static DeviceBridge of(Bridge bridge) {
        return new BridgeAdapter(bridge, null);
    }

    /** True when {@code address} bypasses the adb server ({@code direct:HOST:PORT}). */
    static boolean isDirect(String address) {
        return Bridge.isDirect(address);
    }
}
