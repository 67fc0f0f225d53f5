package dev.layerwise.core.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildInfoTest {

    /** The root pom, read as text: an independent source for what the filtered resource must say. */
    private static String rootPom() throws IOException {
        return Files.readString(TestModels.repoRoot().resolve("pom.xml"), StandardCharsets.UTF_8);
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "pom has " + regex);
        return m.group(1);
    }

    @Test
    void versionIsThePomsVersion() throws IOException {
        // the parent's own version, not a dependency's
        String version = first(rootPom(), "<artifactId>layerwise-parent</artifactId>\\s*<version>([^<]+)</version>");
        assertEquals(version, BuildInfo.current().version());
        assertEquals("layerwise", BuildInfo.current().name());
    }

    @Test
    void onnxRuntimeVersionIsThePomsProperty() throws IOException {
        assertEquals(first(rootPom(), "<onnxruntime.version>([^<]+)</onnxruntime.version>"),
                BuildInfo.current().onnxRuntimeVersion());
    }

    @Test
    void buildDateIsFilledInAndNotInTheFuture() {
        Instant built = BuildInfo.current().builtAt();
        assertNotNull(built, "build.date was filtered into an ISO instant");
        assertFalse(built.isAfter(Instant.now().plus(Duration.ofMinutes(1))), "built " + built);
    }

    @Test
    void describeNamesVersionAndDateInUtc() throws IOException {
        BuildInfo b = BuildInfo.read(stream("name=layerwise\nversion=1.2.3\nbuild.date=2026-11-28T08:45:59Z\n"));
        assertEquals("layerwise 1.2.3 (built 2026-11-28 08:45 UTC)", b.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-28T08:45:59Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2000-12-31T12:00:00Z",
        "9999-12-31T23:59:59Z", "2026-11-28T08:45:59.250Z", "2026-11-28T08:45Z", "2026-11-28T08:45:59+01:00",
        "2026-11-28T24:00:00Z", "2026-13-28T08:45:59Z", "2026-02-30T08:45:59Z", "2023-02-29T08:45:59Z",
        "2026-11-28T08:60:59Z", "2026-11-2xT08:45:59Z", "yesterday", "2026-11-28 08:45:59Z", " 2026-11-28T08:45:59Z "})
    void aBuildDateReadsAsJavaTimesParserReadsIt(String s) {
        Instant expected;
        try {
            expected = Instant.parse(s.strip());
        } catch (java.time.format.DateTimeParseException e) {
            expected = null;
        }
        assertEquals(expected, BuildInfo.instant(s), s);
    }

    @Test
    void unfilteredPlaceholdersReadAsUnknown() throws IOException {
        BuildInfo b = BuildInfo.read(stream("version=${project.version}\nbuild.date=${layerwise.build.date}\n"));
        assertEquals("unknown", b.version());
        assertNull(b.builtAt());
        assertEquals("layerwise unknown", b.describe());
    }

    @Test
    void missingResourceReadsAsUnknown() throws IOException {
        BuildInfo b = BuildInfo.read(null);
        assertEquals("unknown", b.version());
        assertEquals("unknown", b.builtDate());
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
