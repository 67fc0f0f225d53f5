package dev.layerwise.app.cli;

import dev.layerwise.app.cli.DeviceRunCommand;
import dev.layerwise.app.cli.DevicesCommand;
import dev.layerwise.app.cli.EmulatorCommand;
import java.util.List;

/** The list of headless commands; add new commands here. */
public final class Commands {
    private Commands() {
    }

    public static List<CliCommand> all() {
        return List.of(new AnalyzeCommand(), new RunCommand(), new HybridStep1Command(), new HybridStep2Command(),
                new CompareCommand(), new AutoPickCommand(), new ExportRknnScriptCommand(), new BenchCommand(),
                new GenerateSampleCommand(), new DevicesCommand(),
                new DeviceRunCommand(), new EmulatorCommand());
    }
}
