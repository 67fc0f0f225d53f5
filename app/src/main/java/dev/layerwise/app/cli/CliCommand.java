package dev.layerwise.app.cli;

import java.io.PrintStream;
import java.util.List;

/** One headless command, e.g. {@code analyze}. Implementations are stateless. */
public interface CliCommand {

    /** The word the user types, e.g. {@code analyze}. */
    String name();

    /** One line for the command list, e.g. {@code calibrate, quantize and analyse a model}. */
    String summary();

    /** Full usage text, printed for {@code --help} and on usage errors. */
    String usage();

    /**
     * Runs the command.
     *
     * @return exit code: 0 ok, 1 failure (one-line cause already printed on {@code err}), 2 usage
     * @throws UsageException for bad or missing arguments; the caller prints it with the usage and exits 2
     * @throws Exception any other failure; the caller prints its message on one line and exits 1
     */
    int run(Args args, PrintStream out, PrintStream err) throws Exception;

    /** Bad command-line arguments. */
    final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Convenience for commands that take a list of words. */
    static List<String> words(String... w) {
        return List.of(w);
    }
}
