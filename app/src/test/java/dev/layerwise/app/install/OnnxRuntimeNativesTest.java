package dev.layerwise.app.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.layerwise.core.version.BuildInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnnxRuntimeNativesTest {

    private static final String HERE = OnnxRuntimeNatives.platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    private static final String ORT = BuildInfo.current().onnxRuntimeVersion();

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "Linux, amd64, linux-x64",
        "Linux, aarch64, linux-aarch64",
        "Mac OS X, aarch64, osx-aarch64",
        "Mac OS X, x86_64, osx-x64",
        "Windows 11, amd64, win-x64",
    })
    void platformUsesOnnxRuntimesFolderNames(String os, String arch, String expected) {
        assertEquals(expected, OnnxRuntimeNatives.platform(os, arch));
    }

    @Nested
    class Unpack {
        @Test
        void unpacksThisPlatformsLibrariesByteForByteIntoAVersionedFolder() throws Exception {
            Path folder = new OnnxRuntimeNatives(dir, ORT, HERE).unpack().orElseThrow();
            assertEquals(dir.resolve("onnxruntime").resolve(ORT + "-" + HERE), folder);
            String lib = System.mapLibraryName("onnxruntime");
            try (InputStream in = OnnxRuntimeNatives.class.getResourceAsStream("/ai/onnxruntime/native/" + HERE + "/" + lib)) {
                assertTrue(java.util.Arrays.equals(in.readAllBytes(), Files.readAllBytes(folder.resolve(lib))));
            }
            assertTrue(Files.isRegularFile(folder.resolve(System.mapLibraryName("onnxruntime4j_jni"))));
            assertEquals(Set.of(), leftovers(folder), "no temp files left behind");
        }

        @Test
        void secondUnpackLeavesTheCachedFilesUntouched() throws Exception {
            OnnxRuntimeNatives natives = new OnnxRuntimeNatives(dir, ORT, HERE);
            Path lib = natives.unpack().orElseThrow().resolve(System.mapLibraryName("onnxruntime"));
            Object key = Files.readAttributes(lib, BasicFileAttributes.class).fileKey();
            FileTime old = FileTime.fromMillis(1_000_000_000_000L);
            Files.setLastModifiedTime(lib, old);

            natives.unpack();

            assertEquals(old, Files.getLastModifiedTime(lib));
            assertEquals(key, Files.readAttributes(lib, BasicFileAttributes.class).fileKey());
        }

        @Test
        void aTruncatedLibraryIsReplaced() throws Exception {
            OnnxRuntimeNatives natives = new OnnxRuntimeNatives(dir, ORT, HERE);
            Path lib = natives.unpack().orElseThrow().resolve(System.mapLibraryName("onnxruntime"));
            long size = Files.size(lib);
            Files.write(lib, new byte[100]);

            natives.unpack();

            assertEquals(size, Files.size(lib));
        }

        @Test
        void aPlatformTheJarHasNoLibrariesForUnpacksNothing() throws Exception {
            assertTrue(new OnnxRuntimeNatives(dir, ORT, "plan9-mips").unpack().isEmpty());
            assertFalse(Files.exists(dir.resolve("onnxruntime")));
        }

        private Set<String> leftovers(Path folder) throws IOException {
            try (Stream<Path> s = Files.list(folder)) {
                return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).collect(Collectors.toSet());
            }
        }
    }

    /** Whole processes, as a user starts them: what ONNX Runtime really loads, and what it leaves in the temp folder. */
    @Nested
    class Processes {
        @Test
        void secondStartLoadsTheCachedLibraryAndNeitherStartExtractsToTemp() throws Exception {
            assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux's /proc to see mapped files");
            Path cache = dir.resolve("cache");
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Path folder = cache.resolve("onnxruntime").resolve(ORT + "-" + HERE);

            List<String> first = probe("-Dlayerwise.cache=" + cache, "-Djava.io.tmpdir=" + tmp);
            Path lib = folder.resolve(System.mapLibraryName("onnxruntime"));
            FileTime unpacked = Files.getLastModifiedTime(lib);
            Object key = Files.readAttributes(lib, BasicFileAttributes.class).fileKey();
            List<String> second = probe("-Dlayerwise.cache=" + cache, "-Djava.io.tmpdir=" + tmp);

            for (List<String> run : List.of(first, second)) {
                assertTrue(run.contains("property " + folder), run.toString());
                assertTrue(run.contains("mapped " + lib), "loaded from the cache: " + run);
                assertTrue(run.stream().filter(l -> l.startsWith("mapped ")).allMatch(l -> l.startsWith("mapped " + folder)),
                        "nothing mapped from anywhere else: " + run);
            }
            assertEquals(unpacked, Files.getLastModifiedTime(lib), "the second start did not rewrite the library");
            assertEquals(key, Files.readAttributes(lib, BasicFileAttributes.class).fileKey());
            assertEquals(new TreeSet<String>(), names(tmp), "nothing left in the temp folder");
        }

        @Test
        void aPresetNativePathIsUsedAndNothingIsUnpacked() throws Exception {
            assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux's /proc to see mapped files");
            // what the app image does: the libraries sit beside the jar and the launcher names their folder
            Path beside = new OnnxRuntimeNatives(dir.resolve("image"), ORT, HERE).unpack().orElseThrow();
            Path cache = dir.resolve("cache");

            List<String> run = probe("-Dlayerwise.cache=" + cache, "-D" + OnnxRuntimeNatives.NATIVE_PATH + "=" + beside);

            assertTrue(run.contains("property " + beside), run.toString());
            assertTrue(run.contains("mapped " + beside.resolve(System.mapLibraryName("onnxruntime"))), run.toString());
            assertFalse(Files.exists(cache), "no cache made");
        }

        private List<String> probe(String... props) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path")));
            cmd.addAll(List.of(props));
            cmd.add(NativeLoadProbe.class.getName());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("version " + ORT), out);
            return out.lines().toList();
        }

        private Set<String> names(Path folder) throws IOException {
            try (Stream<Path> s = Files.list(folder)) {
                return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            }
        }
    }
}
