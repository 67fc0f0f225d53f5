package dev.layerwise.app;

import dev.layerwise.app.cli.Cli;
import dev.layerwise.app.cli.Commands;
import java.util.List;

/**
 * Entry point of {@code layerwise.jar}. With a command it runs headless and exits with the
 * command's code; without one it opens the workbench.
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
        if (args.length == 0 || (args.length == 1 && isOpenable(args[0]))) {
            Launcher.main(args);
            return;
        }
        System.exit(new Cli(Commands.all()).run(List.of(args), System.out, System.err));
    }
}
