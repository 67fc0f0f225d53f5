package dev.layerwise.bridge.device;

/**
 * The outcome of one shell command.
 *
 * @param exitCode the command's exit status
 * @param output stdout and stderr as the device's shell mixes them, {@code \r\n} turned into {@code \n}
 * @param truncated true when the output was longer than the kept limit (the start is dropped)
 */
public record ShellResult(int exitCode, String output, boolean truncated) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** The last {@code n} non-blank lines, joined by " | ", for one-line messages. */
    public String tail(int n) {
        java.util.List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
