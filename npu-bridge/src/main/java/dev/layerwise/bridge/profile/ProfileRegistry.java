package dev.layerwise.bridge.profile;

import dev.layerwise.core.io.InputFileException;
import dev.layerwise.core.io.InputFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runner profiles available: the built-in ones plus {@code *.yaml} files in the user's folder
 * (normally {@code ~/.layerwise/profiles}); a user profile with a built-in name replaces it.
 * Immutable once loaded; safe to share.
 *
 * <pre>
 * name: my-runner
 * description: one line
 * model: [onnx]                      # accepted extensions; omit for any
 * requires: [python3, "python:onnxruntime", "lib:rknnrt"]
 * files:
 *   - resource: my_runner.py         # next to this YAML file
 *   - user: helper                   # given at run time: --file helper=PATH
 *     as: helper
 *     mode: 0755
 * command: python3 my_runner.py {model} {input} {output}
 * output:
 *   file: output.npy                 # or: stdout: true (numbers printed by the command)
 * timeout: 120                       # seconds
 * </pre>
 */
public final class ProfileRegistry {

    /** Names of the profiles shipped in this module. */
    public static final List<String> BUILT_IN = List.of("onnxruntime-python", "rknn-lite2", "rknn-benchmark");
    private static final String RESOURCE_DIR = "/dev/layerwise/bridge/profile/";

    private final Map<String, RunnerProfile> profiles;
    private final Map<String, Path> userFolders;

    private ProfileRegistry(Map<String, RunnerProfile> profiles, Map<String, Path> userFolders) {
        this.profiles = Map.copyOf(profiles);
        this.userFolders = Map.copyOf(userFolders);
    }

    /** {@code ~/.layerwise/profiles}. */
    public static Path defaultUserFolder() {
        return Path.of(System.getProperty("user.home"), ".layerwise", "profiles");
    }

