package dev.layerwise.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetTest {

    @TempDir
    Path dir;

    private Path cat;
    private Path dog;
    private Path elsewhere;

    @BeforeEach
    void createSampleFiles() throws IOException {
        Files.createDirectories(dir.resolve("img"));
        cat = Files.writeString(dir.resolve("img/cat.jpg"), "x");
        dog = Files.writeString(dir.resolve("img/dog.png"), "x");
        elsewhere = Files.writeString(Files.createDirectories(dir.resolve("other")).resolve("bird.npy"), "x");
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("dataset.txt"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void skipsCommentsAndBlankLinesWhateverTheLineEnds(String eol) throws Exception {
        Path list = write(String.join(eol, "# calibration set", "", "img/cat.jpg", "   ", "  # indented comment",
                "  img/dog.png  ", elsewhere.toString(), ""));

        List<Sample> samples = Dataset.load(list);

        assertEquals(List.of(
                new Sample(list, 3, List.of(cat)),
                new Sample(list, 6, List.of(dog)),
                new Sample(list, 7, List.of(elsewhere))), samples);
    }

    @Test
    void utf8ByteOrderMarkIsIgnored() throws Exception {
        Path list = write("\uFEFFimg/cat.jpg\r\n");
        assertEquals(List.of(cat), Dataset.load(list).get(0).files());
    }

    @Test
    void utf16WithByteOrderMarkIsRead() throws Exception {
        // what PowerShell 5's "dir -Name > dataset.txt" produces
        Path list = dir.resolve("dataset.txt");
        Files.write(list, "\uFEFFimg/cat.jpg\r\nimg/dog.png\r\n".getBytes(StandardCharsets.UTF_16LE));
        assertEquals(2, Dataset.load(list).size());
    }

    @Test
    void severalFilesOnALineAreOneSampleForSeveralInputs() throws Exception {
        Path list = write("img/cat.jpg\timg/dog.png\n../" + dir.getFileName() + "/img/dog.png  " + elsewhere + "\n");

        List<Sample> samples = Dataset.load(list);

        assertEquals(List.of(cat, dog), samples.get(0).files());
        assertEquals(List.of(dog, elsewhere), samples.get(1).files());
    }

    @Test
    void pathsAreRelativeToTheListNotTheWorkingFolder() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("lists"));
        Path list = Files.writeString(sub.resolve("calib.txt"), "../img/cat.jpg\n");
        assertEquals(List.of(cat), Dataset.load(list).get(0).files());
    }

    @Test
    void quotedPathMayContainSpaces() throws Exception {
        Path spaced = Files.writeString(dir.resolve("img/my cat.jpg"), "x");
        Path list = write("\"img/my cat.jpg\" img/dog.png\n");
        assertEquals(List.of(spaced, dog), Dataset.load(list).get(0).files());
    }

    @Test
    void missingEntryNamesListLineEntryAndResolvedPath() throws Exception {
        Path list = write("img/cat.jpg\n# comment\n\nimg/dog.png\nimg/cow.jpg\n");

        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(list));

        assertEquals(list + " line 5: file 'img/cow.jpg' not found (looked for " + dir.resolve("img/cow.jpg") + ")",
                e.getMessage());
    }

    @Test
    void backslashPathGetsAHintOnUnix() throws Exception {
        Path list = write("img\\cat.jpg\n");
        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(list));
        assertTrue(e.getMessage().startsWith(list + " line 1: file 'img\\cat.jpg' not found"), e.getMessage());
        if (java.io.File.separatorChar == '/') {
            assertTrue(e.getMessage().contains("use '/'"), e.getMessage());
        }
    }

    @Test
    void folderEntryIsAnError() throws Exception {
        Path list = write("img\n");
        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(list));
        assertTrue(e.getMessage().startsWith(list + " line 1: 'img' is a folder"), e.getMessage());
    }

    @Test
    void lineWithADifferentFileCountIsAnError() throws Exception {
        Path list = write("# two inputs\nimg/cat.jpg img/dog.png\nimg/cat.jpg\n");
        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(list));
        assertEquals(list + " line 3: 1 file but line 2 has 2; a line lists one file per model input", e.getMessage());
    }

    @Test
    void unclosedQuoteIsAnError() throws Exception {
        Path list = write("\"img/cat.jpg\n");
        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(list));
        assertTrue(e.getMessage().startsWith(list + " line 1: unclosed double quote"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "# only a comment\r\n\r\n"})
    void listWithoutEntriesIsAnErrorNamingIt(String text) throws Exception {
        Path list = write(text);
        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(list));
        assertTrue(e.getMessage().startsWith(list + ": no samples listed"), e.getMessage());
    }

    @Test
    void missingListIsAnErrorNamingIt() {
        Path list = dir.resolve("nope.txt");
        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(list));
        assertEquals(list + ": dataset file not found", e.getMessage());
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void namedPipeAsListIsRefusedWithoutBlocking() throws Exception {
        Path list = dev.layerwise.core.TestFiles.fifo(dir.resolve("fifo.txt"));
        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(list));
        assertEquals(list + ": is not a regular file (a named pipe); give the dataset file as an ordinary file", e.getMessage());
    }

    @Test
    void namedPipeListedAsSampleIsRefusedByLine() throws Exception {
        dev.layerwise.core.TestFiles.fifo(dir.resolve("img/pipe.jpg"));
        Path list = write("img/cat.jpg\nimg/pipe.jpg\n");
        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(list));
        assertEquals(list + " line 2: 'img/pipe.jpg' (" + dir.resolve("img/pipe.jpg")
                + ") is a pipe, device or socket, expected an ordinary file", e.getMessage());
    }

    @Test
    void folderGivenAsListIsAnError() {
        PreprocessException e = assertThrows(PreprocessException.class, () -> Dataset.load(dir));
        assertTrue(e.getMessage().startsWith("dataset " + dir + " is a folder"), e.getMessage());
    }

    @Test
    void singleFileIsASampleAtLineZero() {
        Sample s = Dataset.single(cat);
        assertEquals(0, s.line());
        assertEquals(List.of(cat), s.files());
        assertEquals(cat.toString(), s.origin());
    }

    @Test
    void originNamesListAndLine() throws Exception {
        Path list = write("\nimg/cat.jpg\n");
        assertEquals(list + " line 2", Dataset.load(list).get(0).origin());
    }
}
