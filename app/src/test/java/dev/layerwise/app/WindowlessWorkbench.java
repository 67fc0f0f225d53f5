package dev.layerwise.app;

import dev.layerwise.app.common.ErrorReporter;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.app.device.DeviceBridge;
import dev.layerwise.app.engine.Engine;
import dev.layerwise.app.workspace.RecentFiles;
import dev.layerwise.bridge.profile.ProfileException;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.run.Bridge;

/**
 * The window's view models made and wired by {@link Workbench#create}, as the window has them,
 * for view-model tests without a window: a wiring change in the app is tested where it lives.
 * Device work runs on the engine's runner; the bridge knows only the built-in runner profiles (no
 * user folder read), the recent-files list stays in memory, and there is no sample to open.
 */
public final class WindowlessWorkbench {

    private WindowlessWorkbench() {
    }

    public static Workbench create(Engine engine, TaskRunner runner, ErrorReporter errors, Messages messages) {
        DeviceBridge devices;
        try {
            devices = DeviceBridge.of(new Bridge(Bridge.Config.defaults(), ProfileRegistry.load(null)));
        } catch (ProfileException e) {
            throw new IllegalStateException("the built-in runner profiles do not load", e);
        }
        return Workbench.create(engine, runner, devices, runner, errors, messages, new RecentFiles(null, 5), null);
    }
}
