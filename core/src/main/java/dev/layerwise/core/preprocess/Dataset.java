package dev.layerwise.core.preprocess;

import dev.layerwise.core.io.InputFileException;
import dev.layerwise.core.io.InputFiles;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads RKNN-style dataset lists ({@code dataset.txt}): one sample per line, one file per model
 * input on that line separated by whitespace, paths relative to the list's folder (absolute paths
 * work too). Blank lines and lines starting with {@code #} are skipped. A path containing spaces
 * can be put in double quotes. UTF-8 (with or without BOM), UTF-16 with BOM, and LF, CRLF or CR
 * line ends are accepted.
 *
 * <p>Stateless; safe to call from any thread. Reads the list and checks that every file exists,
 * but does not open the samples.
 */
public final class Dataset {

    private Dataset() {
    }

    /**
     * Reads a dataset list.
     *
     * @return the samples in file order, never empty
     * @throws PreprocessException naming the list (and line and entry) when the list is missing,
     *     unreadable or empty, or an entry does not name an existing file
     */
    public static List<Sample> load(Path datasetTxt) throws PreprocessException {
        Objects.requireNonNull(datasetTxt, "datasetTxt");
        if (Files.isDirectory(datasetTxt)) {
            throw new PreprocessException("dataset " + datasetTxt
                    + " is a folder; expected a text file listing one sample per line");
        }
        byte[] bytes;
        try {
            bytes = InputFiles.readAllBytes(datasetTxt, "dataset file", InputFiles.TEXT_LIMIT);
        } catch (InputFileException e) {
            throw new PreprocessException(e.getMessage(), e);
        }
        String text = decode(datasetTxt, bytes);
        Path folder = datasetTxt.toAbsolutePath().getParent();
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<Sample> samples = new ArrayList<>();
        int firstLine = 0;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = datasetTxt + " line " + lineNo;
            List<String> entries = split(line, where);
            List<Path> files = new ArrayList<>(entries.size());
            for (String entry : entries) {
                files.add(resolve(folder, entry, where));
            }
            if (!samples.isEmpty() && files.size() != samples.get(0).files().size()) {
                int n = samples.get(0).files().size();
                throw new PreprocessException(where + ": " + count(files.size()) + " but line " + firstLine
                        + " has " + n + "; a line lists one file per model input");
            }
            if (samples.isEmpty()) {
                firstLine = lineNo;
            }
            samples.add(new Sample(datasetTxt, lineNo, files));
        }
        if (samples.isEmpty()) {
            throw new PreprocessException(datasetTxt + ": no samples listed"
                    + (text.isBlank() ? " (the file is empty)" : " (only blank lines and # comments)"));
        }
        return List.copyOf(samples);
    }

    /**
     * A sample given directly, e.g. an image named on the command line. The file is not checked
     * here; {@link InputLoader} reports a missing file when it loads it.
     */
    public static Sample single(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return new Sample(abs, 0, List.of(abs));
    }

    private static String count(int n) {
        return n + (n == 1 ? " file" : " files");
    }

    private static String decode(Path file, byte[] bytes) throws PreprocessException {
        // Windows tools (PowerShell 5 redirection, Notepad's "Unicode") write UTF-16 with a BOM.
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
        }
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
            return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
        }
        String text = strictDecode(bytes, StandardCharsets.UTF_8);
        if (text == null) {
            // A list saved in the system's legacy code page (e.g. GBK) still names files that exist.
            String nativeName = System.getProperty("native.encoding");
            if (nativeName != null && Charset.isSupported(nativeName)) {
                text = strictDecode(bytes, Charset.forName(nativeName));
            }
        }
        if (text == null) {
            throw new PreprocessException(file + ": not a UTF-8 text file; save the dataset list as UTF-8");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String strictDecode(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static List<String> split(String line, String where) throws PreprocessException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean inToken = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                inToken = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (quoted) {
            throw new PreprocessException(where + ": unclosed double quote in '" + line + "'");
        }
        if (inToken) {
            out.add(current.toString());
        }
        for (String s : out) {
            if (s.isEmpty()) {
                throw new PreprocessException(where + ": empty file name \"\" in '" + line + "'");
            }
        }
        return out;
    }

    private static Path resolve(Path folder, String entry, String where) throws PreprocessException {
        Path path;
        try {
            path = Path.of(entry);
        } catch (InvalidPathException e) {
            throw new PreprocessException(where + ": '" + entry + "' is not a valid path: " + e.getReason(), e);
        }
        Path resolved = (path.isAbsolute() ? path : folder.resolve(path)).normalize();
        if (Files.isRegularFile(resolved)) {
            return resolved;
        }
        if (Files.isDirectory(resolved)) {
            throw new PreprocessException(where + ": '" + entry + "' is a folder (" + resolved + "), expected a file");
        }
        if (Files.exists(resolved)) {
            throw new PreprocessException(where + ": '" + entry + "' (" + resolved
                    + ") is a pipe, device or socket, expected an ordinary file");
        }
        String hint = "";
        if (entry.indexOf('\\') >= 0 && FileSystems.getDefault().getSeparator().equals("/")) {
            hint = "; '\\' is not a folder separator here, use '/'";
        }
        throw new PreprocessException(where + ": file '" + entry + "' not found (looked for " + resolved + ")" + hint);
    }
}
