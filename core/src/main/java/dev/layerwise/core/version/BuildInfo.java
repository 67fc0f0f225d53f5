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

    private static Instant instant(String s) {
        if (s == null || s.isBlank() || s.startsWith("${")) {
            return null;
        }
        try {
            return Instant.parse(s.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
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
