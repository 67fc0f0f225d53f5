package dev.layerwise.core.config;

import dev.layerwise.core.io.InputFileException;
import dev.layerwise.core.io.InputFiles;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.layerwise.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Reads and writes {@link QuantConfig} in either toolkit's layout (the section present decides on
 * reading; {@link QuantConfig#toolkit()} on writing), in RKNN's style ({@code %YAML 1.2} header, four-space
 * indents, one value per list item) with Jackson YAML. Stateless.
 */
public final class ConfigFile {

    /** The YAML reader, made when a cfg is first read (a command that reads none loads no YAML classes). */
    private static final class Reader {
        // a key given twice is an error, not a silent "last one wins"
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Jackson YAML on SnakeYAML, for a cfg holding a name {@link CfgText} does not write itself. */
    private static final class LibraryWriter {
        static final ObjectMapper MAPPER;

        static {
            DumperOptions d = new DumperOptions();
            d.setIndent(4);
            d.setIndicatorIndent(0);
            d.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            d.setWidth(4096);
            YAMLFactory f = YAMLFactory.builder().dumperOptions(d)
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build();
            MAPPER = new ObjectMapper(f);
        }
    }

    private ConfigFile() {
    }

    /**
     * Loads and initialises the YAML reader ahead of use (on the warm-up thread of a command) when
     * {@code reading}; a command that reads no cfg loads no YAML classes at all, as a cfg of the
     * usual names is written by {@link CfgText}.
     */
    public static void warmUp(boolean reading) {
        if (!reading) {
            return;
        }
        try {
            parse("a: [1.0]\n", "warm-up");
        } catch (ConfigException e) {
            // nothing to warm then
        }
    }

    /**
     * One line for a cfg the YAML parser refused: the line where the problem was found (the
     * parser's own location is where the enclosing block began), what is wrong, and for the two
     * usual hand edits (a tab indent; entries added under {@code custom_quantize_layers: {}})
     * what to change.
     */
    static String yamlError(String text, String name, JsonProcessingException e) {
        int line;
        String problem;
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
            line = m.getProblemMark().getLine() + 1;
            problem = m.getProblem();
        } else {
            JsonLocation loc = e.getLocation();
            line = loc == null ? 0 : loc.getLineNr();
            problem = e.getOriginalMessage();
        }
        String[] lines = text.split("\\R", -1);
        String where = name + (line > 0 ? " line " + line : "") + ": not valid YAML: ";
        if (line > 0 && line <= lines.length) {
            String here = lines[line - 1];
            if (here.matches(" *\t.*")) {
                return where + "a tab indents this line; YAML indents with spaces only (replace the tab with 4 spaces)";
            }
            String before = line >= 2 ? lines[line - 2].strip() : "";
            if (here.startsWith(" ") && before.endsWith(": {}")) {
                return where + "this entry is under '" + before + "', which says the section is empty; delete the '{}'";
            }
        }
        return where + (problem == null ? "" : problem.replaceAll("\\s+", " ").strip());
    }

    /** The file name RKNN gives the cfg of a model, e.g. {@code shufflenetv2_x1.quantization.cfg}. */
    public static String fileNameFor(String modelBaseName) {
        return modelBaseName + ".quantization.cfg";
    }

