package dev.layerwise.app.cli;

import dev.layerwise.app.cli.CliCommand.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value} options, {@code --flag} switches and
 * positional words. Options may repeat ({@link #all}). Unknown options are a usage error.
 */
public final class Args {

    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    /**
     * @param valued names (without {@code --}) that take a value
     * @param flags names that take none
     */
    public static Args parse(List<String> argv, Set<String> valued, Set<String> flags) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String w = argv.get(i);
            if (w.startsWith("--") && w.length() > 2) {
                String name = w.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name) && value == null) {
                    a.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.size()) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = argv.get(++i);
                    }
                    a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else if (w.equals("-o") && valued.contains("output")) {
                if (i + 1 >= argv.size()) {
                    throw new UsageException("-o needs a value");
                }
                a.options.computeIfAbsent("output", k -> new ArrayList<>()).add(argv.get(++i));
            } else if (w.startsWith("-") && w.length() > 1 && !isNumber(w)) {
                throw new UsageException("unknown option " + w + (w.equals("-o") ? " (this command writes no files)"
                        : "; name a file that starts with '-' as ./" + w));
            } else {
                a.positional.add(w);
            }
        }
        for (Map.Entry<String, List<String>> e : a.options.entrySet()) {
            // an empty value is a slip (an unset shell variable): '-o ""' would mean the working folder
            if (valued.contains(e.getKey()) && e.getValue().stream().anyMatch(String::isBlank)) {
                throw new UsageException((e.getKey().equals("output") ? "-o" : "--" + e.getKey()) + " needs a value, got ''");
            }
        }
        return a;
    }

    private static boolean isNumber(String w) {
        try {
            Double.parseDouble(w);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Refuses positional words beyond the first {@code max}. */
    public void requireAtMostPositional(int max) throws UsageException {
        if (positional.size() > max) {
            throw new UsageException("unexpected argument '" + positional.get(max) + "'"
                    + (max == 0 ? "; this command takes no MODEL or file" : "; give one MODEL"));
        }
    }

    public String get(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    public String get(String name, String dflt) {
        String v = get(name);
        return v == null ? dflt : v;
    }

    public String require(String name) throws UsageException {
        String v = get(name);
        if (v == null) {
            throw new UsageException("missing --" + name);
        }
        return v;
    }

    public Path path(String name) {
        String v = get(name);
        return v == null ? null : Path.of(v);
    }

    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public int intValue(String name, int dflt) throws UsageException {
        String v = get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " wants a whole number, got '" + v + "'");
        }
    }

    public double doubleValue(String name, double dflt) throws UsageException {
        String v = get(name);
        if (v == null) {
            return dflt;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " wants a number, got '" + v + "'");
        }
        if (!Double.isFinite(d)) {
            throw new UsageException("--" + name + " wants a finite number, got '" + v + "'");
        }
        return d;
    }

    /** {@link #intValue(String, int)} that must lie in {@code [min, max]}; checked before any work. */
    public int intValue(String name, int dflt, int min, int max) throws UsageException {
        int v = intValue(name, dflt);
        if (v < min || v > max) {
            throw new UsageException("--" + name + " must be " + range(min, max) + ", got " + get(name).strip());
        }
        return v;
    }

    /** {@link #doubleValue(String, double)} that must lie in {@code [min, max]}; checked before any work. */
    public double doubleValue(String name, double dflt, double min, double max) throws UsageException {
        double v = doubleValue(name, dflt);
        if (v < min || v > max) {
            throw new UsageException("--" + name + " must be between " + plain(min) + " and " + plain(max) + ", got "
                    + get(name).strip());
        }
        return v;
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    /** The first positional word, or {@code null}. */
    public String first() {
        return positional.isEmpty() ? null : positional.get(0);
    }
}
