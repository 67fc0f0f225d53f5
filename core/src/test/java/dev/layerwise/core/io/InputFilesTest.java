package dev.layerwise.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// a regression would block on the pipe forever: the timeout turns that into a failure
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InputFilesTest {

    @TempDir
    Path dir;

    @Test
    void namedPipeIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = TestFiles.fifo(dir.resolve("list.txt"));
        InputFileException e = assertThrows(InputFileException.class,
                () -> InputFiles.readAllBytes(fifo, "dataset file", InputFiles.TEXT_LIMIT));
        assertEquals(fifo + ": is not a regular file (a named pipe); give the dataset file as an ordinary file", e.getMessage());
    }

    @Test
    void linkToAPipeIsRefusedLikeThePipe() throws Exception {
        Path fifo = TestFiles.fifo(dir.resolve("pipe"));
        Path link = Files.createSymbolicLink(dir.resolve("labels.txt"), fifo);
        InputFileException e = assertThrows(InputFileException.class,
                () -> InputFiles.readUtf8(link, "labels file", InputFiles.SMALL_TEXT_LIMIT));
        assertTrue(e.getMessage().startsWith(link + ": is not a regular file (a named pipe)"), e.getMessage());
    }

    @Test
    void endlessDevicesAreRefusedAsCharacterDevices() {
        for (String dev : new String[] {"/dev/zero", "/dev/urandom"}) {
            InputFileException e = assertThrows(InputFileException.class,
                    () -> InputFiles.readAllBytes(Path.of(dev), "model file", InputFiles.MODEL_LIMIT));
            assertEquals(dev + ": is not a regular file (a character device); give the model file as an ordinary file",
                    e.getMessage());
        }
    }

    @Test
    void fileOverTheFormatsBoundIsRefusedBeforeReading() throws Exception {
        Path big = dir.resolve("big.txt");
        try (var raf = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(InputFiles.TEXT_LIMIT * 2); // sparse: costs no disk
        }
        InputFileException e = assertThrows(InputFileException.class,
                () -> InputFiles.readAllBytes(big, "cfg file", InputFiles.TEXT_LIMIT));
        assertEquals(big + ": cfg file is 128 MiB, more than the 64 MiB Layerwise reads", e.getMessage());
    }

    @Test
    void folderAndMissingFileAreNamed() {
        assertEquals(dir + ": is a folder, expected a workspace", assertThrows(InputFileException.class,
                () -> InputFiles.readAllBytes(dir, "workspace", 100)).getMessage());
        Path missing = dir.resolve("nope.cfg");
        assertEquals(missing + ": cfg file not found", assertThrows(InputFileException.class,
                () -> InputFiles.readAllBytes(missing, "cfg file", 100)).getMessage());
    }

    @Test
    void regularFileAndLinkToOneAreReadWhole() throws Exception {
        Path f = Files.write(dir.resolve("a.bin"), new byte[] {1, 2, 3});
        Path link = Files.createSymbolicLink(dir.resolve("b.bin"), f);
        assertArrayEquals(new byte[] {1, 2, 3}, InputFiles.readAllBytes(link, "file", 3));
    }
}