    public static QuantConfig read(Path file) throws ConfigException {
        String text;
        try {
            text = InputFiles.readUtf8(file, "cfg file", InputFiles.TEXT_LIMIT);
        } catch (InputFileException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses cfg text; {@code name} is used in error messages. */
    public static QuantConfig parse(String text, String name) throws ConfigException {
        JsonNode root;
        try {
            root = Reader.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(yamlError(text, name, e), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new QuantConfig(Map.of(), Map.of(), List.of(), Toolkit.TOOLKIT1);
        }
        if (!root.isObject()) {
            throw new ConfigException(name + ": expected a mapping with customized_quantize_layers (RKNN-Toolkit) or "
                    + "custom_quantize_layers (RKNN-Toolkit2) and quantize_parameters");
        }
        if (root.has(Toolkit.TOOLKIT1.section()) && root.has(Toolkit.TOOLKIT2.section())) {
            throw new ConfigException(name + " line " + lineOf(text, Toolkit.TOOLKIT2.section()) + ": both "
                    + Toolkit.TOOLKIT1.section() + " (RKNN-Toolkit) and " + Toolkit.TOOLKIT2.section()
                    + " (RKNN-Toolkit2) are present; keep the one of your toolkit");
        }
        Toolkit toolkit = root.has(Toolkit.TOOLKIT2.section()) ? Toolkit.TOOLKIT2 : Toolkit.TOOLKIT1;
        String section = toolkit.section();
        Map<String, String> layers = new LinkedHashMap<>();
        JsonNode custom = root.get(section);
        if (custom != null && !custom.isNull()) {
            if (!custom.isObject()) {
                throw new ConfigException(name + " line " + lineOf(text, section) + ": " + section + (toolkit == Toolkit.TOOLKIT1
                        ? " must map layer names to dtypes, e.g. 'Conv_0: dynamic_fixed_point-i16'"
                        : " must map output tensor names to types, e.g. 'conv1_out: float16'"));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = custom.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new ConfigException(name + " line " + lineOf(text, e.getKey()) + ": " + (toolkit == Toolkit.TOOLKIT1
                            ? "layer" : "tensor") + " '" + e.getKey() + "' has no dtype");
                }
                layers.put(e.getKey(), e.getValue().asText());
            }
        }
        Map<String, TensorEntry> params = new LinkedHashMap<>();
        JsonNode qp = root.get("quantize_parameters");
        if (qp != null && !qp.isNull()) {
            if (!qp.isObject()) {
                throw new ConfigException(name + " line " + lineOf(text, "quantize_parameters")
                        + ": quantize_parameters must be a mapping");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = qp.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), entry(e.getKey(), e.getValue(), text, name));
            }
        }
        List<String> comments = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String t = line.strip();
            if (t.startsWith("#")) {
                comments.add(t.substring(1).strip());
            } else if (!t.isEmpty() && !t.startsWith("%") && !t.equals("---")) {
                break;
            }
        }
        return new QuantConfig(layers, params, comments, toolkit);
    }

    private static TensorEntry entry(String key, JsonNode n, String text, String name) throws ConfigException {
        if (!n.isObject()) {
            throw new ConfigException(name + " line " + lineOf(text, key) + ": '" + key + "' must be a mapping of dtype, scale …");
        }
        try {
            return new TensorEntry(text(n, "dtype"), text(n, "method"), doubles(n.get("max_value")), doubles(n.get("min_value")),
                    longs(n.get("zero_point")), doubles(n.get("scale")), text(n, "qtype"), longs(n.get("fl")));
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " line " + lineOf(text, key) + ": '" + key + "' has a value that is not a number: "
                    + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<Double> doubles(JsonNode v) {
        List<Double> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            for (JsonNode x : v) {
                out.add(number(x));
            }
        } else {
            out.add(number(v));
        }
        return out;
    }

    private static double number(JsonNode x) {
        return x.isNumber() ? x.asDouble() : Double.parseDouble(x.asText().strip());
    }

    private static List<Long> longs(JsonNode v) {
        List<Long> out = new ArrayList<>();
        for (double d : doubles(v)) {
            if (d != Math.rint(d)) {
                throw new NumberFormatException(d + " is not a whole number");
            }
            out.add((long) d);
        }
        return out;
    }

    /** 1-based line of the first line mentioning {@code needle}, for messages; 0 if not found. */
    public static int lineOf(String text, String needle) {
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The cfg as text, in RKNN's layout. */
    public static String format(QuantConfig c) {
        String body = CfgText.body(c);
        if (body == null) {
            body = libraryBody(c);
        }
        StringBuilder sb = new StringBuilder("%YAML 1.2\n---\n");
        List<String> comments = !c.comments().isEmpty() ? c.comments()
                : List.of(c.toolkit() == Toolkit.TOOLKIT1 ? QuantConfig.VENDOR_COMMENT : QuantConfig.TOOLKIT2_COMMENT);
        for (String line : comments) {
            sb.append("# ").append(line).append('\n');
        }
        sb.append(body);
        return sb.toString();
    }

    /** The cfg's YAML below the header and comments, by Jackson YAML (any names). */
    static String libraryBody(QuantConfig c) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode custom = root.putObject(c.toolkit().section());
        c.customizedLayers().forEach(custom::put);
        ObjectNode qp = root.putObject("quantize_parameters");
        for (Map.Entry<String, TensorEntry> e : c.parameters().entrySet()) {
            TensorEntry t = e.getValue();
            ObjectNode o = qp.putObject(e.getKey());
            o.put("dtype", t.dtype());
            if (t.method() != null) {
                o.put("method", t.method());
            }
            if (CfgText.hasRange(t)) {
                list(o.putArray("max_value"), t.maxValue());
                list(o.putArray("min_value"), t.minValue());
                if (CfgText.hasZeroPoint(t)) {
                    ArrayNode zp = o.putArray("zero_point");
                    t.zeroPoint().forEach(zp::add);
                }
                if (CfgText.hasScale(t)) {
                    list(o.putArray("scale"), t.scale());
                }
            }
            if (t.qtype() != null) {
                o.put("qtype", t.qtype());
            }
            if (!t.fl().isEmpty()) {
                ArrayNode fl = o.putArray("fl");
                t.fl().forEach(fl::add);
            }
        }
        String body;
        try {
            body = LibraryWriter.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot format cfg", e);
        }
        // the vendor's writer pads list items to the indent width ("-   0.5"); SnakeYAML writes "- 0.5"
        return body.replaceAll("(?m)^(\\s*)- ", "$1-   ");
    }

    private static void list(ArrayNode a, List<Double> values) {
        for (double v : values) {
            a.add(v);
        }
    }

    /** Writes the cfg atomically. */
    public static void write(Path file, QuantConfig c) throws IOException {
        AtomicFiles.writeString(file, format(c));
    }
}
