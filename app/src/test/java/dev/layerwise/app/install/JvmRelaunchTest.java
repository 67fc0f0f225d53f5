package dev.layerwise.app.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JvmRelaunchTest {

    private static final List<String> CDS = List.of("-XX:SharedArchiveFile=/c/a.jsa", JvmRelaunch.QUIET_CDS);

    @Nested
    class ChildCommand {
        @Test
        void keepsEveryOptionBeforeTheJarAndTheArgumentsExactlyAsMainGotThem() {
            List<String> parent = List.of("-Xmx512m", "-Dlayerwise.settings=/tmp/my settings", "-Duser.language=zh", "-jar",
                    "app/target/layerwise.jar", "analyze", "模型 一.onnx", "-o", "out dir");
            List<String> app = List.of("analyze", "模型 一.onnx", "-o", "out dir");

            JvmRelaunch.Child child = JvmRelaunch.child("/usr/lib/jvm/17/bin/java", List.of(), parent, "/work/app/target/layerwise.jar",
                    app, CDS, 4242).orElseThrow();

            assertEquals(List.of("/usr/lib/jvm/17/bin/java", "-Xmx512m", "-Dlayerwise.settings=/tmp/my settings", "-Duser.language=zh",
                    "-XX:SharedArchiveFile=/c/a.jsa", "-Xlog:cds*=off", "-jar", "/work/app/target/layerwise.jar", "analyze",
                    "模型 一.onnx", "-o", "out dir"), child.command());
            assertEquals(Map.of(JvmRelaunch.MARKER_ENV, "4242"), child.environment(), "the marker names the parent");
        }

        @Test
        void theLaunchOptionsComeFirstSoThatTheUsersOwnComeLaterAndWin() {
            List<String> tuning = List.of("-XX:Tier4InvocationThreshold=15000");
            List<String> parent = List.of("-XX:Tier4InvocationThreshold=7000", "-jar", "l.jar", "run");
            JvmRelaunch.Child child = JvmRelaunch.child("java", tuning, parent, "/abs/l.jar", List.of("run"), CDS, 1).orElseThrow();
            assertEquals(List.of("java", "-XX:Tier4InvocationThreshold=15000", "-XX:Tier4InvocationThreshold=7000",
                    "-XX:SharedArchiveFile=/c/a.jsa", "-Xlog:cds*=off", "-jar", "/abs/l.jar", "run"), child.command());
        }

        @Test
        void theLaunchOptionsAreTheResourcesOptionLinesWithoutComments() {
            List<String> tuning = JvmRelaunch.tuning();
            assertFalse(tuning.isEmpty());
            for (String o : tuning) {
                assertTrue(o.startsWith("-XX:") && !o.contains(" ") && !o.contains("#"), o);
            }
            assertTrue(tuning.contains("-XX:Tier4InvocationThreshold=15000"), tuning.toString());
            assertEquals("-XX:+IgnoreUnrecognizedVMOptions", tuning.get(0), "a JVM without one of the flags still starts the command");
        }

        @Test
        void aPlainJavaDashJarHasOnlyTheArchiveOptions() {
            JvmRelaunch.Child child = JvmRelaunch.child("java", List.of(), List.of("-jar", "l.jar", "run"), "/abs/l.jar", List.of("run"),
                    CDS, 1).orElseThrow();
            assertEquals(List.of("java", "-XX:SharedArchiveFile=/c/a.jsa", "-Xlog:cds*=off", "-jar", "/abs/l.jar", "run"),
                    child.command());
        }

        @ParameterizedTest
        @ValueSource(strings = {"-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-javaagent:/opt/profiler.jar",
            "-agentpath:/opt/async/libprofiler.so", "-Xshare:off", "-XX:SharedArchiveFile=/mine.jsa", "-XX:ArchiveClassesAtExit=/x.jsa",
            "@/tmp/options.txt"})
        void anOptionThatMustNotRunTwiceOrChoosesSharingItselfKeepsTheCommandInProcess(String option) {
            assertEquals(Optional.empty(),
                    JvmRelaunch.child("java", List.of(), List.of(option, "-jar", "l.jar", "run"), "/abs/l.jar", List.of("run"), CDS, 1));
        }

        @Test
        void withoutDashJarThereIsNoChild() {
            assertEquals(Optional.empty(), JvmRelaunch.child("java", List.of(), List.of("-cp", "l.jar", "dev.layerwise.app.Main", "run"),
                    "/abs/l.jar", List.of("run"), CDS, 1));
        }
    }

    @Test
    void helpVersionAndNoCommandStayInProcess() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"},
                new String[] {"--version"}, new String[] {"-V"}, new String[] {"analyze", "--help"}, new String[] {"run", "-h"})) {
            assertFalse(JvmRelaunch.doesWork(args), String.join(" ", args));
        }
        assertTrue(JvmRelaunch.doesWork(new String[] {"analyze", "-o", "x"}));
        assertTrue(JvmRelaunch.doesWork(new String[] {"devices"}));
    }

    @Test
    void theWindowAndItsBenchShareTheWorkbenchArchiveAndCommandsTheirOwn() {
        assertEquals(JvmRelaunch.Kind.WORKBENCH, JvmRelaunch.kind(new String[0], true));
        assertEquals(JvmRelaunch.Kind.WORKBENCH, JvmRelaunch.kind(new String[] {"model.onnx"}, true));
        assertEquals(JvmRelaunch.Kind.WORKBENCH, JvmRelaunch.kind(new String[] {"bench", "--workbench", "--ticks", "10"}, false));
        assertEquals(JvmRelaunch.Kind.COMMANDS, JvmRelaunch.kind(new String[] {"bench"}, false));
        assertEquals(JvmRelaunch.Kind.COMMANDS, JvmRelaunch.kind(new String[] {"analyze", "--workbench"}, false));
    }

    @Test
    void optOutTakesTheUsualWordsForNo() {
        for (String no : List.of("0", "false", "OFF", " no ")) {
            assertTrue(JvmRelaunch.optedOut(no), no);
        }
        for (String yes : List.of("1", "true", "")) {
            assertFalse(JvmRelaunch.optedOut(yes), yes);
        }
        assertFalse(JvmRelaunch.optedOut(null));
    }

    @Test
    void theArchivingCommandsAreCommandsTheCliKnows() {
        var cli = new dev.layerwise.app.cli.Cli(dev.layerwise.app.cli.Commands.all());
        for (String name : JvmRelaunch.ARCHIVING_COMMANDS) {
            assertTrue(cli.knows(name), name);
        }
    }

    @Test
    void anArchiveIsNamedForItsJarPathAndEverythingTheJvmChecksBeforeMappingIt() {
        String jar = JvmRelaunch.hex("/home/ada/layerwise.jar");
        String key = JvmRelaunch.buildKey(28_000_000, 1_000, "/usr/lib/jvm/17", "17.0.15", "17.0.15+6");
        String cli = JvmRelaunch.archiveName(jar, key, JvmRelaunch.Kind.COMMANDS);
        assertTrue(cli.matches("[0-9a-f]{16}-[0-9a-f]{16}-cli\\.jsa"), cli);
        assertNotEquals(cli, JvmRelaunch.archiveName(jar, key, JvmRelaunch.Kind.WORKBENCH));
        for (String other : List.of(JvmRelaunch.buildKey(28_000_001, 1_000, "/usr/lib/jvm/17", "17.0.15", "17.0.15+6"),
                JvmRelaunch.buildKey(28_000_000, 2_000, "/usr/lib/jvm/17", "17.0.15", "17.0.15+6"),
                JvmRelaunch.buildKey(28_000_000, 1_000, "/opt/jdk-21", "17.0.15", "17.0.15+6"),
                JvmRelaunch.buildKey(28_000_000, 1_000, "/usr/lib/jvm/17", "17.0.16", "17.0.16+8"))) {
            assertNotEquals(key, other);
        }
        assertNotEquals(jar, JvmRelaunch.hex("/home/ada/other/layerwise.jar"));
    }

    @Test
    void pruningRemovesOnlyThisJarsArchivesOfOtherBuilds(@TempDir Path dir) throws IOException {
        String jar = JvmRelaunch.hex("/a/layerwise.jar");
        String other = JvmRelaunch.hex("/b/layerwise.jar");
        Path current = touch(dir.resolve(jar + "-1111111111111111-cli.jsa"));
        touch(dir.resolve(jar + "-1111111111111111-workbench.jsa"));
        touch(dir.resolve(jar + "-2222222222222222-cli.jsa"));
        touch(dir.resolve(jar + "-2222222222222222-workbench.jsa"));
        touch(dir.resolve(other + "-2222222222222222-cli.jsa"));
        Path oldTemp = touch(dir.resolve(jar + "-1111111111111111-cli.jsa.77.tmp"));
        Files.setLastModifiedTime(oldTemp, java.nio.file.attribute.FileTime.fromMillis(0));
        touch(dir.resolve(jar + "-1111111111111111-cli.jsa.78.tmp"));

        JvmRelaunch.pruneStale(current, jar);

        assertEquals(new TreeSet<>(List.of(jar + "-1111111111111111-cli.jsa", jar + "-1111111111111111-workbench.jsa",
                jar + "-1111111111111111-cli.jsa.78.tmp", other + "-2222222222222222-cli.jsa")), names(dir),
                "another jar's archive and a temp file a running dump may still write stay");
    }

    @Test
    void pruningAlsoRemovesAnyJarsArchivesNoRunUsedForThirtyDays(@TempDir Path dir) throws IOException {
        String jar = JvmRelaunch.hex("/a/layerwise.jar");
        String moved = JvmRelaunch.hex("/downloads/0.1/layerwise.jar");
        String other = JvmRelaunch.hex("/b/layerwise.jar");
        long now = System.currentTimeMillis();
        Path current = touch(dir.resolve(jar + "-1111111111111111-cli.jsa"));
        Path oldSibling = touch(dir.resolve(jar + "-1111111111111111-workbench.jsa"));
        Path gone = touch(dir.resolve(moved + "-3333333333333333-cli.jsa"));
        Path recent = touch(dir.resolve(other + "-2222222222222222-cli.jsa"));
        Path otherTemp = touch(dir.resolve(other + "-2222222222222222-cli.jsa.9.tmp"));
        long unused = now - JvmRelaunch.UNUSED_ARCHIVE_MILLIS - java.util.concurrent.TimeUnit.HOURS.toMillis(1);
        for (Path p : List.of(current, oldSibling, gone, otherTemp)) {
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(unused));
        }
        Files.setLastModifiedTime(recent, java.nio.file.attribute.FileTime.fromMillis(now - java.util.concurrent.TimeUnit.DAYS.toMillis(29)));

        JvmRelaunch.pruneStale(current, jar);

        assertEquals(new TreeSet<>(List.of(current.getFileName().toString(), recent.getFileName().toString(),
                otherTemp.getFileName().toString())), names(dir),
                "the archive just made stays, an archive used 29 days ago stays, another jar's temp file is its own runs' to prune");
    }

    @Test
    void aMappedArchivesTimeSaysWhenARunLastUsedItWrittenAtMostDaily(@TempDir Path dir) throws IOException {
        File archive = touch(dir.resolve("a.jsa")).toFile();
        long now = System.currentTimeMillis();
        long hourAgo = now - java.util.concurrent.TimeUnit.HOURS.toMillis(1);
        assertTrue(archive.setLastModified(hourAgo));
        JvmRelaunch.markUsed(archive, now);
        assertEquals(hourAgo / 1000, archive.lastModified() / 1000, "used within the day: left as it is");

        long weekAgo = now - java.util.concurrent.TimeUnit.DAYS.toMillis(7);
        assertTrue(archive.setLastModified(weekAgo));
        JvmRelaunch.markUsed(archive, now);
        assertEquals(now / 1000, archive.lastModified() / 1000);
    }

    /** Whole processes: a small jar whose main decides as Main does, run by the same java that runs the tests. */
    @Nested
    class Processes {
        @TempDir
        Path dir;
        Path jar;
        Path cache;

        @BeforeEach
        void buildJar() throws Exception {
            assumeTrue(ProcessHandle.current().info().arguments().isPresent(), "this system reports no command lines: nothing relaunches");
            jar = dir.resolve("fixture.jar");
            cache = dir.resolve("cache");
            Manifest m = new Manifest();
            m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, RelaunchFixture.class.getName());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
                for (Class<?> c : List.of(JvmRelaunch.class, UserCache.class, RelaunchFixture.class)) {
                    Path folder = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                    Path pkg = folder.resolve(c.getPackageName().replace('.', '/'));
                    try (Stream<Path> files = Files.list(pkg)) {
                        for (Path f : files.filter(f -> f.getFileName().toString().matches(c.getSimpleName() + "(\\$.*)?\\.class")).toList()) {
                            out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace('\\', '/')));
                            out.write(Files.readAllBytes(f));
                            out.closeEntry();
                        }
                    }
                }
                out.putNextEntry(new JarEntry("dev/layerwise/app/install/" + JvmRelaunch.TUNING_RESOURCE));
                try (var options = JvmRelaunch.class.getResourceAsStream(JvmRelaunch.TUNING_RESOURCE)) {
                    options.transferTo(out);
                }
                out.closeEntry();
            }
        }

        @Test
        void theChildRunsWithTheLaunchOptionsAndTheUsersOwnOptionWins() throws Exception {
            Run tuned = run(List.of(), Map.of(), "", "analyze");
            assertTrue(tuned.relaunched(), tuned.out);
            assertEquals("15000", tuned.line("Tier4InvocationThreshold "), tuned.out);

            Run own = run(List.of("-XX:Tier4InvocationThreshold=7000"), Map.of(), "", "analyze");
            assertTrue(own.relaunched(), own.out);
            assertEquals("7000", own.line("Tier4InvocationThreshold "), own.out);

            Run inProcess = run(List.of(), Map.of(JvmRelaunch.OPT_OUT_ENV, "0"), "", "analyze");
            assertFalse(inProcess.relaunched(), inProcess.out);
            assertEquals("5000", inProcess.line("Tier4InvocationThreshold "), "HotSpot's default where nothing relaunches");
        }

        @Test
        void theFirstRunMakesTheArchiveAndLaterRunsMapIt() throws Exception {
            Run first = run(List.of(), Map.of(), "", "analyze", "two words", "--exit", "0");
            assertTrue(first.relaunched(), first.out);
            assertTrue(first.jvm().contains("-XX:ArchiveClassesAtExit="), first.out);
            assertTrue(first.jvm().contains("-Dlayerwise.cache=" + cache), "the parent's options are kept: " + first.out);
            assertEquals(List.of("analyze", "two words", "--exit", "0"), first.args());
            assertTrue(Long.parseLong(first.line("started earlier by ")) > 0, "a launch is timed from the parent's start: " + first.out);
            assertTrue(Long.parseLong(first.line("parent cpu ")) > 0, "and its CPU counts the parent's: " + first.out);
            Path archive = onlyArchive();

            Object made = Files.readAttributes(archive, BasicFileAttributes.class).fileKey();
            long weekAgo = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(7);
            Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(weekAgo));
            Run second = run(List.of(), Map.of(), "", "analyze");
            assertTrue(archive.toFile().lastModified() > weekAgo + TimeUnit.DAYS.toMillis(6), "a run that maps it marks it used");
            assertTrue(second.jvm().contains("-XX:SharedArchiveFile=" + archive), second.out);
            assertEquals(made, Files.readAttributes(archive, BasicFileAttributes.class).fileKey(), "made once, then reused");
            assertEquals(archive, onlyArchive());

            // the archive is a real one: this JVM takes the fixture's classes from it
            Process check = new ProcessBuilder(java(), "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load", "-jar", jar.toString(), "--help")
                    .redirectErrorStream(true).start();
            String log = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(check.waitFor(60, TimeUnit.SECONDS));
            assertTrue(log.lines().anyMatch(l -> l.contains(RelaunchFixture.class.getName() + " source: shared objects file (top)")), log);
        }

        @Test
        void theChildsExitCodeAndStandardInputPassThrough() throws Exception {
            Run r = run(List.of(), Map.of(), "héllo from stdin\n", "analyze", "--stdin", "--exit", "3");
            assertEquals(3, r.exit);
            assertTrue(r.relaunched(), r.out);
            assertTrue(r.out.contains("stdin héllo from stdin"), r.out);
            assertEquals(List.of(), archives(), "a failed run keeps no archive and no temp file");
        }

        @Test
        void aDamagedArchiveStillRunsTheCommandWithCleanOutput() throws Exception {
            run(List.of(), Map.of(), "", "analyze");
            Path archive = onlyArchive();
            archive.toFile().setWritable(true);
            byte[] bytes = Files.readAllBytes(archive);
            java.util.Random random = new java.util.Random(7);
            for (int i = bytes.length / 4; i < bytes.length / 2; i++) {
                bytes[i] = (byte) random.nextInt();
            }
            Files.write(archive, bytes);

            Run r = run(List.of(), Map.of(), "", "analyze", "again");
            assertEquals(0, r.exit, r.out + r.err);
            assertTrue(r.relaunched() && r.jvm().contains("-XX:SharedArchiveFile=" + archive), r.out);
            assertTrue(r.out.startsWith("pid "), "nothing but the command's output on stdout: " + r.out);
            assertEquals("", r.err);
            assertEquals(List.of(), hsErrFiles(), "no crash report");

            Files.write(archive, new byte[] {1, 2, 3});
            Run truncated = run(List.of(), Map.of(), "", "analyze", "again");
            assertEquals(0, truncated.exit);
            assertTrue(truncated.out.startsWith("pid "), truncated.out);
            assertEquals("", truncated.err);
        }

        @Test
        void aCacheFolderThatCannotBeMadeRunsTheCommandInProcess() throws Exception {
            Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
            cache = file.resolve("cache");
            Run r = run(List.of(), Map.of(), "", "analyze", "--exit", "4");
            assertEquals(4, r.exit);
            assertFalse(r.relaunched(), r.out);
            assertEquals("", r.err);
        }

        @Test
        void theOptOutsAndTheHelpRunInProcess() throws Exception {
            for (Run r : List.of(run(List.of(), Map.of(JvmRelaunch.OPT_OUT_ENV, "0"), "", "analyze"),
                    run(List.of("-D" + JvmRelaunch.OPT_OUT_PROPERTY + "=false"), Map.of(), "", "analyze"),
                    run(List.of(), Map.of(), "", "--help"), run(List.of(), Map.of(), "", "analyze", "--help"))) {
                assertEquals(0, r.exit);
                assertFalse(r.relaunched(), r.out);
                assertEquals(r.pid, r.reportedPid(), "the command ran in the process that was started");
                assertEquals("0", r.line("started earlier by "), "timed from its own start");
                assertEquals("0", r.line("parent cpu "));
            }
            assertFalse(Files.exists(cache.resolve("cds")), "no archive made");
        }

        @Test
        void aCommandThatMakesNoArchiveRunsInProcessUntilOneExists() throws Exception {
            assertFalse(run(List.of(), Map.of(), "", "devices").relaunched());
            run(List.of(), Map.of(), "", "analyze");
            Run devices = run(List.of(), Map.of(), "", "devices");
            assertTrue(devices.relaunched() && devices.jvm().contains("-XX:SharedArchiveFile="), devices.out);
        }

        @Test
        void aParentStoppedBySigtermTakesTheChildWithIt() throws Exception {
            Process parent = start(List.of(), Map.of(), "analyze", "--sleep");
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            assertTrue(first != null && first.startsWith("pid "), String.valueOf(first));
            long childPid = Long.parseLong(first.substring(4).strip());
            assertNotEquals(parent.pid(), childPid, "relaunched");
            ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();

            parent.destroy();

            assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "the parent ends");
            child.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "no orphan left running");
            assertEquals(List.of(), archives(), "the interrupted first run kept no archive and no temp file");
        }

        private Path onlyArchive() throws IOException {
            List<Path> all = archives();
            assertEquals(1, all.size(), all.toString());
            assertTrue(all.get(0).getFileName().toString().endsWith("-cli.jsa"), all.toString());
            return all.get(0);
        }

        private List<Path> archives() throws IOException {
            Path cds = cache.resolve("cds");
            if (!Files.isDirectory(cds)) {
                return List.of();
            }
            try (Stream<Path> s = Files.list(cds)) {
                return s.sorted().toList();
            }
        }

        private List<Path> hsErrFiles() throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
            }
        }

        private Process start(List<String> options, Map<String, String> env, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(java(), "-Dlayerwise.cache=" + cache));
            cmd.addAll(options);
            cmd.add("-jar");
            cmd.add(jar.toString());
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().remove(JvmRelaunch.MARKER_ENV);
            pb.environment().remove(JvmRelaunch.OPT_OUT_ENV);
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().putAll(env);
            return pb.start();
        }

        private Run run(List<String> options, Map<String, String> env, String stdin, String... args) throws Exception {
            Process p = start(options, env, args);
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
            return new Run(p.pid(), p.exitValue(), out, err.get());
        }
    }

    /** What the fixture reported. */
    private record Run(long pid, int exit, String out, String err) {
        long reportedPid() {
            return Long.parseLong(line("pid "));
        }

        boolean relaunched() {
            return line("relaunched by ").equals(Long.toString(pid)) && reportedPid() != pid;
        }

        String jvm() {
            return line("jvm ");
        }

        List<String> args() {
            return out.lines().filter(l -> l.startsWith("arg ")).map(l -> l.substring(4)).collect(Collectors.toList());
        }

        String line(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst().orElse("");
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path touch(Path p) throws IOException {
        return Files.writeString(p, "x");
    }

    private static TreeSet<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
