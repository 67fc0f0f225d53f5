package dev.layerwise.app.cli;

import dev.layerwise.core.version.BuildInfo;
import dev.layerwise.core.io.Printable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Dispatches a command line to its {@link CliCommand}. */
public final class Cli {

    private final Map<String, CliCommand> commands = new LinkedHashMap<>();

    public Cli(List<CliCommand> commands) {
        for (CliCommand c : commands) {
            this.commands.put(c.name(), c);
        }
    }

    public boolean knows(String name) {
        return commands.containsKey(name);
    }

    /** Runs {@code argv} (command word first) and returns the process exit code. */
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h") || argv.get(0).equals("help")) {
            out.print(overview());
            return argv.isEmpty() ? 2 : 0;
        }
        if (argv.get(0).equals("--version") || argv.get(0).equals("-V")) {
            out.println(versionText());
            return 0;
        }
        CliCommand c = commands.get(argv.get(0));
        if (c == null) {
            if (argv.size() == 1 && isExistingFile(argv.get(0))) {
                // a file given by mistake (double-clicked, dragged, tab-completed): say so in one line, not the whole help
                err.println("layerwise: " + Printable.of(argv.get(0)) + " is not a file Layerwise opens (an .onnx model,"
                        + " a .layerwise.yaml workspace or a .quantization.cfg) nor a command; 'layerwise --help' lists the commands");
                return 2;
            }
            err.println("layerwise: unknown command '" + Printable.of(argv.get(0)) + "'");
            err.print(overview());
            return 2;
        }
        List<String> rest = new ArrayList<>(argv.subList(1, argv.size()));
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(c.usage());
            return 0;
        }
        try {
            return c.run(parse(c, rest), out, err);
        } catch (CliCommand.UsageException e) {
            err.println("layerwise " + c.name() + ": " + Printable.of(e.getMessage()));
            err.println(c.usage());
            return 2;
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            // a missing native library or an exhausted heap is a failure to report, not a crash
            err.println("layerwise " + c.name() + ": " + oneLine(e));
            if (System.getenv("LAYERWISE_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static boolean isExistingFile(String arg) {
        try {
            return java.nio.file.Files.exists(java.nio.file.Path.of(arg));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** A failure as one line: the message, with the cause's when the message alone says little. */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
            if (e.getCause() != null && e.getCause().getMessage() != null) {
                m += ": " + e.getCause().getMessage();
            }
        }
        // line breaks become spaces; any other control character from outside is shown, not obeyed
        return Printable.of(m.replace('\n', ' ').replace('\r', ' ').strip());
    }

    /**
     * What {@code --version} prints: the tool, then the runtime a bug report needs. Reads no native
     * library, so it answers even where ONNX Runtime cannot load.
     */
    static String versionText() {
        BuildInfo b = BuildInfo.current();
        return b.describe() + System.lineSeparator() + "ONNX Runtime " + b.onnxRuntimeVersion() + ", Java "
                + System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
                + System.getProperty("java.vm.vendor", "unknown vendor") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    String overview() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: layerwise [COMMAND [ARGS]] | --version\n");
        sb.append("  (no command: open the workbench on the bundled sample model)\n\ncommands:\n");
        for (CliCommand c : commands.values()) {
            sb.append(String.format("  %-16s %s%n", c.name(), c.summary()));
        }
        sb.append("\n'layerwise COMMAND --help' shows a command's options.\n");
        return sb.toString();
    }

    /** Parses arguments with the option names the command declares. */
    private static Args parse(CliCommand c, List<String> rest) throws CliCommand.UsageException {
        if (c instanceof OptionSpec spec) {
            Args a = Args.parse(rest, spec.valuedOptions(), spec.flagOptions());
            a.requireAtMostPositional(spec.maxPositional());
            return a;
        }
        return Args.parse(rest, java.util.Set.of(), java.util.Set.of());
    }
}
