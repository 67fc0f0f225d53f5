package dev.layerwise.bridge.run;

import dev.layerwise.bridge.device.DeviceClient;
import dev.layerwise.bridge.device.DeviceException;
import dev.layerwise.bridge.device.DeviceInfo;
import dev.layerwise.bridge.device.ShellQuote;
import dev.layerwise.bridge.device.ShellResult;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.profile.ProfileException;
import dev.layerwise.bridge.profile.ProfileRegistry;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.core.runtime.Classification;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run on one device: check, prepare the work folder, push and verify, run, pull, read the
 * output, clean up. Every device call is bounded; the work folder is removed whatever happens.
 * Nothing is written on the host. Used once, on one worker thread.
 */
final class DeviceRun {

    /** Largest output file pulled back. */
    static final long MAX_OUTPUT_BYTES = 512L << 20;
    static final String INPUT_NAME = "input.npy";
    /** Most graph outputs pulled back from one run. */
    static final int MAX_OUTPUTS = 64;
    private static final long SPACE_MARGIN = 1 << 20;
    private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?(?:nan|inf)",
            Pattern.CASE_INSENSITIVE);

    private final DeviceClient client;
    private final DeviceInfo info;
    private final RunRequest request;
    private final ProfileRegistry profiles;
    private final DeviceProgress listener;
    private final Duration commandTimeout;
    private final List<String> warnings = new ArrayList<>();
    private final Leftovers leftovers;

    /** Work folders whose removal failed (device gone), removed at the next run on the same device. */
    interface Leftovers {
        List<String> take(String serial);

        void add(String serial, String dir);
    }

    DeviceRun(DeviceClient client, DeviceInfo info, RunRequest request, ProfileRegistry profiles, DeviceProgress listener,
            Duration commandTimeout, Leftovers leftovers) {
        this.leftovers = leftovers;
        this.client = client;
        this.info = info;
        this.request = request;
        this.profiles = profiles;
        this.listener = listener;
        this.commandTimeout = commandTimeout;
    }

    /** A file to push: its bytes come from the host file or memory. */
    private record Upload(String name, Path file, byte[] bytes, int mode) {
        long size() throws IOException {
            return bytes != null ? bytes.length : Files.size(file);
        }

        InputStream open() throws IOException {
            return bytes != null ? new java.io.ByteArrayInputStream(bytes) : Files.newInputStream(file);
        }
    }

    DeviceRunResult run() throws DeviceException {
        RunnerProfile profile = request.profile();
        List<Upload> uploads = uploads(profile);
        check(profile, uploads);
        String dir = info.workRoot() + "/" + runName();
        boolean created = false;
        try {
            listener.step(Step.PREPARE, dir);
            removeLeftovers();
            ShellResult mk = client.shell("mkdir -p " + ShellQuote.quote(dir), commandTimeout, Step.PREPARE);
            if (!mk.ok()) {
                throw fail(Step.PREPARE, "cannot create " + dir + ": " + mk.tail(2)
                        + " (choose another work folder with --work-root, e.g. /tmp/layerwise)");
            }
            created = true;
            long t0 = System.nanoTime();
            for (Upload u : uploads) {
                push(u, dir);
            }
            verify(uploads, dir);
            Duration pushTime = Duration.ofNanos(System.nanoTime() - t0);

            String command = "cd " + ShellQuote.quote(dir) + " && " + expand(profile.command(), dir, profile);
            Duration timeout = request.runTimeout() != null ? request.runTimeout() : profile.timeout();
            listener.step(Step.RUN, profile.command());
            long r0 = System.nanoTime();
            ShellResult r = client.shell(command, timeout, Step.RUN, listener::output);
            Duration runTime = Duration.ofNanos(System.nanoTime() - r0);
            if (r.exitCode() == 127) {
                throw fail(Step.RUN, "the runner was not found on the device (" + r.tail(2) + "); profile "
                        + profile.name() + " needs " + needs(profile));
            }
            if (r.exitCode() != 0) {
                throw fail(Step.RUN, "the runner failed with exit code " + r.exitCode()
                        + (r.output().isBlank() ? "" : ": " + r.tail(3)));
            }

            List<FloatTensor> outputs = profile.outputFromStdout() ? List.of(fromStdout(r.output())) : pullOutputs(dir, profile, r);
            for (int i = 0; i < outputs.size(); i++) {
                checkValues(outputs.get(i), outputs.size() == 1 ? "the output" : "output " + (i + 1) + " of " + outputs.size());
            }
            // top-k only for a class vector, as for host runs; a box map or a mask has none
            TopK top = outputs.stream().filter(o -> Classification.isClassVector(o.shape())).findFirst()
                    .map(o -> TopK.of(o.data(), request.topK(), request.labels())).orElse(null);
            return new DeviceRunResult(client.serial(), info.model(), profile.name(), outputs, top, r.output(), pushTime, runTime,
                    warnings);
        } finally {
            if (created && !request.keepWorkFolder()) {
                cleanup(dir);
            }
        }
    }

    private List<Upload> uploads(RunnerProfile profile) throws DeviceException {
        List<Upload> out = new ArrayList<>();
        Path model = request.model();
        if (!Files.isRegularFile(model)) {
            throw fail(Step.CHECK, "model file " + model + " not found");
        }
        out.add(new Upload(model.getFileName().toString(), model, null, 0644));
        out.add(new Upload(INPUT_NAME, null, Npy.encode(request.input()), 0644));
        for (RunnerProfile.FileSpec f : profile.files()) {
            if (f.resource() != null) {
                try {
                    out.add(new Upload(f.target(), null, profiles.resource(profile, f.resource()), f.mode()));
                } catch (ProfileException e) {
                    throw fail(Step.CHECK, e.getMessage());
                }
            } else {
                Path p = request.userFiles().get(f.userKey());
                if (p == null) {
                    throw fail(Step.CHECK, "profile " + profile.name() + " needs the file '" + f.userKey()
                            + "' (give it with --file " + f.userKey() + "=PATH)");
                }
                if (!Files.isRegularFile(p)) {
                    throw fail(Step.CHECK, "file " + p + " for '" + f.userKey() + "' not found");
                }
                out.add(new Upload(f.target(), p, null, f.mode()));
            }
        }
        return out;
    }

    private void check(RunnerProfile profile, List<Upload> uploads) throws DeviceException {
        listener.step(Step.CHECK, "profile " + profile.name() + " on " + client.serial());
        if (!profile.acceptsModel(request.model().getFileName().toString())) {
            throw fail(Step.CHECK, "profile " + profile.name() + " runs ." + String.join(" / .", profile.modelTypes())
                    + " models, not " + request.model().getFileName());
        }
        for (String r : profile.requires()) {
            String missing = missing(r);
            if (missing != null) {
                throw fail(Step.CHECK, missing + "; profile " + profile.name() + " needs it (or choose another profile)");
            }
        }
        long needed = SPACE_MARGIN;
        try {
            for (Upload u : uploads) {
                needed += u.size();
            }
        } catch (IOException e) {
            throw fail(Step.CHECK, "cannot read a file to push: " + e.getMessage());
        }
        if (info.freeBytes() >= 0 && info.freeBytes() < needed) {
            throw fail(Step.CHECK, "not enough free space in " + info.workRoot() + ": " + DeviceInfo.humanBytes(info.freeBytes())
                    + " free, " + DeviceInfo.humanBytes(needed) + " needed; free some space on the device or choose another "
                    + "work folder (--work-root)");
        }
    }

    private String missing(String requirement) {
        var rt = info.runtimes();
        if (requirement.equals("python3")) {
            return rt.python3() == null ? "python3 is not installed on the device (Debian-based boards: "
                    + "'sudo apt install python3 python3-numpy')" : null;
        }
        if (requirement.startsWith("python:")) {
            String m = requirement.substring(7);
            if (rt.python3() == null) {
                return "python3 is not installed on the device";
            }
            if (!rt.pythonModules().contains(m)) {
                String how = m.equals("rknnlite") ? "install the rknn_toolkit_lite2 wheel for the board's Python "
                        + "(from the rknn-toolkit2 release) with pip3" : "'pip3 install " + m + "' on the board";
                return "python3 on the device cannot import " + m + " (" + how + ")";
            }
            return null;
        }
        if (requirement.startsWith("lib:")) {
            return rt.rknnLibrary() == null ? "no librknnrt.so / librknn_runtime.so on the device (install the RKNPU "
                    + "runtime: copy librknnrt.so to /usr/lib on Linux or /vendor/lib64 on Android)" : null;
        }
        return null;
    }

    private static String needs(RunnerProfile p) {
        return p.requires().isEmpty() ? "its runner command" : String.join(", ", p.requires());
    }

    private void push(Upload u, String dir) throws DeviceException {
        String remote = dir + "/" + u.name();
        long size;
        try {
            size = u.size();
        } catch (IOException e) {
            throw fail(Step.PUSH, "cannot read " + u.name() + ": " + e.getMessage());
        }
        listener.step(Step.PUSH, u.name() + " (" + DeviceInfo.humanBytes(size) + ")");
        // generous for slow USB 2 links and SD cards: 10 s plus 1 s per MiB
        Duration timeout = commandTimeout.plusSeconds(size >> 20);
        if (u.bytes() != null) {
            client.push(u.bytes(), remote, u.mode(), timeout, done -> listener.transfer(u.name(), done, size));
        } else {
            client.push(u.file(), remote, u.mode(), timeout, done -> listener.transfer(u.name(), done, size));
        }
    }

    private void verify(List<Upload> uploads, String dir) throws DeviceException {
        listener.step(Step.VERIFY, "checksums of " + uploads.size() + " files");
        List<String> paths = uploads.stream().map(u -> dir + "/" + u.name()).toList();
        long bytes = 0;
        for (Upload u : uploads) {
            try {
                bytes += u.size();
            } catch (IOException e) {
                // the push already read it; an unknown size only shortens the allowance
            }
        }
        // hashing reads every byte back from flash: allow 1 s per MiB on top, as for the push
        Duration hashTimeout = commandTimeout.plusSeconds(bytes >> 20);
        for (String tool : List.of("sha256sum", "md5sum")) {
            ShellResult r = client.shell(tool + " " + ShellQuote.join(paths), hashTimeout, Step.VERIFY);
            if (r.exitCode() == 127) {
                continue;
            }
            Map<String, String> onDevice = new LinkedHashMap<>();
            for (String line : r.output().split("\n")) {
                int sp = line.indexOf(' ');
                if (sp == 64 || sp == 32) {
                    onDevice.put(line.substring(sp).strip().replaceFirst("^\\*", ""), line.substring(0, sp).toLowerCase(Locale.ROOT));
                }
            }
            for (Upload u : uploads) {
                String expected = digest(u, tool.equals("md5sum") ? "MD5" : "SHA-256");
                String got = onDevice.get(dir + "/" + u.name());
                if (got == null) {
                    throw fail(Step.VERIFY, "could not check " + u.name() + " on the device: " + r.tail(2));
                }
                if (!got.equals(expected)) {
                    throw fail(Step.VERIFY, u.name() + " arrived damaged (" + tool + " differs); push it again");
                }
            }
            return;
        }
        warnings.add("the device has neither sha256sum nor md5sum; only file sizes were checked");
        listener.warning(warnings.get(warnings.size() - 1));
    }

    private String digest(Upload u, String algorithm) throws DeviceException {
        try (InputStream in = u.open()) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw fail(Step.VERIFY, "cannot checksum " + u.name() + ": " + e.getMessage());
        }
    }

    private String expand(String template, String dir, RunnerProfile profile) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("{model}", ShellQuote.quote(dir + "/" + request.model().getFileName()));
        values.put("{input}", ShellQuote.quote(dir + "/" + INPUT_NAME));
        values.put("{output}", ShellQuote.quote(dir + "/" + (profile.outputFile() == null ? "output.npy" : profile.outputFile())));
        values.put("{dir}", ShellQuote.quote(dir));
        // one pass over the template: text a placeholder put in is never scanned again, so a file
        // name holding "{output}" cannot unquote what an earlier substitution quoted
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(model|input|output|dir)\\}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(values.get(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The profile's output file, then the further outputs a runner writes beside it
     * ({@link RunnerProfile#outputFileName}) for as long as they exist.
     */
    private List<FloatTensor> pullOutputs(String dir, RunnerProfile profile, ShellResult r) throws DeviceException {
        List<FloatTensor> out = new ArrayList<>();
        for (int i = 0; i < MAX_OUTPUTS; i++) {
            String name = RunnerProfile.outputFileName(profile.outputFile(), i);
            String remote = dir + "/" + name;
            if (i == 0) {
                listener.step(Step.PULL, name);
            }
            var st = client.stat(remote, commandTimeout, Step.PULL);
            if (!st.exists()) {
                if (i > 0) {
                    break;
                }
                throw fail(Step.PULL, "the runner finished but wrote no " + name
                        + (r.output().isBlank() ? "" : " (it printed: " + r.tail(2) + ")"));
            }
            byte[] bytes = client.pull(remote, MAX_OUTPUT_BYTES, commandTimeout.plusSeconds(st.size() >> 20),
                    done -> listener.transfer(name, done, st.size()));
            listener.step(Step.READ_OUTPUT, name + " (" + DeviceInfo.humanBytes(bytes.length) + ")");
            if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U') {
                String start = new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.ISO_8859_1)
                        .replaceAll("[^\\x20-\\x7e]", "?");
                throw fail(Step.READ_OUTPUT, name + " is not an .npy file (it starts with '" + start + "')");
            }
            try {
                out.add(Npy.decode(bytes));
            } catch (IllegalArgumentException e) {
                throw fail(Step.READ_OUTPUT, name + ": not a readable .npy file: " + e.getMessage());
            }
        }
        return out;
    }

    /** Numbers printed by the runner, one or more per line; lines with other words are skipped. */
    FloatTensor fromStdout(String text) throws DeviceException {
        listener.step(Step.READ_OUTPUT, "scores printed by the runner");
        List<Float> values = new ArrayList<>();
        for (String line : text.split("\n")) {
            String cleaned = line.replaceAll("[\\[\\](),;]", " ").strip();
            if (cleaned.isEmpty()) {
                continue;
            }
            String[] words = cleaned.split("\\s+");
            List<Float> lineValues = new ArrayList<>();
            boolean allNumbers = true;
            for (String w : words) {
                Matcher m = NUMBER.matcher(w);
                if (!m.matches()) {
                    allNumbers = false;
                    break;
                }
                lineValues.add(Float.parseFloat(w.toLowerCase(Locale.ROOT).replace("inf", "Infinity").replace("nan", "NaN")));
            }
            if (allNumbers) {
                values.addAll(lineValues);
            }
        }
        if (values.size() < 2) {
            String start = text.strip();
            start = start.substring(0, Math.min(60, start.length())).replaceAll("[^\\x20-\\x7e]", "?");
            throw fail(Step.READ_OUTPUT, "no scores found in the runner's output (it printed '" + start + "')");
        }
        float[] data = new float[values.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = values.get(i);
        }
        return new FloatTensor(new long[] {1, data.length}, data);
    }

    /** @param which what to call the output in the message: "the output", or "output 2 of 3" of a model with several */
    private void checkValues(FloatTensor t, String which) throws DeviceException {
        if (t.size() == 0) {
            throw fail(Step.READ_OUTPUT, which + " is empty");
        }
        for (float v : t.data()) {
            if (!Float.isFinite(v)) {
                throw fail(Step.READ_OUTPUT, which + " holds NaN or infinite values");
            }
        }
    }

    private void cleanup(String dir) {
        listener.step(Step.CLEANUP, dir);
        try {
            // also after a cancel: the folder must go
            ShellResult r = client.uncancellable().shell("rm -rf " + ShellQuote.quote(dir), Duration.ofSeconds(10), Step.CLEANUP);
            if (!r.ok()) {
                warn("could not remove " + dir + " on the device: " + r.tail(2));
            }
        } catch (DeviceException e) {
            leftovers.add(client.serial(), dir);
            warn("could not remove " + dir + " on the device (" + e.reason() + "); the next run on it will");
        }
    }

    private void removeLeftovers() throws DeviceException {
        List<String> old = new ArrayList<>(leftovers.take(client.serial()));
        old.addAll(abandoned());
        if (old.isEmpty()) {
            return;
        }
        ShellResult r = client.shell("rm -rf " + ShellQuote.join(old), commandTimeout, Step.PREPARE);
        if (!r.ok()) {
            warn("could not remove earlier work folders " + String.join(", ", old) + ": " + r.tail(2));
        }
    }

    private void warn(String m) {
        warnings.add(m);
        listener.warning(m);
    }

    private DeviceException fail(Step step, String reason) {
        return new DeviceException(client.serial(), step, reason);
    }

    /**
     * A work folder's name: when, a random part, and who made it (this host's tag and process id),
     * so that a later run can tell which folders a killed process of this host left behind.
     */
    static String runName() {
        return "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000)) + "-" + HOST_TAG + "-"
                + ProcessHandle.current().pid();
    }

    /** This host in work-folder names: a hash of its name and boot, so pids from another boot never match. */
    static final String HOST_TAG = hostTag();

    private static final Pattern OWNED = Pattern.compile("run-\\d{8}-\\d{6}-[0-9a-f]+-([0-9a-f]{8})-(\\d+)");

    private static String hostTag() {
        StringBuilder id = new StringBuilder();
        for (String f : List.of("/proc/sys/kernel/hostname", "/proc/sys/kernel/random/boot_id")) {
            try {
                // procfs files report size 0, so they are read directly; both are a line long
                id.append(Files.readString(Path.of(f)).strip()).append('/');
            } catch (IOException | RuntimeException e) {
                id.append(System.getenv().getOrDefault("HOSTNAME", "")).append('/');
            }
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Work folders on the board made by processes of this host that no longer run: a run killed
     * (Ctrl-C, kill -9, a crash) before its cleanup. Folders of other hosts and of live processes
     * are left alone.
     */
    private List<String> abandoned() throws DeviceException {
        ShellResult ls = client.shell("ls " + ShellQuote.quote(info.workRoot()) + " 2>/dev/null", commandTimeout, Step.PREPARE);
        if (!ls.ok()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String name : ls.output().lines().map(String::strip).toList()) {
            Matcher m = OWNED.matcher(name);
            if (m.matches() && m.group(1).equals(HOST_TAG) && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                out.add(info.workRoot() + "/" + name);
            }
        }
        return out;
    }
}
