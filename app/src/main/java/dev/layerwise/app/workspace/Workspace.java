package dev.layerwise.app.workspace;

import dev.layerwise.core.io.InputFiles;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.layerwise.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved workbench session ({@code NAME.layerwise.yaml}): files, preprocessing, input sizes for
 * dynamic inputs ({@code input_shape: [images=1,3,640,640]}, as {@code --input-shape}), settings (the
 * RKNN toolkit among them: {@code 1} or {@code 2}; absent in older files, meaning 1) and the
 * per-layer types. Paths are written relative to the workspace file when they share a
 * folder tree, so a project folder can be moved or shared. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Workspace(
        @JsonProperty("layerwise_workspace") int version,
        @JsonProperty("model") String model,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("input") String input,
        @JsonProperty("mean") String mean,
        @JsonProperty("std") String std,
        @JsonProperty("channel_order") String channelOrder,
        @JsonProperty("input_shape") List<String> inputShape,
        @JsonProperty("dtype") String dtype,
        @JsonProperty("algorithm") String algorithm,
        @JsonProperty("threshold") Double threshold,
        @JsonProperty("promote_to") String promoteTo,
        @JsonProperty("layers") Map<String, String> layers,
        @JsonProperty("toolkit") String toolkit) {

    public static final int VERSION = 1;
    public static final String SUFFIX = ".layerwise.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())
            // a newer workbench may add fields; an older one should still open the file
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Workspace {
        layers = layers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
        // absent when no input is dynamic, so older workbenches and diffs see nothing new
        inputShape = inputShape == null || inputShape.isEmpty() ? null : List.copyOf(inputShape);
    }

    public static Workspace read(Path file) throws IOException {
        Workspace w;
        try {
            w = YAML.readValue(InputFiles.readUtf8(file, "workspace", InputFiles.SMALL_TEXT_LIMIT), Workspace.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new NotAWorkspaceException(file, e);
        }
        // any YAML mapping without our marker (a CI file, a compose file) reads as an empty record
        if (w == null || w.version() < 1) {
            throw new NotAWorkspaceException(file, new IOException("no layerwise_workspace version field"));
        }
        return w;
    }

    /**
     * A workspace of the sidebar's {@code fields} alone (absolute paths; no picks, threshold or
     * promotion type, so opening it gives those their defaults, the toolkit's usual promotion among them).
     */
    public static Workspace of(dev.layerwise.app.project.SidebarFields fields) {
        return new Workspace(VERSION, relativize(null, fields.model()), relativize(null, fields.dataset()),
                relativize(null, fields.input()), fields.mean(), fields.std(), fields.channelOrder(),
                dev.layerwise.app.project.ProjectViewModel.inputShapeEntries(fields.inputShape()),
                fields.type().configName(), fields.algorithm().configName(), null, null, Map.of(), fields.toolkit().number());
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, YAML.writeValueAsString(this));
    }

    /** {@code p} as written into a workspace stored in {@code dir}. */
    static String relativize(Path dir, Path p) {
        if (p == null) {
            return null;
        }
        Path abs = p.toAbsolutePath().normalize();
        if (dir == null) {
            return abs.toString();
        }
        try {
            Path rel = dir.toAbsolutePath().normalize().relativize(abs);
            return rel.toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            // another drive on Windows: keep it absolute
            return abs.toString();
        }
    }

    /** A path read from a workspace stored in {@code dir}. */
    static Path resolve(Path dir, String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        Path p = Path.of(s);
        return (p.isAbsolute() || dir == null ? p : dir.resolve(p)).toAbsolutePath().normalize();
    }
}
