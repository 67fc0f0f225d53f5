package dev.layerwise.app;

import dev.layerwise.app.cli.Cli;
import dev.layerwise.app.cli.Commands;
import dev.layerwise.app.install.JvmRelaunch;
import dev.layerwise.app.install.OnnxRuntimeNatives;
import java.util.List;

/**
 * Entry point of {@code layerwise.jar} and of the app image's {@code layerwise} launcher. With a
 * command (or {@code --version}) it runs headless and exits with the command's code; without one,
 * or with one file to open, it opens the workbench.
 */
public final class Main {
    private Main() {
    }

    /** A file the workbench opens (model, workspace, cfg) rather than a command name. */
    private static boolean isOpenable(String arg) {
        String a = arg.toLowerCase(java.util.Locale.ROOT);
        return a.endsWith(".onnx") || a.endsWith(".yaml") || a.endsWith(".yml") || a.endsWith(".cfg");
    }

    public static void main(String[] args) {
        boolean workbench = args.length == 0 || (args.length == 1 && isOpenable(args[0]));
        // before any class of the engine or JavaFX loads: a 'java -jar' run may go on in a JVM that maps
        // the class-data archive an earlier run made (decision 0027); this returns when it runs here.
        // A workbench without a display only says so: not worth a second JVM.
        if (!workbench || Launcher.noDisplay(System.getenv(), System.getProperty("os.name", ""),
                System.getProperty("glass.platform")) == null) {
            JvmRelaunch.relaunchIfWanted(args, workbench);
        }
        // before anything touches ONNX Runtime: its libraries come from the per-user cache (or the app image)
        OnnxRuntimeNatives.useCache();
        if (workbench) {
            Launcher.main(args);
            return;
        }
        System.exit(new Cli(Commands.all()).run(List.of(args), System.out, System.err));
    }
}
