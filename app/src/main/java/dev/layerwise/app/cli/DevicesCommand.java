package dev.layerwise.app.cli;

import dev.layerwise.app.cli.Args;
import dev.layerwise.app.cli.CliCommand;
import dev.layerwise.app.cli.OptionSpec;
import dev.layerwise.bridge.adb.AdbUnavailableException;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.bridge.run.Bridge;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code devices}: lists boards reachable over adb with what they offer; adds network boards. */
public final class DevicesCommand implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public String summary() {
        return "list boards connected over adb (model, SoC, free space, runtimes)";
    }

    @Override
    public String usage() {
        return """
            usage: layerwise devices [--connect HOST:PORT] [--profiles-list] [options]
              --connect HOST:PORT  add a network board (adb connect) before listing
              --profiles-list      also list the runner profiles
            """ + DeviceOptions.USAGE;
    }

    @Override
    public int maxPositional() {
        return 0;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("connect", "adb", "adb-port", "work-root", "profiles");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("profiles-list");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.first() + "'");
        }
        Bridge bridge = DeviceOptions.bridge(args);
        try {
            if (args.get("connect") != null) {
                DeviceInfo d = bridge.connect(args.get("connect"), null);
                out.println("connected " + dev.layerwise.core.io.Printable.of(d.serial()));
            }
            List<DeviceInfo> devices = bridge.devices();
            if (devices.isEmpty()) {
                out.println("no devices. Connect a board with USB debugging on, or add one over the network with "
                        + "--connect HOST:PORT (try the emulated board: 'layerwise emulator --port 5555').");
            }
            for (DeviceInfo d : devices) {
                out.println(d.summary());
            }
        } catch (AdbUnavailableException e) {
            err.println("layerwise devices: " + e.getMessage());
            return 1;
        } catch (DeviceException e) {
            err.println("layerwise devices: " + e.getMessage());
            return 1;
        }
        if (args.flag("profiles-list")) {
            out.println();
            out.println("runner profiles:");
            for (RunnerProfile p : bridge.profiles().all()) {
                out.printf("  %-20s %s%n", p.name(), p.description());
            }
        }
        return 0;
    }
}
