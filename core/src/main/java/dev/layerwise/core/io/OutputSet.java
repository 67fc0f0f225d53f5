package dev.layerwise.core.io;

import dev.layerwise.core.task.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files one run writes into an output folder ({@code -o}), written as a whole or not at all.
 *
 * <p>The run writes into a staging folder beside the output folder; only when everything is
 * written are the files moved in, each by a rename. A failure, a full disk or Ctrl-C before that
 * point leaves the previous set untouched and the staging folder removed (by a shutdown hook on
 * Ctrl-C; a staging folder of a killed process is removed by the next run into the same folder).
 * While files are being moved in, a marker {@value #INCOMPLETE_MARKER} lies in the output folder,
 * so a set cut short in that instant says so.
 *
 * <p>Before any work, {@link #refuseInputs} refuses a run whose input lies in the output folder
 * under the name of one of its outputs: that input would otherwise be replaced.
 *
 * <p>Not thread-safe: one run, one thread. Names are relative to the output folder; a name ending
 * in {@code /} is a folder of outputs (e.g. {@code dump/}).
 */
public final class OutputSet {

    /** Present in the output folder only while, or when, a set was cut short while moving in. */
    public static final String INCOMPLETE_MARKER = ".layerwise-incomplete";

    private static final String STAGE_INFIX = ".layerwise-staging-";

    /** The work that writes the set's files into the staging folder it is given, and what it returns. */
    @FunctionalInterface
    public interface Work<T> {
        T write(Path stage) throws Exception;
    }

    private final Path folder;
    private final Set<String> names;

    private OutputSet(Path folder, Set<String> names) {
        this.folder = folder;
        this.names = names;
    }

    /**
     * @param folder the output folder; need not exist yet
     * @param names every file (or {@code name/} folder) the run may write into it
     */
    public static OutputSet of(Path folder, Collection<String> names) {
        Set<String> n = new LinkedHashSet<>();
        for (String name : names) {
            if (name.isEmpty() || name.startsWith("/") || name.contains("..") || name.indexOf('/') != name.lastIndexOf('/')
                    || (name.contains("/") && !name.endsWith("/"))) {
                throw new IllegalArgumentException("output name must be a plain file or folder/ name: " + name);
            }
            n.add(name);
        }
        return new OutputSet(folder.toAbsolutePath().normalize(), Set.copyOf(n));
    }

    /** The output folder, absolute. */
    public Path folder() {
        return folder;
    }

    /**
     * Refuses, before any work, an input that lies in the output folder under one of the
     * outputs' names (links followed both ways), which the run would replace.
     *
     * @param inputs every file the run reads; {@code null} entries are skipped
     * @throws InputFileException naming the input and the output it would become, or the output
     *     folder when it is a file
     */
    public void refuseInputs(Collection<Path> inputs) throws InputFileException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new InputFileException(folder, "is a file; -o takes a folder");
        }
        for (String name : names) {
            Path target = folder.resolve(strip(name));
            boolean isFolder = name.endsWith("/");
            Path realTarget = realOrSelf(target);
            for (Path in : inputs) {
                if (in == null) {
                    continue;
                }
                Path abs = in.toAbsolutePath().normalize();
                Path real = realOrSelf(abs);
                boolean hit = isFolder
                        ? abs.startsWith(target) || real.startsWith(realTarget)
                        : abs.equals(target) || real.equals(realTarget);
                if (hit) {
                    throw new InputFileException(in, "is an input of this run but lies in the output folder " + folder
                            + " as " + name + ", which the run writes; choose another -o or move the input");
                }
            }
        }
    }

    /**
     * Runs {@code work} with an empty staging folder, then moves what it wrote into the output
     * folder. When {@code work} fails, nothing in the output folder changes and the staging
     * folder is removed; an I/O failure names the output file it was writing, not the staging
     * copy.
     *
     * @return what {@code work} returned
     */
    public <T> T writeAndCommit(Work<T> work) throws Exception {
        Path parent = folder.getParent() != null ? folder.getParent() : folder;
        Files.createDirectories(parent);
        long pid = ProcessHandle.current().pid();
        Path stage = Files.createTempDirectory(parent, "." + folder.getFileName() + STAGE_INFIX + pid + "-");
        Thread onInterrupt = new Thread(() -> deleteQuietly(stage), "layerwise-output-cleanup");
        boolean hooked = addHook(onInterrupt);
        // tidied beside the work and waited for at the end: in a crowded parent (a /tmp of thousands of
        // entries) the listing took tens of milliseconds in front of the run
        Thread tidy = DaemonThreads.start("layerwise-output-tidy", () -> removeAbandonedStages(parent));
        try {
            T result;
            try {
                result = work.write(stage);
            } catch (IOException e) {
                throw renamed(e, stage);
            }
            moveIn(stage);
            return result;
        } finally {
            deleteQuietly(stage);
            if (hooked) {
                removeHook(onInterrupt);
            }
            awaitQuietly(tidy);
        }
    }

    private static void awaitQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            // leftovers are untidy, not wrong; the caller's interrupt is kept for it
            Thread.currentThread().interrupt();
        }
    }

    private void moveIn(Path stage) throws IOException {
        List<Path> written;
        try (Stream<Path> s = Files.list(stage)) {
            written = s.sorted().toList();
        }
        for (Path p : written) {
            String name = p.getFileName() + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "");
            if (!names.contains(name)) {
                throw new IllegalStateException("run wrote " + name + ", which it did not declare as an output");
            }
        }
        Files.createDirectories(folder);
        Path marker = folder.resolve(INCOMPLETE_MARKER);
        Files.writeString(marker, "A Layerwise run was moving its outputs into this folder and stopped; the files here may"
                + " mix two runs. Run it again.\n");
        for (Path src : written) {
            Path dst = folder.resolve(src.getFileName().toString());
            if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS) && Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
                // a folder cannot replace a folder by rename: the old one goes to the stage and is removed with it
                move(dst, stage.resolve(".previous-" + src.getFileName()));
            }
            move(src, dst);
        }
        Files.delete(marker);
    }

    private static void move(Path src, Path dst) throws IOException {
        try {
            Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The same failure, naming the output file instead of its staging copy. */
    private IOException renamed(IOException e, Path stage) {
        String m = e.getMessage();
        if (m == null || !m.contains(stage.toString())) {
            return e;
        }
        IOException named = new IOException(m.replace(stage.toString(), folder.toString()), e);
        return named;
    }

    /** Staging folders of this output folder left by processes that no longer run (killed with -9). */
    private void removeAbandonedStages(Path parent) {
        String prefix = "." + folder.getFileName() + STAGE_INFIX;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash > 0 ? rest.substring(0, dash) : rest);
                    if (ProcessHandle.of(pid).isEmpty()) {
                        deleteQuietly(p);
                    }
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        } catch (IOException | RuntimeException e) {
            // leftovers are untidy, not wrong: the run goes on (a listing that fails midway throws
            // DirectoryIteratorException, unchecked)
        }
    }

    private static String strip(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            Path parent = p.getParent();
            return parent != null && Files.isDirectory(parent) ? realOrSelf(parent).resolve(p.getFileName()) : p;
        }
    }

    private static boolean addHook(Thread t) {
        try {
            Runtime.getRuntime().addShutdownHook(t);
            return true;
        } catch (IllegalStateException e) {
            return false; // already shutting down
        }
    }

    private static void removeHook(Thread t) {
        try {
            Runtime.getRuntime().removeShutdownHook(t);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs and finds nothing left
        }
    }

    static void deleteQuietly(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(p)) {
            s.forEach(all::add);
        } catch (IOException | UncheckedIOException e) {
            // delete what was listed
        }
        all.sort(Comparator.reverseOrder());
        for (Path x : all) {
            try {
                Files.deleteIfExists(x);
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
