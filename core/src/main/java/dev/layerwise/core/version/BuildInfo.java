package dev.layerwise.core.version;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * What made a report or is running: the tool's name and version and when it was built. The values
 * come from {@code build-info.properties}, which Maven fills in from the pom, so the version is
 * written in one place. Immutable; {@link #current()} is safe from any thread.
 *
 * @param name the tool's name, {@code layerwise}
 * @param version the Maven version, e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}; {@code unknown} if the
 *        classes were not built by Maven
 * @param builtAt when the build ran (UTC, to the second); null if unknown
 * @param onnxRuntimeVersion the ONNX Runtime version built against, e.g. {@code 1.29.0}
 */
public record BuildInfo(String name, String version, Instant builtAt, String onnxRuntimeVersion) {

    static final String RESOURCE = "build-info.properties";
    private static final String UNKNOWN = "unknown";

    /** The running build's information, read once. */
    public static BuildInfo current() {
        return Holder.CURRENT;
    }

    /** One line, e.g. {@code layerwise 0.1.0 (built 2026-11-28 08:45 UTC)}. */
    public String describe() {
        return name + " " + version + (builtAt == null ? "" : " (built " + builtDate() + ")");
    }

    /** The build date as {@code yyyy-MM-dd HH:mm UTC}, or {@code unknown}. */
    public String builtDate() {
        return builtAt == null ? UNKNOWN
                : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(builtAt);
    }

    static BuildInfo read(InputStream in) throws IOException {
        Properties p = new Properties();
        if (in != null) {
            p.load(in);
        }
        return new BuildInfo(value(p, "name", "layerwise"), value(p, "version", UNKNOWN), instant(p.getProperty("build.date")),
                value(p, "onnxruntime.version", UNKNOWN));
    }

    /** A value, or the fallback when it is missing or still an unfiltered {@code ${…}} placeholder. */
    private static String value(Properties p, String key, String fallback) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? fallback : v.strip();
    }

    static Instant instant(String s) {
        if (s == null || s.isBlank() || s.startsWith("${")) {
            return null;
        }
        String t = s.strip();
        Instant plain = plainUtc(t);
        if (plain != null) {
            return plain;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ssZ}, the form the build writes, read without {@link Instant#parse}:
     * the first use of java.time's parser costs a cold command ~20 ms of CPU (its formatter classes
     * and lambdas), and every command reads this at start for ONNX Runtime's version. Anything else
     * (fractions, offsets, an out-of-range field) is {@code null} here and left to the parser.
     */
    private static Instant plainUtc(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        if (year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        try {
            // LocalDate checks the month and the day within it (leap years too); no formatter is loaded
            long days = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in {@code t[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Lazy holder: the resource is read on first use, by whichever thread comes first. */
    private static final class Holder {
        static final BuildInfo CURRENT = load();

        private static BuildInfo load() {
            try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
                return read(in);
            } catch (IOException e) {
                // a build without the resource still runs; it just cannot say which version it is
                return new BuildInfo("layerwise", UNKNOWN, null, UNKNOWN);
            }
        }
    }
}