    /**
     * Loads the built-in profiles and those in {@code userFolder} (which may be missing or {@code null}).
     *
     * @throws ProfileException naming the file and field of a malformed profile
     */
    public static ProfileRegistry load(Path userFolder) throws ProfileException {
        Map<String, RunnerProfile> all = new LinkedHashMap<>();
        Map<String, Path> folders = new LinkedHashMap<>();
        for (String name : BUILT_IN) {
            try (InputStream in = ProfileRegistry.class.getResourceAsStream(RESOURCE_DIR + name + ".yaml")) {
                if (in == null) {
                    throw new ProfileException("built-in profile " + name + " is missing from the jar");
                }
                all.put(name, parse(in.readAllBytes(), "built-in"));
            } catch (IOException e) {
                throw new ProfileException("cannot read built-in profile " + name + ": " + e.getMessage(), e);
            }
        }
        if (userFolder != null && Files.isDirectory(userFolder)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(userFolder, "*.{yaml,yml}")) {
                ds.forEach(files::add);
            } catch (IOException e) {
                throw new ProfileException("cannot list profiles in " + userFolder + ": " + e.getMessage(), e);
            }
            files.sort(null);
            for (Path f : files) {
                try {
                    RunnerProfile p = parse(InputFiles.readAllBytes(f, "runner profile", InputFiles.SMALL_TEXT_LIMIT), f.toString());
                    all.put(p.name(), p);
                    folders.put(p.name(), userFolder);
                } catch (InputFileException e) {
                    throw new ProfileException(e.getMessage(), e);
                } catch (IOException e) {
                    throw new ProfileException(f + ": cannot read: " + e.getMessage(), e);
                }
            }
        }
        return new ProfileRegistry(all, folders);
    }

    public List<RunnerProfile> all() {
        return profiles.values().stream().sorted(java.util.Comparator.comparing(RunnerProfile::name)).toList();
    }

    public Optional<RunnerProfile> find(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    /** The named profile, or an error listing the known names. */
    public RunnerProfile get(String name) throws ProfileException {
        RunnerProfile p = profiles.get(name);
        if (p == null) {
            throw new ProfileException("unknown runner profile '" + name + "'; known: "
                    + String.join(", ", all().stream().map(RunnerProfile::name).toList())
                    + " (custom ones go in " + defaultUserFolder() + ")");
        }
        return p;
    }

    /** Content of a file the profile ships ({@link RunnerProfile.FileSpec#resource()}). */
    public byte[] resource(RunnerProfile profile, String resource) throws ProfileException {
        if (resource.contains("..") || resource.startsWith("/")) {
            throw new ProfileException(profile.source() + ": resource '" + resource + "' must be a plain file name");
        }
        Path folder = userFolders.get(profile.name());
        try {
            if (folder != null && Files.isRegularFile(folder.resolve(resource))) {
                return InputFiles.readAllBytes(folder.resolve(resource), "profile resource", InputFiles.MODEL_LIMIT);
            }
            try (InputStream in = ProfileRegistry.class.getResourceAsStream(RESOURCE_DIR + resource)) {
                if (in == null) {
                    throw new ProfileException(profile.source() + ": resource '" + resource + "' not found"
                            + (folder == null ? "" : " in " + folder));
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new ProfileException(profile.source() + ": cannot read resource '" + resource + "': " + e.getMessage(), e);
        }
    }

    /** Parses one profile; {@code source} names it in messages. */
    public static RunnerProfile parse(byte[] yaml, String source) throws ProfileException {
        JsonNode n;
        try {
            n = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new ProfileException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (n == null || !n.isObject()) {
            throw new ProfileException(source + ": a profile is a YAML mapping with name, command and output");
        }
        String name = text(n, "name", source, true);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new ProfileException(source + ": name '" + name + "' may only hold letters, digits, '.', '_' and '-'");
        }
        String command = text(n, "command", source, true);
        String description = text(n, "description", source, false);
        List<String> models = strings(n, "model", source);
        List<String> requires = strings(n, "requires", source);
        for (String r : requires) {
            if (!(r.equals("python3") || r.startsWith("python:") || r.startsWith("lib:"))) {
                throw new ProfileException(source + ": requires: '" + r + "' is not python3, python:MODULE or lib:rknnrt");
            }
        }
        List<RunnerProfile.FileSpec> files = new ArrayList<>();
        JsonNode fl = n.get("files");
        if (fl != null && !fl.isNull()) {
            if (!fl.isArray()) {
                throw new ProfileException(source + ": files: expected a list");
            }
            int i = 0;
            for (JsonNode f : fl) {
                String where = source + ": files[" + i++ + "]";
                String resource = f.hasNonNull("resource") ? f.get("resource").asText() : null;
                String user = f.hasNonNull("user") ? f.get("user").asText() : null;
                if ((resource == null) == (user == null)) {
                    throw new ProfileException(where + ": give exactly one of 'resource' or 'user'");
                }
                String target = f.hasNonNull("as") ? f.get("as").asText() : resource != null ? resource : user;
                if (target.isBlank() || target.contains("/")) {
                    throw new ProfileException(where + ": 'as' must be a plain file name");
                }
                int mode = f.hasNonNull("mode") ? parseMode(f.get("mode"), where) : 0644;
                files.add(new RunnerProfile.FileSpec(resource, user, target, mode));
            }
        }
        JsonNode out = n.get("output");
        String outputFile;
        if (out == null || !out.isObject()) {
            throw new ProfileException(source + ": output: expected 'file: NAME.npy' or 'stdout: true'");
        }
        if (out.hasNonNull("file")) {
            outputFile = out.get("file").asText();
            if (outputFile.isBlank() || outputFile.contains("/")) {
                throw new ProfileException(source + ": output.file must be a plain file name");
            }
        } else if (out.path("stdout").asBoolean(false)) {
            outputFile = null;
        } else {
            throw new ProfileException(source + ": output: expected 'file: NAME.npy' or 'stdout: true'");
        }
        long seconds = n.path("timeout").asLong(120);
        if (seconds <= 0) {
            throw new ProfileException(source + ": timeout must be a positive number of seconds");
        }
        return new RunnerProfile(name, description == null ? name : description, models, requires, files, command,
                outputFile, Duration.ofSeconds(seconds), source);
    }

    private static int parseMode(JsonNode m, String where) throws ProfileException {
        // YAML 1.1 reads 0755 as octal 493, YAML 1.2 as decimal 755; accept both spellings
        String t = m.asText().strip();
        try {
            if (m.isInt() && m.asInt() == 493) {
                return 0755;
            }
            if (m.isInt() && m.asInt() == 420) {
                return 0644;
            }
            return Integer.parseInt(t.startsWith("0o") ? t.substring(2) : t, 8);
        } catch (NumberFormatException e) {
            throw new ProfileException(where + ": mode '" + t + "' is not an octal permission such as 0755");
        }
    }

    private static String text(JsonNode n, String field, String source, boolean required) throws ProfileException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                throw new ProfileException(source + ": missing '" + field + "'");
            }
            return null;
        }
        if (!v.isValueNode()) {
            throw new ProfileException(source + ": '" + field + "' must be text");
        }
        return v.asText().strip();
    }

    private static List<String> strings(JsonNode n, String field, String source) throws ProfileException {
        JsonNode v = n.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isValueNode()) {
            out.add(v.asText().strip());
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                out.add(e.asText().strip());
            }
        } else {
            throw new ProfileException(source + ": '" + field + "' must be a list");
        }
        return out;
    }
}
