package dev.layerwise.app.cli;

import dev.layerwise.app.cli.Args;
import dev.layerwise.app.cli.CliCommand;
import dev.layerwise.app.cli.OptionSpec;
import dev.layerwise.bridge.emulator.EmulatedDevice;
import dev.layerwise.bridge.emulator.EmulatorConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code emulator}: starts the emulated board so a person can {@code adb connect} to it. */
public final class EmulatorCommand implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "emulator";
    }

    @Override
    public String summary() {
        return "start an emulated Rockchip board on 127.0.0.1 for adb connect";
    }

    @Override
    public String usage() {
        return """
            usage: layerwise emulator [--port 5555] [--root DIR] [--linux]
              --port N     TCP port on 127.0.0.1 (default 5555; 0 picks a free one)
              --root DIR   host folder holding the board's files (default: a new temporary folder)
              --linux      a Linux board (/userdata) instead of Android (/data/local/tmp)
            Then: adb connect 127.0.0.1:PORT and 'layerwise devices'. Stop with Ctrl+C.
            """;
    }

    @Override
    public int maxPositional() {
        return 0;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("port", "root");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("linux");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        int port = args.intValue("port", 5555, 0, 65535);
        Path root = args.get("root") != null ? Path.of(args.get("root")) : Files.createTempDirectory("layerwise-board-");
        Files.createDirectories(root);
        EmulatorConfig config = args.flag("linux") ? EmulatorConfig.linux(root) : EmulatorConfig.android(root);
        EmulatedDevice device = EmulatedDevice.start(config, port);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            device.close();
            stop.countDown();
        }));
        out.println("emulated board '" + config.model() + "' listening on " + device.address() + " (files in " + root + ")");
        out.println("connect it with:  adb connect " + device.address());
        out.flush();
        stop.await();
        return 0;
    }
}
