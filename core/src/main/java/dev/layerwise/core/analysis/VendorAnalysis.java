package dev.layerwise.core.analysis;

import dev.layerwise.core.config.Toolkit2Layout;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RKNN-Toolkit2's {@code error_analysis.txt} (what {@code accuracy_analysis} writes): one row per
 * vendor layer, {@code [Op] tensor}, then {@code cos | euc} pairs — {@code simulator_error}
 * {@code entire} and {@code single}, and, when a board was attached ({@code target=…}),
 * {@code runtime_error} {@code entire} and {@code single_sim}. A layer fused into the next has a
 * row without numbers. Reads the vendor's file and writes the same layout from our analysis
 * ({@link #format}). Immutable.
 *
 * @param rows every layer row in file order
 * @param hasRuntime true when the header has a {@code runtime_error} group
 */
public record VendorAnalysis(List<Row> rows, boolean hasRuntime) {

    /** The file name RKNN-Toolkit2 writes. */
    public static final String FILE_NAME = "error_analysis.txt";

    private static final Pattern ROW = Pattern.compile("^\\[([^\\]]*)\\]\\s+(\\S+)(.*)$");
    private static final String NUMBER = "([-+]?(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?|\\.\\d+(?:[eE][-+]?\\d+)?|nan|inf))";
    private static final Pattern PAIR = Pattern.compile(NUMBER + "\\s*\\|\\s*" + NUMBER, Pattern.CASE_INSENSITIVE);
    private static final int NAME_WIDTH = 40;
    private static final int PAIR_WIDTH = 20;

    public VendorAnalysis {
        rows = List.copyOf(rows);
    }

    /**
     * Cosine and euclidean distance of one column.
     *
     * @param cos cosine, in [-1, 1]
     * @param euc euclidean distance, &ge; 0
     */
    public record Pair(double cos, double euc) {
    }

    /**
     * One layer row. The pairs are {@code null} where the file has no numbers (a fused layer, or no
     * runtime group).
     *
     * @param line 1-based line in the file
     * @param op the vendor's op in brackets, e.g. {@code Conv}, {@code exDataConvert}
     * @param tensor the layer's output tensor name
     */
    public record Row(int line, String op, String tensor, Pair simulatorEntire, Pair simulatorSingle, Pair runtimeEntire,
            Pair runtimeSingleSim) {

        /** True for a layer fused into the next: the file gives it no numbers. */
        public boolean fused() {
            return simulatorEntire == null;
        }
    }

    /**
     * The vendor's rows against our layers: the numbers of each layer's last row (a fused Conv's
     * numbers are on its activation's row), and the rows with numbers that name no layer (inputs,
     * the toolkit's own conversion layers, tensors our graph does not have).
     *
     * @param byLayer our layer name to its row, graph order
     * @param unmatched rows with numbers that belong to no layer
     */
    public record Match(Map<String, Row> byLayer, List<Row> unmatched) {
        public Match {
            byLayer = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byLayer));
            unmatched = List.copyOf(unmatched);
        }
    }

    /** Matches rows to layers by tensor name (a layer's outputs and the tensors inside it; a {@code :0} suffix is ignored). */
    public Match match(LayerGraph graph) {
        Map<String, String> owner = graph.tensorOwners();
        Map<String, Row> found = new LinkedHashMap<>();
        List<Row> unmatched = new ArrayList<>();
        for (Row r : rows) {
            if (r.fused()) {
                continue;
            }
            String layer = Toolkit2Layout.tensorLayer(r.tensor(), owner);
            if (layer == null) {
                unmatched.add(r);
            } else {
                found.put(layer, r);
            }
        }
        Map<String, Row> ordered = new LinkedHashMap<>();
        for (Layer l : graph.layers()) {
            Row r = found.get(l.name());
            if (r != null) {
                ordered.put(l.name(), r);
            }
        }
        return new Match(ordered, unmatched);
    }

    public static VendorAnalysis read(Path file) throws ReportFormatException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ReportFormatException(file + ": file not found");
        } catch (IOException e) {
            throw new ReportFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses the text of an {@code error_analysis.txt}; {@code name} is used in messages.
     *
     * @throws ReportFormatException naming the line when the header is missing or a row has a
     *     number of {@code cos | euc} pairs other than 0, 2 or 4 (or 4 without a runtime group)
     */
    public static VendorAnalysis parse(String text, String name) throws ReportFormatException {
        String[] lines = text.split("\\R", -1);
        boolean header = false;
        boolean runtime = false;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!header) {
                if (line.contains("simulator_error")) {
                    header = true;
                    runtime = line.contains("runtime_error");
                }
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            List<Pair> pairs = new ArrayList<>();
            Matcher p = PAIR.matcher(m.group(3));
            int end = 0;
            while (p.find()) {
                if (!m.group(3).substring(end, p.start()).isBlank()) {
                    break;
                }
                pairs.add(new Pair(number(p.group(1)), number(p.group(2))));
                end = p.end();
            }
            String rest = m.group(3).substring(end).strip();
            int n = pairs.size();
            if (!rest.isEmpty() || n != 0 && n != 2 && n != 4 || n == 4 && !runtime) {
                throw new ReportFormatException(name + " line " + (i + 1) + ": expected " + (runtime ? "2 or 4" : "2")
                        + " 'cos | euc' pairs after '[" + m.group(1) + "] " + m.group(2) + "', found "
                        + (rest.isEmpty() ? String.valueOf(n) : "'" + rest + "'"));
            }
            rows.add(new Row(i + 1, m.group(1), m.group(2), n > 0 ? pairs.get(0) : null, n > 0 ? pairs.get(1) : null,
                    n > 2 ? pairs.get(2) : null, n > 2 ? pairs.get(3) : null));
        }
        if (!header) {
            throw new ReportFormatException(name + ": no 'simulator_error' header; not an RKNN-Toolkit2 error_analysis.txt");
        }
        if (rows.isEmpty()) {
            throw new ReportFormatException(name + ": no layer rows ('[Op] tensor  cos | euc …')");
        }
        return new VendorAnalysis(rows, runtime);
    }

    private static double number(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.endsWith("nan")) {
            return Double.NaN;
        }
        if (t.endsWith("inf")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(s);
    }

    /**
     * Our analysis in the vendor's layout: a layer with a fused activation gives a row without
     * numbers for the compute op's own tensor, then the activation's row; {@code entire} is our
     * entire, {@code single} our individual analysis. Graph inputs get no row.
     */
    public static String format(AnalysisResult r, LayerGraph graph) {
        StringBuilder sb = new StringBuilder();
        sb.append(pad("layer_name", NAME_WIDTH + 5)).append("simulator_error\n");
        sb.append(pad("", NAME_WIDTH + 1)).append(pad("entire", PAIR_WIDTH)).append("single\n");
        sb.append(pad("", NAME_WIDTH - 2)).append(pad("cos      euc", PAIR_WIDTH)).append("cos      euc\n");
        sb.append("-".repeat(NAME_WIDTH + 2 * PAIR_WIDTH)).append('\n');
        for (LayerReport l : r.layers()) {
            Layer layer = graph.layer(l.name());
            if (layer != null && l.activation() != null) {
                String inner = graph.node(layer.nodes().get(0)).getOutput(0);
                sb.append("[").append(l.op()).append("] ").append(inner).append('\n');
            }
            String op = l.activation() != null ? l.activation() : l.op();
            sb.append(pad("[" + op + "] " + l.output(), NAME_WIDTH)).append(' ')
                    .append(pad(pair(l.entire()), PAIR_WIDTH)).append(pair(l.individual())).append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #format} atomically to {@code dir/error_analysis.txt}. */
    public static void write(Path dir, AnalysisResult r, LayerGraph graph) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE_NAME), format(r, graph));
    }

    private static String pair(Metrics m) {
        return String.format(Locale.ROOT, "%.5f | %.4f", m.cosine(), m.euclidean());
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
