package dev.layerwise.app.device;

import dev.layerwise.bridge.adb.AdbUnavailableException;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.profile.ProfileException;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.bridge.run.Bridge;
import dev.layerwise.bridge.run.ProgressListener;
import dev.layerwise.bridge.run.RunRequest;
import dev.layerwise.bridge.run.RunResult;
import java.util.List;

/**
 * What the Device view model asks of the npu-bridge, as one seam (like the engine's): the
 * workbench reaches boards only through here, so a test can check that no call runs on the FX
 * thread. Every method blocks, bounded by the bridge's timeouts; call from a worker.
 */
public interface DeviceBridge {

    /** Devices known to the adb server, probed; see {@link Bridge#devices()}. */
    List<DeviceInfo> devices() throws AdbUnavailableException, DeviceException;

    /** Adds a network device by {@code HOST:PORT}; see {@link Bridge#connect}. */
    DeviceInfo connect(String hostPort, CancelToken cancel) throws DeviceException;

    /** Probes one device by serial ({@code direct:HOST:PORT} bypasses the adb server). */
    DeviceInfo probe(String serial, CancelToken cancel) throws DeviceException;

    RunResult run(RunRequest request, ProgressListener listener, CancelToken cancel) throws DeviceException;

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
        ProfileRegistry profiles;
        String problem = null;
        try {
            profiles = ProfileRegistry.load(ProfileRegistry.defaultUserFolder());
        } catch (ProfileException e) {
            problem = e.getMessage();
            try {
                profiles = ProfileRegistry.load(null);
            } catch (ProfileException builtIn) {
                throw new IllegalStateException(builtIn.getMessage(), builtIn);
            }
        }
        return of(new Bridge(Bridge.Config.defaults(), profiles), problem);
    }

    /** The bridge as it is. */
    static DeviceBridge of(Bridge bridge) {
        return of(bridge, null);
    }

    private static DeviceBridge of(Bridge bridge, String profilesProblem) {
        return new DeviceBridge() {
            @Override
            public String profilesProblem() {
                return profilesProblem;
            }

            @Override
            public List<DeviceInfo> devices() throws AdbUnavailableException, DeviceException {
                return bridge.devices();
            }

            @Override
            public DeviceInfo connect(String hostPort, CancelToken cancel) throws DeviceException {
                return bridge.connect(hostPort, cancel);
            }

            @Override
            public DeviceInfo probe(String serial, CancelToken cancel) throws DeviceException {
                return bridge.probe(serial, cancel);
            }

            @Override
            public RunResult run(RunRequest request, ProgressListener listener, CancelToken cancel) throws DeviceException {
                return bridge.run(request, listener, cancel);
            }

            @Override
            public List<RunnerProfile> profiles() {
                return List.copyOf(bridge.profiles().all());
            }
        };
    }
}
