package dev.layerwise.core.io;

/**
 * Text from outside (a device's serial or properties, a command's output, a user's argument)
 * made safe to put in a one-line message: control characters, including line breaks and the
 * escape that starts terminal sequences, become visible escapes ({@code \n}, {@code \x1b}), so
 * such text can neither forge a log line nor drive the terminal. Stateless.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code text} with every control or line-separator character escaped; {@code null} stays null. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String esc = escape(c);
            if (esc != null && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb != null) {
                if (esc != null) {
                    sb.append(esc);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static String escape(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            return c <= 0xFF ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
        }
        return null;
    }
}
