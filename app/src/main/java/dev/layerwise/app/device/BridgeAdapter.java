package dev.layerwise.app.device;

import dev.layerwise.app.common.Seam;
import dev.layerwise.bridge.adb.AdbUnavailableException;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.profile.ProfileException;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.bridge.run.Bridge;
import dev.layerwise.bridge.run.DeviceProgress;
import dev.layerwise.bridge.run.RunRequest;
import dev.layerwise.bridge.run.DeviceRunResult;
import java.util.List;

/** {@link DeviceBridge} over the real npu-bridge: straight calls. Thread-safe as the bridge is. */
@Seam("the device bridge's implementation: the workbench's one caller of the bridge")
final class BridgeAdapter implements DeviceBridge {

    private final Bridge bridge;
    private final String profilesProblem;

    BridgeAdapter(Bridge bridge, String profilesProblem) {
        this.bridge = bridge;
        this.profilesProblem = profilesProblem;
    }

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
        return new BridgeAdapter(new Bridge(Bridge.Config.defaults(), profiles), problem);
    }

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
    public DeviceRunResult run(RunRequest request, DeviceProgress listener, CancelToken cancel) throws DeviceException {
        return bridge.run(request, listener, cancel);
    }

    @Override
    public List<RunnerProfile> profiles() {
        return List.copyOf(bridge.profiles().all());
    }
}
