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

    public static void main(String[] args) {
        if (args.length == 0) {
            // the workbench lands with its own issue; until then, show the commands
            System.exit(new Cli(Commands.all()).run(List.of("--help"), System.out, System.err));
        }
        System.exit(new Cli(Commands.all()).run(List.of(args), System.out, System.err));
    }
}
