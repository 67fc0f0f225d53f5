package dev.layerwise.core.analysis;

/**
 * Writes JSON as Jackson's {@code ObjectMapper} with {@code INDENT_OUTPUT} (its default pretty
 * printer) does, character for character: objects one member a line indented two spaces per
 * level ({@code "name" : value}), arrays on one line ({@code [ 1, 2 ]}, {@code [ {} ]} opening an
 * object on the same line), {@code { }} and {@code [ ]} when empty, numbers as
 * {@code String.valueOf} writes them but NaN and the infinities as strings, strings escaped as
 * Jackson escapes them (quote, backslash, control characters; nothing else). {@code analysis.json}
 * is written with it so that a command loads no Jackson class: on a cold start the mapper's set-up
 * and first serialisation cost tens of milliseconds of CPU. Not thread-safe; one document.
 */
final class JsonText {

    private static final String LINE = System.lineSeparator();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder sb = new StringBuilder(4096);
    /** Per open container: members or elements written so far; negative for an array. */
    private int[] counts = new int[16];
    private int depth;
    private int nesting;
    private boolean afterName;

    JsonText beginObject() {
        beforeValue();
        sb.append('{');
        push(0);
        nesting++;
        return this;
    }

    JsonText endObject() {
        int count = counts[--depth];
        nesting--;
        if (count > 0) {
            indent();
        } else {
            sb.append(' ');
        }
        sb.append('}');
        return this;
    }

    JsonText beginArray() {
        beforeValue();
        sb.append('[');
        push(-1);
        return this;
    }

    JsonText endArray() {
        depth--;
        // Jackson's array indenter writes one space before ']' whether or not there were elements
        sb.append(" ]");
        return this;
    }

    /** The next member's name; its value follows. */
    JsonText name(String name) {
        if (counts[depth - 1]++ > 0) {
            sb.append(',');
        }
        indent();
        string(name);
        sb.append(" : ");
        afterName = true;
        return this;
    }

    JsonText value(String s) {
        beforeValue();
        if (s == null) {
            sb.append("null");
        } else {
            string(s);
        }
        return this;
    }

    JsonText value(long v) {
        beforeValue();
        sb.append(v);
        return this;
    }

    JsonText value(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            // Jackson's WRITE_NAN_AS_STRINGS, on by default
            return value(String.valueOf(v));
        }
        beforeValue();
        sb.append(v);
        return this;
    }

    JsonText nullValue() {
        return value((String) null);
    }

    /** The document written. */
    String text() {
        return sb.toString();
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0 && counts[depth - 1] < 0) {
            // an array element: " " before the first, ", " before the others
            sb.append(counts[depth - 1]-- == -1 ? " " : ", ");
        }
    }

    private void push(int count) {
        if (depth == counts.length) {
            counts = java.util.Arrays.copyOf(counts, depth * 2);
        }
        counts[depth++] = count;
    }

    private void indent() {
        sb.append(LINE);
        for (int i = 0; i < nesting; i++) {
            sb.append("  ");
        }
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                sb.append(c);
                continue;
            }
            sb.append('\\');
            switch (c) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '\b' -> sb.append('b');
                case '\t' -> sb.append('t');
                case '\f' -> sb.append('f');
                case '\n' -> sb.append('n');
                case '\r' -> sb.append('r');
                default -> sb.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        sb.append('"');
    }
}
