package dev.layerwise.core.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a cfg's YAML by hand, exactly as {@link ConfigFile}'s Jackson YAML writer does, when every
 * name and value in it is of a kind whose YAML form is known: plain ({@code Conv_0},
 * {@code /stage2/Conv_output_0}, {@code onnx::Conv_12}, {@code float16}) or, for a Toolkit 1 key,
 * {@code @} and such a name in single quotes ({@code '@Conv_0:out0'}), or, starting with a digit, in double
 * quotes ({@code "13"}, {@code "30b"}: tensors of older PyTorch exports; a value only when all digits). Any other name (quotes,
 * spaces, {@code #}, unicode, line breaks, a leading digit or {@code -}, a YAML word such as
 * {@code yes} or {@code null}, a long name that YAML writes as a complex key) makes {@link #body}
 * give up, and the library writes the cfg. On a cold start the library cost ~90 ms of CPU per
 * {@code analyze} (its classes, its warm-up and the formatting); this costs a few. Stateless.
 */
final class CfgText {

    /** Longer keys are written by SnakeYAML as complex keys ({@code ? key}) from 128 characters. */
    private static final int MAX_NAME = 100;
    /** Words YAML or Jackson's quoting reads as booleans or null, in any case. */
    private static final Set<String> WORDS = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

    private CfgText() {
    }

    /** The YAML below the header and comments, or null when a name needs the library. */
    static String body(QuantConfig c) {
        StringBuilder sb = new StringBuilder(64 + 160 * c.parameters().size());
        sb.append(c.toolkit().section()).append(':');
        if (c.customizedLayers().isEmpty()) {
            sb.append(" {}\n");
        } else {
            sb.append('\n');
            for (Map.Entry<String, String> e : c.customizedLayers().entrySet()) {
                sb.append("    ");
                if (!key(sb, e.getKey())) {
                    return null;
                }
                sb.append(": ");
                if (!plain(sb, e.getValue())) {
                    return null;
                }
                sb.append('\n');
            }
        }
        sb.append("quantize_parameters:");
        if (c.parameters().isEmpty()) {
            sb.append(" {}\n");
            return sb.toString();
        }
        sb.append('\n');
        for (Map.Entry<String, TensorEntry> e : c.parameters().entrySet()) {
            TensorEntry t = e.getValue();
            sb.append("    ");
            if (!key(sb, e.getKey())) {
                return null;
            }
            sb.append(":\n");
            if (!field(sb, "dtype", t.dtype()) || t.method() != null && !field(sb, "method", t.method())) {
                return null;
            }
            if (hasRange(t)) {
                list(sb, "max_value", t.maxValue());
                list(sb, "min_value", t.minValue());
                if (hasZeroPoint(t)) {
                    list(sb, "zero_point", t.zeroPoint());
                }
                if (hasScale(t)) {
                    list(sb, "scale", t.scale());
                }
            }
            if (t.qtype() != null && !field(sb, "qtype", t.qtype())) {
                return null;
            }
            if (!t.fl().isEmpty()) {
                list(sb, "fl", t.fl());
            }
        }
        return sb.toString();
    }

    /** Whether an entry has {@code max_value} and {@code min_value} (RKNN writes none for a float layer's {@code None}). */
    static boolean hasRange(TensorEntry t) {
        return t.dtype() != null && !t.dtype().equals("None") || !t.maxValue().isEmpty();
    }

    /** Whether an entry with a range has {@code zero_point} (dynamic fixed point has none unless read so). */
    static boolean hasZeroPoint(TensorEntry t) {
        return !t.zeroPoint().isEmpty() || !"dynamic_fixed_point".equals(t.dtype());
    }

    /** Whether an entry with a range has {@code scale}. */
    static boolean hasScale(TensorEntry t) {
        return !t.scale().isEmpty() || !"dynamic_fixed_point".equals(t.dtype());
    }

    /** One {@code name: value} line of an entry, or false when the value needs the library. */
    private static boolean field(StringBuilder sb, String name, String value) {
        sb.append("        ").append(name).append(": ");
        if (!plain(sb, value)) {
            return false;
        }
        sb.append('\n');
        return true;
    }

    /** Jackson writes numbers as {@code String.valueOf} does; the vendor pads list items ("-   0.5"). */
    private static void list(StringBuilder sb, String name, List<? extends Number> values) {
        sb.append("        ").append(name).append(':');
        if (values.isEmpty()) {
            sb.append(" []\n");
            return;
        }
        sb.append('\n');
        for (Number v : values) {
            sb.append("        -   ").append(v).append('\n');
        }
    }

    private static boolean key(StringBuilder sb, String s) {
        if (s != null && s.length() > 1 && s.length() <= MAX_NAME && s.charAt(0) == '@' && rest(s, 1)) {
            // '@' is a YAML indicator: SnakeYAML quotes the key, singly as nothing in it needs escaping
            sb.append('\'').append(s).append('\'');
            return true;
        }
        if (s != null && !s.isEmpty() && s.length() <= MAX_NAME && s.charAt(0) >= '0' && s.charAt(0) <= '9' && rest(s, 0)) {
            // a key that starts like a number ("30b", "13"): Jackson asks for double quotes, which it needs no escape in
            sb.append('"').append(s).append('"');
            return true;
        }
        return plain(sb, s);
    }

    private static boolean plain(StringBuilder sb, String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_NAME || !rest(s, 0) || s.charAt(s.length() - 1) == ':') {
            return false;
        }
        char first = s.charAt(0);
        if (digits(s)) {
            // a tensor named by a number (older PyTorch exports: "2", "13"): quoted so it stays a string
            sb.append('"').append(s).append('"');
            return true;
        }
        if (!(first >= 'A' && first <= 'Z' || first >= 'a' && first <= 'z' || first == '_' || first == '/')) {
            return false;
        }
        if (s.length() <= 5 && WORDS.contains(s.toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        sb.append(s);
        return true;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Letters, digits and {@code _ . / : -} from {@code from} on. */
    private static boolean rest(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean ok = ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '.'
                    || ch == '/' || ch == ':' || ch == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
