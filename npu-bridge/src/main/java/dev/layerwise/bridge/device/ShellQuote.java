package dev.layerwise.bridge.device;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Quotes words for the device's POSIX shell (mksh, toybox, busybox ash): anything other than
 * plain characters is wrapped in single quotes, inside which nothing is interpreted; a single quote
 * itself becomes {@code '\''}. Names with spaces, quotes, {@code ;} or {@code $()} therefore reach
 * the command as data and never run.
 */
public final class ShellQuote {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+");

    private ShellQuote() {
    }

    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot contain a NUL character");
        }
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words quoted and joined by spaces. */
    public static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(w));
        }
        return sb.toString();
    }
}
