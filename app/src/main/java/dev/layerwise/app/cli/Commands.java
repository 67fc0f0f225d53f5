package dev.layerwise.app.cli;

import java.util.List;

/** The list of headless commands; add new commands here. */
public final class Commands {
    private Commands() {
    }

    public static List<CliCommand> all() {
        return List.of(new dev.layerwise.app.device.DevicesCommand(), new dev.layerwise.app.device.DeviceRunCommand(),
                new dev.layerwise.app.device.EmulatorCommand());
    }
}
