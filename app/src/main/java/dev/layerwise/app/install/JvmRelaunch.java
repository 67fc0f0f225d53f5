package dev.layerwise.app.install;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code java -jar layerwise.jar} command in a second JVM that maps a class-data-sharing
 * archive the jar made for itself on an earlier run (decision 0027).
 *
 * <p>A JVM maps an archive of the application's classes only when its command line names one, and a
 * jar cannot carry JVM options; the app image's launcher names its own archive. So a jar run starts
 * the same {@code java} again with {@code -XX:SharedArchiveFile} (the archive saves ~0.35 s of CPU per
 * command, the extra start costs ~0.07 s), passes its terminal on, and exits with the child's code. The
 * first run of a command that does real work makes the archive instead ({@code -XX:ArchiveClassesAtExit}
 * into a temp file, moved into place once the child succeeded), so a help text or a usage error never
 * becomes the archive. The workbench and the commands get separate archives: their classes differ.
 *
 * <p>Anything unusual runs the command in this JVM as before: the app image (it maps its own
 * archive), a class path that is not a jar, {@code LAYERWISE_JVM_RELAUNCH=0} or
 * {@code -Dlayerwise.jvmRelaunch=false}, options that must not run twice or that choose class-data
 * sharing themselves (a debugger or profiler agent, {@code -Xshare}, an archive of the user's own), no
 * command line to repeat (some systems do not report it), or no writable cache folder while no
 * archive exists. Only JDK classes are touched here: this runs before anything of the application has
 * loaded, and every command pays for it.
 *
 * <p>Called once, first thing in {@code main}, on the main thread.
 */
public final class JvmRelaunch {

    /** {@code LAYERWISE_JVM_RELAUNCH=0} (or {@code false}, {@code off}, {@code no}) runs every command in the first JVM. */
    public static final String OPT_OUT_ENV = "LAYERWISE_JVM_RELAUNCH";
    /** {@code -Dlayerwise.jvmRelaunch=false} does the same as {@link #OPT_OUT_ENV}. */
    public static final String OPT_OUT_PROPERTY = "layerwise.jvmRelaunch";
    /**
     * Set in the child's environment to the parent's process id: the child never relaunches, and
     * {@code bench --workbench} times the launch from the parent's start ({@link #firstStartMillis}).
     */
    public static final String MARKER_ENV = "LAYERWISE_RELAUNCHED_BY";

    /**
     * What the child is told besides the archive: the JVM prints class-data-sharing warnings (a stale
     * or damaged archive) on stdout, into a command's output; a run without the archive is only slower.
     */
    static final String QUIET_CDS = "-Xlog:cds*=off";

    /** Commands whose run opens a model and runs the engine: only such a run makes the commands' archive. */
    static final Set<String> ARCHIVING_COMMANDS = Set.of("analyze", "run", "hybrid-step1", "hybrid-step2", "compare", "auto-pick");

    /** Options of the user's that must not run in two JVMs at once, or that already choose what is shared. */
    private static final List<String> KEEP_IN_PROCESS_OPTIONS = List.of("-agentlib:", "-agentpath:", "-javaagent:", "-Xdebug",
            "-Xrunjdwp", "-Xshare", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive",
            "-XX:DumpLoadedClassList", "-XX:SharedClassListFile", "-XX:+RecordDynamicDumpInfo");

    /** Below this much free space no archive is made: a dump that cannot be written fails the JVM's exit (13.5 MB for the commands). */
    private static final long ARCHIVE_ROOM = 256L << 20;

    private JvmRelaunch() {
    }

    /** Which of the jar's two archives a run uses. */
    enum Kind {
        COMMANDS("cli"), WORKBENCH("workbench");

        final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    /** How the child is started: its whole command line and what is added to the parent's environment. */
    record Child(List<String> command, Map<String, String> environment) {
    }

    /**
     * Runs {@code args} in a child JVM and exits with its code, when this is a jar run that should;
     * otherwise returns at once and the caller runs the command itself. Never fails: any trouble
     * before the child started means running in-process; after it started, the child's code is the
     * answer even if the archive could not be kept.
     *
     * @param workbench whether {@code args} open the workbench rather than run a command
     */
    public static void relaunchIfWanted(String[] args, boolean workbench) {
        Prepared prepared;
        Process child;
        try {
            prepared = prepare(args, workbench);
            if (prepared == null) {
                return;
            }
            ProcessBuilder pb = new ProcessBuilder(prepared.child.command()).inheritIO();
            pb.environment().putAll(prepared.child.environment());
            child = pb.start();
        } catch (IOException | RuntimeException | LinkageError e) {
            // no java to start, no room for a process, an odd system: the command runs here, only slower
            return;
        }
        System.exit(await(child, prepared));
    }

    /** The decision and the child's command line, or {@code null} to run in this JVM. */
    private static Prepared prepare(String[] args, boolean workbench) throws IOException {
        Map<String, String> env = System.getenv();
        if (env.containsKey(MARKER_ENV) || optedOut(env.get(OPT_OUT_ENV)) || optedOut(System.getProperty(OPT_OUT_PROPERTY))
                // the app image's launcher maps its own archive (decision 0015)
                || System.getProperty("jpackage.app-path") != null
                || (!workbench && !doesWork(args))) {
            return null;
        }
        for (String name : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            if (env.get(name) != null && !keepsNothingInProcess(List.of(env.get(name).split("\\s+")))) {
                return null;
            }
        }
        Path jar = ownJar();
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (jar == null || info.command().isEmpty() || info.arguments().isEmpty()) {
            return null;
        }
        Kind kind = kind(args, workbench);
        File jarFile = jar.toFile();
        Path dir = UserCache.current().resolve("cds");
        String jarId = hex(jar.toString());
        String name = archiveName(jarId, buildKey(jarFile.length(), jarFile.lastModified(), System.getProperty("java.home", ""),
                System.getProperty("java.version", ""), System.getProperty("java.vm.version", "")), kind);
        Path archive = dir.resolve(name);
        List<String> cds;
        Path dump = null;
        if (Files.isRegularFile(archive)) {
            markUsed(archive.toFile(), System.currentTimeMillis());
            // the CRC check (~15 ms of CPU) turns a damaged archive into a run without it; unchecked, the JVM crashes on it
            cds = List.of("-XX:SharedArchiveFile=" + archive, "-XX:+VerifySharedSpaces", QUIET_CDS);
        } else if (kind == Kind.WORKBENCH || ARCHIVING_COMMANDS.contains(args[0])) {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir) || dir.toFile().getUsableSpace() < ARCHIVE_ROOM) {
                return null;
            }
            dump = dir.resolve(name + "." + ProcessHandle.current().pid() + ".tmp");
            cds = List.of("-XX:ArchiveClassesAtExit=" + dump, QUIET_CDS);
        } else {
            // nothing to map and this run would make a thin archive: a second JVM would only cost time
            return null;
        }
        Optional<Child> child = child(info.command().get(), tuning(), List.of(info.arguments().get()), jar.toString(), List.of(args),
                cds, ProcessHandle.current().pid());
        // no lambdas on this path: the first one spins up the method-handle machinery, milliseconds every command pays
        return child.isPresent() ? new Prepared(child.get(), archive, dump, jarId) : null;
    }

    /** A prepared relaunch: the child, the archive it maps or will make, and the temp file it dumps into when making it. */
    private record Prepared(Child child, Path archive, Path dump, String jarId) {
    }

    /**
     * The child's command line, a pure function of what the parent was started with: the same
     * {@code java}, then {@code tuning} (so that an option the user gave the parent comes later and
     * wins), every option the parent got before {@code -jar} (heap size, system properties), then
     * {@code cdsOptions}, then {@code -jar} with the jar's absolute path (the archive records the
     * class path it was made with, so every run names the jar the same way) and the application's
     * arguments exactly as {@code main} received them. Empty when the parent's command line has no
     * {@code -jar}, an argument file ({@code @file}, which could hold anything), or an option that
     * keeps the command in-process.
     *
     * @param tuning the launch options of {@link #TUNING_RESOURCE}
     * @param parentArguments the parent's command line after the {@code java} binary
     */
    static Optional<Child> child(String java, List<String> tuning, List<String> parentArguments, String jar, List<String> appArgs,
            List<String> cdsOptions, long parentPid) {
        int dashJar = parentArguments.indexOf("-jar");
        if (dashJar < 0) {
            return Optional.empty();
        }
        List<String> options = parentArguments.subList(0, dashJar);
        if (!keepsNothingInProcess(options)) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(tuning.size() + options.size() + cdsOptions.size() + appArgs.size() + 3);
        command.add(java);
        command.addAll(tuning);
        command.addAll(options);
        command.addAll(cdsOptions);
        command.add("-jar");
        command.add(jar);
        command.addAll(appArgs);
        return Optional.of(new Child(List.copyOf(command), Map.of(MARKER_ENV, Long.toString(parentPid))));
    }

    /**
     * The JVM options every launch that can choose its options gets, one a line ({@code #} starts a
     * comment): this relaunch's child and the app image's launcher, whose configuration the build
     * writes from the same file.
     */
    static final String TUNING_RESOURCE = "jit.options";

    /** The options of {@link #TUNING_RESOURCE}; none when it cannot be read (the child is then only slower). */
    static List<String> tuning() {
        List<String> options = new ArrayList<>();
        try (var in = JvmRelaunch.class.getResourceAsStream(TUNING_RESOURCE)) {
            if (in == null) {
                return options;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String o = line.strip();
                if (!o.isEmpty() && !o.startsWith("#")) {
                    options.add(o);
                }
            }
        } catch (IOException e) {
            options.clear();
        }
        return options;
    }

    private static boolean keepsNothingInProcess(List<String> options) {
        for (String o : options) {
            if (o.startsWith("@")) {
                return false;
            }
            for (String p : KEEP_IN_PROCESS_OPTIONS) {
                if (o.startsWith(p)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The workbench's archive for the window and for {@code bench --workbench}, which opens the same
     * window (so its launch figure is the one a user sees); the commands' archive for the rest.
     */
    static Kind kind(String[] args, boolean workbench) {
        boolean benchedWindow = args.length > 0 && args[0].equals("bench") && List.of(args).contains("--workbench");
        return workbench || benchedWindow ? Kind.WORKBENCH : Kind.COMMANDS;
    }

    /** A command that does something: help, the version and no command at all stay in-process (they take 0.1 s as they are). */
    static boolean doesWork(String[] args) {
        if (args.length == 0 || args[0].startsWith("-") || args[0].equals("help")) {
            return false;
        }
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return false;
            }
        }
        return true;
    }

    static boolean optedOut(String value) {
        return value != null && Set.of("0", "false", "off", "no").contains(value.strip().toLowerCase(java.util.Locale.ROOT));
    }

    /** The jar this class was loaded from, or {@code null} when it came from a folder (tests, an IDE). */
    private static Path ownJar() {
        try {
            var source = JvmRelaunch.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path p = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
            return p.toString().endsWith(".jar") && Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Waits for the child however long it runs, keeps a freshly made archive, and returns the child's exit code. */
    private static int await(Process child, Prepared prepared) {
        Runtime.getRuntime().addShutdownHook(new StopChild(child, prepared.dump()));
        int code;
        while (true) {
            try {
                code = child.waitFor();
                break;
            } catch (InterruptedException e) {
                // nothing in this JVM interrupts main; keep waiting for the child's answer
            }
        }
        if (prepared.dump() != null) {
            keepArchive(code, prepared);
        }
        return code;
    }

    /** A parent stopped by SIGTERM (a service manager, a script's timeout) takes the child with it. */
    private static final class StopChild extends Thread {
        private final Process child;
        private final Path dump;

        StopChild(Process child, Path dump) {
            super("layerwise-relaunch-stop");
            this.child = child;
            this.dump = dump;
        }

        @Override
        public void run() {
            child.destroy();
            try {
                if (!child.waitFor(3, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
            deleteQuietly(dump);
        }
    }

    /**
     * Moves a dump into place after a successful run and removes older archives of the same jar path
     * (a rebuilt jar, another JDK). The move is atomic: two first runs at once each dump into their own
     * temp file and the later rename wins whole; a failed run or dump leaves nothing behind.
     */
    private static void keepArchive(int code, Prepared prepared) {
        Path dump = prepared.dump();
        try {
            if (code == 0 && Files.isRegularFile(dump) && Files.size(dump) > 0) {
                Files.move(dump, prepared.archive(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                pruneStale(prepared.archive(), prepared.jarId());
            }
        } catch (IOException | RuntimeException e) {
            // a full disk or a file system without atomic rename: the next run tries again
        }
        deleteQuietly(dump);
    }

    /** An archive no run has mapped for this long belongs to a jar that is gone or no longer used; the next new archive removes it. */
    static final long UNUSED_ARCHIVE_MILLIS = TimeUnit.DAYS.toMillis(30);

    /**
     * Sets a mapped archive's time to now when it is a day old or more: the time says when a run last
     * used it, which is how {@link #pruneStale} finds the archives of jars that were moved, renamed or
     * deleted (one write a day per archive; mapping it never changes the time, and the JVM checks the
     * jar's time, not the archive's).
     */
    static void markUsed(File archive, long now) {
        if (archive.lastModified() < now - TimeUnit.DAYS.toMillis(1)) {
            // a read-only cache only loses the pruning
            archive.setLastModified(now);
        }
    }

    /**
     * Deletes this jar path's archives for another build key, temp files its killed runs left a day or more
     * ago, and any jar's archives that no run has used for {@link #UNUSED_ARCHIVE_MILLIS} (a jar downloaded
     * to a new folder for each release would otherwise leave 13–40 MB behind per folder).
     */
    static void pruneStale(Path archive, String jarId) throws IOException {
        String keep = archive.getFileName().toString();
        String buildPrefix = keep.substring(0, keep.lastIndexOf('-') + 1);
        long now = System.currentTimeMillis();
        long dayAgo = now - TimeUnit.DAYS.toMillis(1);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(archive.getParent())) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                long modified = f.toFile().lastModified();
                boolean ours = n.startsWith(jarId + "-");
                boolean staleArchive = ours && n.endsWith(".jsa") && !n.startsWith(buildPrefix);
                boolean leftTemp = ours && n.endsWith(".tmp") && modified < dayAgo;
                boolean unused = n.endsWith(".jsa") && !n.equals(keep) && modified < now - UNUSED_ARCHIVE_MILLIS;
                if (staleArchive || leftTemp || unused) {
                    deleteQuietly(f);
                }
            }
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            // a leftover temp file is pruned by a later run
        }
    }

    /**
     * The archive's file name: {@code JARID-BUILDKEY-KIND.jsa}. The jar's path picks the family (so a
     * new build replaces its predecessor's archives), the build key everything the JVM checks before it
     * maps an archive: the jar's size and time, and which JDK.
     */
    static String archiveName(String jarId, String buildKey, Kind kind) {
        return jarId + "-" + buildKey + "-" + kind.suffix + ".jsa";
    }

    static String buildKey(long jarSize, long jarModified, String javaHome, String javaVersion, String vmVersion) {
        return hex(jarSize + "|" + jarModified + "|" + javaHome + "|" + javaVersion + "|" + vmVersion);
    }

    /** 64-bit FNV-1a of the UTF-8 bytes, in hex: a file name, not a secret (MessageDigest would load the security providers). */
    static String hex(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        String digits = Long.toHexString(h);
        return "0".repeat(16 - digits.length()) + digits;
    }

    /**
     * When this launch began, in epoch milliseconds: {@code ownJvmStart} (this JVM's start), moved back
     * by the time between the parent's and this process's start when this JVM is a relaunched child,
     * so a launch is timed from the command the user typed. Both process start times come from the
     * same clock (their difference is exact to a clock tick, 10 ms on Linux), whereas each alone may be
     * off by up to a second (the boot time the system reports is whole seconds).
     */
    public static long firstStartMillis(long ownJvmStart) {
        Optional<ProcessHandle> parent = relaunchingParent();
        if (parent.isEmpty()) {
            return ownJvmStart;
        }
        var self = ProcessHandle.current().info().startInstant();
        var first = parent.get().info().startInstant();
        if (self.isEmpty() || first.isEmpty()) {
            return ownJvmStart;
        }
        return ownJvmStart - Math.max(0, self.get().toEpochMilli() - first.get().toEpochMilli());
    }

    /**
     * The CPU time the relaunching parent has used, in milliseconds, when this JVM is its child, else 0:
     * a launch's CPU figure counts both JVMs. The parent only waits once the child runs, so the figure
     * is final by then.
     */
    public static long parentCpuMillis() {
        Optional<ProcessHandle> parent = relaunchingParent();
        if (parent.isEmpty()) {
            return 0;
        }
        var cpu = parent.get().info().totalCpuDuration();
        return cpu.isPresent() ? cpu.get().toMillis() : 0;
    }

    /** The parent named by {@link #MARKER_ENV}, if it is this process's parent (not an ancestor further up that set it). */
    private static Optional<ProcessHandle> relaunchingParent() {
        String parentPid = System.getenv(MARKER_ENV);
        if (parentPid == null) {
            return Optional.empty();
        }
        try {
            Optional<ProcessHandle> parent = ProcessHandle.current().parent();
            return parent.isPresent() && parent.get().pid() == Long.parseLong(parentPid.strip()) ? parent : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
