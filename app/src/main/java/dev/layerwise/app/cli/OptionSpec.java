package dev.layerwise.app.cli;

import java.util.Set;

/** The options a {@link CliCommand} accepts; any other {@code --name} is a usage error. */
public interface OptionSpec {
    /** Option names (without {@code --}) that take a value; {@code output} also answers to {@code -o}. */
    Set<String> valuedOptions();

    /** How many positional words (MODEL, files) the command takes; more are a usage error. */
    default int maxPositional() {
        return 1;
    }

    /** Option names that take no value. */
    default Set<String> flagOptions() {
        return Set.of();
    }
}
