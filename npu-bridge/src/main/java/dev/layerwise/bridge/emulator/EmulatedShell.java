package dev.layerwise.bridge.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A small POSIX-shell subset for the emulated device: words with single / double quotes and
 * backslashes, {@code $?} / {@code $VAR} / {@code $(…)} expansion, {@code ;}, {@code &&},
 * {@code ||}, redirections ({@code >}, {@code >>}, {@code 2>}, {@code 2>&1}), and the commands the
 * bridge sends (mkdir, rm, ls, cat, test, echo, getprop, uname, df, sha256sum, md5sum, stat,
 * chmod, cd, command -v, sleep, python3 running the project's runner scripts). Anything else is
 * "not found", as on a board that lacks it. Quoting is honoured like a real shell, so a missing
 * quote in the bridge would show up as an executed injection here too.
 *
 * <p>One instance per shell session; not thread-safe.
 */
final class EmulatedShell {

    /** What the shell needs from the connection it runs on. */
    interface Session {
        /** True once the host closed the stream (stop long commands). */
        boolean closed();

        /** Cuts the whole connection, as a device that disappears would. */
        void dropConnection();
    }

    private static final class ExitRequest extends RuntimeException {
        ExitRequest() {
            super(null, null, false, false);
        }
    }

    private final DeviceFiles fs;
    private final EmulatorConfig config;
    private final Faults faults;
    private final EmulatedRunner runner;
    private final Session session;
    private final Map<String, String> vars = new LinkedHashMap<>();
    private String cwd = "/";
    private int status;

    EmulatedShell(DeviceFiles fs, EmulatorConfig config, Faults faults, EmulatedRunner runner, Session session) {
        this.fs = fs;
        this.config = config;
        this.faults = faults;
        this.runner = runner;
        this.session = session;
        vars.put("HOME", config.android() ? "/data/local/tmp" : "/root");
        vars.put("PATH", config.android() ? "/system/bin:/vendor/bin" : "/usr/bin:/bin");
    }

    /** Runs one command line, writing stdout and stderr to {@code out}; returns the last status. */
    int execute(String line, OutputStream out) throws IOException {
        if (faults.takeDropOnCommand(line)) {
            session.dropConnection();
            return 255;
        }
        if (faults.hangs(line)) {
            long until = System.currentTimeMillis() + 600_000;
            while (!session.closed() && System.currentTimeMillis() < until) {
                sleep(20);
            }
            return 130;
        }
        try {
            runList(tokenize(line), out);
        } catch (ExitRequest e) {
            // exit: the rest of the line is skipped
        } catch (SyntaxError e) {
            print(out, "sh: syntax error: " + e.getMessage() + "\n");
            status = 2;
        }
        out.flush();
        return status;
    }

    // ---- parsing -------------------------------------------------------------------------

    private record Token(boolean op, String text) {
    }

    private static final class SyntaxError extends RuntimeException {
        SyntaxError(String m) {
            super(m);
        }
    }

    static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                if (inWord) {
                    out.add(new Token(false, w.toString()));
                    w.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#' && !inWord) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '>' || c == '<') {
                String op;
                if (c == '>' && inWord && w.toString().equals("2")) {
                    w.setLength(0);
                    inWord = false;
                    op = s.startsWith(">&1", i) ? "2>&1" : s.startsWith(">>", i) ? "2>>" : "2>";
                } else if (c == '>') {
                    op = s.startsWith(">&2", i) ? ">&2" : s.startsWith(">>", i) ? ">>" : ">";
                } else if (c == '&') {
                    op = s.startsWith("&&", i) ? "&&" : ";";
                } else if (c == '|') {
                    op = s.startsWith("||", i) ? "||" : "|";
                } else if (c == '\n') {
                    op = ";";
                } else {
                    op = String.valueOf(c);
                }
                if (inWord) {
                    out.add(new Token(false, w.toString()));
                    w.setLength(0);
                    inWord = false;
                }
                out.add(new Token(true, op));
                i += switch (op) {
                    case "2>&1", ">&2" -> 3; // at '>': ">&1" or ">&2"
                    case "&&", "||", ">>", "2>>" -> 2;
                    default -> 1; // a lone '&' (background) runs in the foreground here
                };
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new SyntaxError("unterminated quoted string");
                }
                w.append(s, i, end + 1);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != '"') {
                    if (s.charAt(j) == '\\') {
                        j++;
                    } else if (s.startsWith("$(", j)) {
                        j = matchParen(s, j + 1);
                    }
                    j++;
                }
                if (j >= s.length()) {
                    throw new SyntaxError("unterminated quoted string");
                }
                w.append(s, i, j + 1);
                inWord = true;
                i = j + 1;
            } else if (c == '\\' && i + 1 < s.length()) {
                w.append(s, i, i + 2);
                inWord = true;
                i += 2;
            } else if (c == '$' && s.startsWith("$(", i)) {
                int end = matchParen(s, i + 1);
                w.append(s, i, end + 1);
                inWord = true;
                i = end + 1;
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            out.add(new Token(false, w.toString()));
        }
        return out;
    }

    /** Index of the ')' matching the '(' at {@code open}, skipping quoted text. */
    private static int matchParen(String s, int open) {
        int depth = 0;
        for (int j = open; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\'') {
                j = s.indexOf('\'', j + 1);
                if (j < 0) {
                    break;
                }
            } else if (c == '\\') {
                j++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return j;
            }
        }
        throw new SyntaxError("unterminated $(");
    }

    private String expand(String raw) throws IOException {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '\'') {
                int end = raw.indexOf('\'', i + 1);
                sb.append(raw, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (raw.charAt(i) != '"') {
                    char d = raw.charAt(i);
                    if (d == '\\' && "$`\"\\\n".indexOf(raw.charAt(i + 1)) >= 0) {
                        sb.append(raw.charAt(i + 1));
                        i += 2;
                    } else if (d == '$') {
                        i = dollar(raw, i, sb);
                    } else {
                        sb.append(d);
                        i++;
                    }
                }
                i++;
            } else if (c == '\\' && i + 1 < raw.length()) {
                sb.append(raw.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = dollar(raw, i, sb);
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    private int dollar(String raw, int i, StringBuilder sb) throws IOException {
        if (i + 1 >= raw.length()) {
            sb.append('$');
            return i + 1;
        }
        char n = raw.charAt(i + 1);
        if (n == '(') {
            int end = matchParen(raw, i + 1);
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int saved = status;
            runList(tokenize(raw.substring(i + 2, end)), captured);
            status = saved;
            sb.append(captured.toString(StandardCharsets.UTF_8).replaceAll("\n+$", ""));
            return end + 1;
        }
        if (n == '?') {
            sb.append(status);
            return i + 2;
        }
        if (n == '$') {
            sb.append(4242);
            return i + 2;
        }
        int j = i + 1;
        boolean braces = n == '{';
        if (braces) {
            j++;
        }
        int start = j;
        while (j < raw.length() && (Character.isLetterOrDigit(raw.charAt(j)) || raw.charAt(j) == '_')) {
            j++;
        }
        if (j == start) {
            sb.append('$');
            return i + 1;
        }
        sb.append(vars.getOrDefault(raw.substring(start, j), ""));
        return braces ? j + 1 : j;
    }

    // ---- execution -----------------------------------------------------------------------

    private void runList(List<Token> tokens, OutputStream out) throws IOException {
        List<Token> cmd = new ArrayList<>();
        String pendingOp = ";";
        for (int i = 0; i <= tokens.size(); i++) {
            Token t = i < tokens.size() ? tokens.get(i) : new Token(true, ";");
            if (t.op() && (t.text().equals(";") || t.text().equals("&&") || t.text().equals("||"))) {
                if (!cmd.isEmpty()) {
                    boolean run = pendingOp.equals(";") || (pendingOp.equals("&&") && status == 0)
                            || (pendingOp.equals("||") && status != 0);
                    if (run) {
                        runSimple(cmd, out);
                    }
                    cmd.clear();
                }
                pendingOp = t.text();
            } else if (t.op() && t.text().equals("|")) {
                throw new SyntaxError("pipes are not supported by the emulated shell");
            } else {
                cmd.add(t);
            }
        }
    }

    private void runSimple(List<Token> tokens, OutputStream out) throws IOException {
        List<String> words = new ArrayList<>();
        OutputStream stdout = out;
        OutputStream stderr = out;
        List<OutputStream> toClose = new ArrayList<>();
        try {
            for (int i = 0; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (!t.op()) {
                    words.add(expand(t.text()));
                    continue;
                }
                switch (t.text()) {
                    case "2>&1" -> stderr = stdout;
                    case ">&2" -> stdout = stderr;
                    case ">", ">>", "2>", "2>>" -> {
                        if (i + 1 >= tokens.size() || tokens.get(i + 1).op()) {
                            throw new SyntaxError("redirection without a file");
                        }
                        String target = expand(tokens.get(++i).text());
                        OutputStream o;
                        if (target.equals("/dev/null")) {
                            o = OutputStream.nullOutputStream();
                        } else {
                            Path p = fs.resolve(target, cwd);
                            o = t.text().endsWith(">>")
                                    ? Files.newOutputStream(p, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
                                    : Files.newOutputStream(p);
                            toClose.add(o);
                        }
                        if (t.text().startsWith("2")) {
                            stderr = o;
                        } else {
                            stdout = o;
                        }
                    }
                    case "<" -> i++; // input is never read by these commands
                    default -> throw new SyntaxError("unexpected '" + t.text() + "'");
                }
            }
            if (!words.isEmpty()) {
                PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8);
                status = command(words, o, e);
                o.flush();
                e.flush();
            }
        } catch (NoSuchFileException ex) {
            print(stderr, "sh: " + ex.getFile().replace(fs.root().toString(), "") + ": No such file or directory\n");
            status = 1;
        } finally {
            for (OutputStream o : toClose) {
                o.close();
            }
        }
    }

    private int command(List<String> w, PrintStream out, PrintStream err) throws IOException {
        String name = w.get(0);
        List<String> args = w.subList(1, w.size());
        switch (name) {
            case "echo" -> {
                boolean newline = true;
                List<String> a = args;
                if (!a.isEmpty() && a.get(0).equals("-n")) {
                    newline = false;
                    a = a.subList(1, a.size());
                }
                out.print(String.join(" ", a) + (newline ? "\n" : ""));
                return 0;
            }
            case "true", ":" -> {
                return 0;
            }
            case "false" -> {
                return 1;
            }
            case "exit" -> {
                status = args.isEmpty() ? status : parseInt(args.get(0), 0);
                throw new ExitRequest();
            }
            case "cd" -> {
                String target = args.isEmpty() ? vars.get("HOME") : args.get(0);
                Path p = fs.resolve(target, cwd);
                if (!Files.isDirectory(p)) {
                    err.print("sh: cd: " + target + ": No such file or directory\n");
                    return 2;
                }
                cwd = DeviceFiles.normalize(target.startsWith("/") ? target : cwd + "/" + target);
                return 0;
            }
            case "pwd" -> {
                out.print(cwd + "\n");
                return 0;
            }
            case "sh" -> {
                if (args.size() >= 2 && args.get(0).equals("-c")) {
                    runList(tokenize(args.get(1)), out);
                    return status;
                }
                err.print("sh: only 'sh -c COMMAND' is supported here\n");
                return 2;
            }
            case "mkdir" -> {
                return mkdir(args, err);
            }
            case "rm" -> {
                return rm(args, err);
            }
            case "touch" -> {
                for (String a : args) {
                    Path p = fs.resolve(a, cwd);
                    if (!Files.exists(p)) {
                        Files.createFile(p);
                    }
                }
                return 0;
            }
            case "ls" -> {
                return ls(args, out, err);
            }
            case "cat" -> {
                int rc = 0;
                for (String a : args) {
                    Path p = fs.resolve(a, cwd);
                    if (!Files.isRegularFile(p)) {
                        err.print("cat: " + a + ": No such file or directory\n");
                        rc = 1;
                        continue;
                    }
                    try (InputStream in = Files.newInputStream(p)) {
                        in.transferTo(out);
                    }
                }
                return rc;
            }
            case "cp", "mv" -> {
                if (args.size() != 2) {
                    err.print(name + ": need SOURCE and TARGET\n");
                    return 1;
                }
                Path src = fs.resolve(args.get(0), cwd);
                Path dst = fs.resolve(args.get(1), cwd);
                if (Files.isDirectory(dst)) {
                    dst = dst.resolve(src.getFileName());
                }
                if (name.equals("cp")) {
                    Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING);
                }
                return 0;
            }
            case "chmod" -> {
                for (String a : args.subList(Math.min(1, args.size()), args.size())) {
                    Path p = fs.resolve(a, cwd);
                    if (!Files.exists(p)) {
                        err.print("chmod: " + a + ": No such file or directory\n");
                        return 1;
                    }
                    p.toFile().setExecutable(args.get(0).contains("x") || args.get(0).matches("[0-7]*[157][0-7]{2}"));
                }
                return 0;
            }
            case "test", "[" -> {
                List<String> a = new ArrayList<>(args);
                if (name.equals("[")) {
                    if (a.isEmpty() || !a.get(a.size() - 1).equals("]")) {
                        err.print("[: missing ]\n");
                        return 2;
                    }
                    a.remove(a.size() - 1);
                }
                return test(a) ? 0 : 1;
            }
            case "getprop" -> {
                if (!config.android()) {
                    return notFound(name, err);
                }
                Map<String, String> props = props();
                if (args.isEmpty()) {
                    props.forEach((k, v) -> out.print("[" + k + "]: [" + v + "]\n"));
                } else {
                    out.print(props.getOrDefault(args.get(0), "") + "\n");
                }
                return 0;
            }
            case "uname" -> {
                String flags = args.isEmpty() ? "-s" : String.join("", args);
                List<String> parts = new ArrayList<>();
                if (flags.contains("a") || flags.contains("s")) {
                    parts.add("Linux");
                }
                if (flags.contains("a") || flags.contains("n")) {
                    parts.add(config.android() ? "localhost" : "rockchip");
                }
                if (flags.contains("a") || flags.contains("r")) {
                    parts.add("5.10.160-emulated");
                }
                if (flags.contains("a") || flags.contains("m")) {
                    parts.add("aarch64");
                }
                out.print(String.join(" ", parts) + "\n");
                return 0;
            }
            case "df" -> {
                return df(args, out, err);
            }
            case "sha256sum", "md5sum" -> {
                return digest(name, args, out, err);
            }
            case "stat" -> {
                if (args.size() == 3 && args.get(0).equals("-c") && args.get(1).equals("%s")) {
                    Path p = fs.resolve(args.get(2), cwd);
                    if (!Files.exists(p)) {
                        err.print("stat: cannot stat '" + args.get(2) + "': No such file or directory\n");
                        return 1;
                    }
                    out.print(Files.size(p) + "\n");
                    return 0;
                }
                err.print("stat: only 'stat -c %s FILE' is supported here\n");
                return 1;
            }
            case "command" -> {
                if (args.size() >= 2 && args.get(0).equals("-v")) {
                    int rc = 1;
                    for (String a : args.subList(1, args.size())) {
                        String where = which(a);
                        if (where != null) {
                            out.print(where + "\n");
                            rc = 0;
                        }
                    }
                    return rc;
                }
                return args.isEmpty() ? 0 : command(args, out, err);
            }
            case "sleep" -> {
                double s = args.isEmpty() ? 0 : Double.parseDouble(args.get(0));
                long until = System.currentTimeMillis() + (long) (s * 1000);
                while (System.currentTimeMillis() < until && !session.closed()) {
                    sleep(Math.min(20, Math.max(1, until - System.currentTimeMillis())));
                }
                return 0;
            }
            case "python3", "python" -> {
                if (!config.python3() || faults.runnerMissing()) {
                    return notFound(name, err);
                }
                return runner.python(args, this::resolve, cwd, out, err);
            }
            default -> {
                if (name.contains("/")) {
                    Path p = fs.resolve(name, cwd);
                    if (!Files.isRegularFile(p) || faults.runnerMissing()) {
                        return notFound(name, err);
                    }
                    return runner.executable(p, args, this::resolve, cwd, out, err);
                }
                return notFound(name, err);
            }
        }
    }

    Path resolve(String devicePath) {
        return fs.resolve(devicePath, cwd);
    }

    private int notFound(String name, PrintStream err) {
        err.print((config.android() ? "/system/bin/sh: " : "sh: ") + name + ": not found\n");
        return 127;
    }

    private String which(String name) {
        return switch (name) {
            case "python3", "python" -> config.python3() && !faults.runnerMissing() ? "/usr/bin/" + name : null;
            case "echo", "ls", "cat", "mkdir", "rm", "df", "sha256sum", "md5sum", "stat", "chmod", "uname", "sleep", "test",
                    "touch", "cp", "mv", "sh" -> (config.android() ? "/system/bin/" : "/bin/") + name;
            case "getprop" -> config.android() ? "/system/bin/getprop" : null;
            default -> {
                Path p = fs.resolve(name, cwd);
                yield name.contains("/") && Files.isRegularFile(p) ? name : null;
            }
        };
    }

    Map<String, String> props() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ro.product.model", config.model());
        p.put("ro.product.name", config.platform());
        p.put("ro.product.device", config.platform());
        p.put("ro.board.platform", config.platform());
        p.put("ro.build.version.release", "12");
        p.put("ro.product.cpu.abi", "arm64-v8a");
        return p;
    }

    private int mkdir(List<String> args, PrintStream err) throws IOException {
        boolean parents = args.contains("-p");
        for (String a : args) {
            if (a.equals("-p")) {
                continue;
            }
            Path p = fs.resolve(a, cwd);
            if (parents) {
                Files.createDirectories(p);
            } else if (Files.exists(p)) {
                err.print("mkdir: '" + a + "': File exists\n");
                return 1;
            } else {
                try {
                    Files.createDirectory(p);
                } catch (NoSuchFileException e) {
                    err.print("mkdir: '" + a + "': No such file or directory\n");
                    return 1;
                }
            }
        }
        return 0;
    }

    private int rm(List<String> args, PrintStream err) throws IOException {
        boolean recursive = false;
        boolean force = false;
        int rc = 0;
        for (String a : args) {
            if (a.startsWith("-") && a.length() > 1 && a.substring(1).matches("[rRf]+")) {
                recursive |= a.contains("r") || a.contains("R");
                force |= a.contains("f");
                continue;
            }
            Path p = fs.resolve(a, cwd);
            if (p.equals(fs.root())) {
                err.print("rm: refusing to remove '/'\n");
                rc = 1;
            } else if (!Files.exists(p)) {
                if (!force) {
                    err.print("rm: " + a + ": No such file or directory\n");
                    rc = 1;
                }
            } else if (Files.isDirectory(p)) {
                if (!recursive) {
                    err.print("rm: " + a + ": is a directory\n");
                    rc = 1;
                } else {
                    try (Stream<Path> s = Files.walk(p)) {
                        for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(q);
                        }
                    }
                }
            } else {
                Files.delete(p);
            }
        }
        return rc;
    }

    private int ls(List<String> args, PrintStream out, PrintStream err) throws IOException {
        boolean dirItself = false;
        List<String> paths = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-") && a.length() > 1) {
                dirItself |= a.contains("d");
            } else {
                paths.add(a);
            }
        }
        if (paths.isEmpty()) {
            paths.add(".");
        }
        int rc = 0;
        for (String a : paths) {
            Path p = fs.resolve(a, cwd);
            if (!Files.exists(p)) {
                err.print("ls: " + a + ": No such file or directory\n");
                rc = 1;
            } else if (Files.isDirectory(p) && !dirItself) {
                List<String> names = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path q : ds) {
                        names.add(q.getFileName().toString());
                    }
                }
                names.sort(null);
                for (String n : names) {
                    out.print(n + "\n");
                }
            } else {
                out.print(a + "\n");
            }
        }
        return rc;
    }

    private int df(List<String> args, PrintStream out, PrintStream err) {
        List<String> paths = args.stream().filter(a -> !a.startsWith("-")).toList();
        out.print("Filesystem     1K-blocks    Used Available Use% Mounted on\n");
        int rc = 0;
        for (String a : paths.isEmpty() ? List.of("/") : paths) {
            Path p = fs.resolve(a, cwd);
            if (!Files.exists(p)) {
                err.print("df: " + a + ": No such file or directory\n");
                rc = 1;
                continue;
            }
            long capacity = fs.capacity();
            long free = faults.reportedFreeBytes() >= 0 ? faults.reportedFreeBytes() : fs.free();
            long used = Math.max(0, capacity - free);
            long pct = capacity == 0 ? 100 : Math.round(100.0 * used / capacity);
            out.print(String.format("%-14s %9d %7d %9d %3d%% %s%n", "/dev/emulated", capacity / 1024, used / 1024, free / 1024,
                    pct, DeviceFiles.normalize(a.startsWith("/") ? a : cwd + "/" + a)));
        }
        return rc;
    }

    private int digest(String name, List<String> args, PrintStream out, PrintStream err) throws IOException {
        int rc = 0;
        for (String a : args) {
            Path p = fs.resolve(a, cwd);
            if (!Files.isRegularFile(p)) {
                err.print(name + ": " + a + ": No such file or directory\n");
                rc = 1;
                continue;
            }
            try {
                MessageDigest md = MessageDigest.getInstance(name.equals("md5sum") ? "MD5" : "SHA-256");
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        md.update(buf, 0, n);
                    }
                }
                out.print(HexFormat.of().formatHex(md.digest()) + "  " + a + "\n");
            } catch (NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
        }
        return rc;
    }

    private boolean test(List<String> a) throws IOException {
        if (a.isEmpty()) {
            return false;
        }
        if (a.get(0).equals("!")) {
            return !test(a.subList(1, a.size()));
        }
        if (a.size() == 1) {
            return !a.get(0).isEmpty();
        }
        if (a.size() == 2) {
            String v = a.get(1);
            return switch (a.get(0)) {
                case "-n" -> !v.isEmpty();
                case "-z" -> v.isEmpty();
                case "-e" -> Files.exists(fs.resolve(v, cwd));
                case "-f" -> Files.isRegularFile(fs.resolve(v, cwd));
                case "-d" -> Files.isDirectory(fs.resolve(v, cwd));
                case "-s" -> Files.isRegularFile(fs.resolve(v, cwd)) && Files.size(fs.resolve(v, cwd)) > 0;
                case "-x" -> Files.exists(fs.resolve(v, cwd));
                default -> false;
            };
        }
        if (a.size() == 3) {
            return switch (a.get(1)) {
                case "=" -> a.get(0).equals(a.get(2));
                case "!=" -> !a.get(0).equals(a.get(2));
                case "-eq" -> parseInt(a.get(0), 0) == parseInt(a.get(2), 1);
                case "-ne" -> parseInt(a.get(0), 0) != parseInt(a.get(2), 0);
                default -> false;
            };
        }
        return false;
    }

    private static int parseInt(String s, int dflt) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static void print(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
