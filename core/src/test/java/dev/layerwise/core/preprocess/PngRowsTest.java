package dev.layerwise.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PngRows} must give exactly the samples ImageIO's decoder (read through {@link ImagePixels})
 * gives, and leave to ImageIO every PNG it does not take. The files are written here, chunk by
 * chunk, so that every filter type, split image data, ancillary chunks and each kind of damage can
 * be had on purpose.
 */
class PngRowsTest {

    /** A PNG of random samples, each row written with filter {@code y % 5} (None, Sub, Up, Average, Paeth). */
    private static final class Png {
        int width = 13;
        int height = 7;
        int colorType = 2;
        int depth = 8;
        int interlace = 0;
        int idatPieces = 1;
        /** A tEXt chunk between the first two bytes of image data (the zlib header) and the rest. */
        boolean textInsideData;
        boolean ancillary;
        String extraChunk;
        long seed = 5;

        int channels() {
            return switch (colorType) {
                case 0 -> 1;
                case 2 -> 3;
                case 4 -> 2;
                case 6 -> 4;
                default -> 1;
            };
        }

        byte[] samples() {
            byte[] s = new byte[width * height * channels()];
            Random r = new Random(seed);
            for (int i = 0; i < s.length; i++) {
                // runs of equal values as well as noise, so that the filters see both
                s[i] = (byte) (r.nextInt(4) == 0 ? 200 : r.nextInt(256));
            }
            return s;
        }

        byte[] filtered() {
            byte[] s = samples();
            int stride = width * channels();
            int bpp = channels();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int y = 0; y < height; y++) {
                int f = y % 5;
                out.write(f);
                for (int x = 0; x < stride; x++) {
                    int v = s[y * stride + x] & 0xff;
                    int a = x >= bpp ? s[y * stride + x - bpp] & 0xff : 0;
                    int b = y > 0 ? s[(y - 1) * stride + x] & 0xff : 0;
                    int c = x >= bpp && y > 0 ? s[(y - 1) * stride + x - bpp] & 0xff : 0;
                    int predicted = switch (f) {
                        case 1 -> a;
                        case 2 -> b;
                        case 3 -> (a + b) / 2;
                        case 4 -> paeth(a, b, c);
                        default -> 0;
                    };
                    out.write((v - predicted) & 0xff);
                }
            }
            return out.toByteArray();
        }

        byte[] file() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            byte[] ihdr = new byte[13];
            put32(ihdr, 0, width);
            put32(ihdr, 4, height);
            ihdr[8] = (byte) depth;
            ihdr[9] = (byte) colorType;
            ihdr[12] = (byte) interlace;
            chunk(out, "IHDR", ihdr);
            if (ancillary) {
                chunk(out, "gAMA", new byte[] {0, 0, (byte) 0xb1, (byte) 0x8f});
                chunk(out, "sRGB", new byte[] {0});
                chunk(out, "tEXt", "Comment\0made by PngRowsTest".getBytes(StandardCharsets.ISO_8859_1));
                chunk(out, "pHYs", new byte[] {0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1});
            }
            if (extraChunk != null) {
                chunk(out, extraChunk, new byte[] {0, 0, 0, 0, 0, 0});
            }
            Deflater d = new Deflater();
            d.setInput(filtered());
            d.finish();
            byte[] z = new byte[filtered().length * 2 + 64];
            int n = d.deflate(z);
            d.end();
            if (textInsideData) {
                chunk(out, "IDAT", Arrays.copyOfRange(z, 0, 2));
                chunk(out, "tEXt", "Comment\0between".getBytes(StandardCharsets.ISO_8859_1));
                chunk(out, "IDAT", Arrays.copyOfRange(z, 2, n));
            } else {
                int piece = (n + idatPieces - 1) / idatPieces;
                for (int from = 0; from < n; from += piece) {
                    chunk(out, "IDAT", Arrays.copyOfRange(z, from, Math.min(n, from + piece)));
                }
            }
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        }
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] len = new byte[4];
        put32(len, 0, data.length);
        out.write(len);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        put32(c, 0, (int) crc.getValue());
        out.write(c);
    }

    /** Every band's rows of both sources are the same floats. */
    private static void assertSameSamples(PixelSource expected, PixelSource actual) {
        assertEquals(expected.width(), actual.width());
        assertEquals(expected.height(), actual.height());
        assertEquals(expected.colorBands(), actual.colorBands());
        assertEquals(expected.hasAlpha(), actual.hasAlpha());
        float[] e = new float[expected.width()];
        float[] a = new float[actual.width()];
        for (int band = 0; band < expected.bands(); band++) {
            for (int y = 0; y < expected.height(); y++) {
                expected.readRow(y, band, e);
                actual.readRow(y, band, a);
                assertArrayEquals(e, a, "band " + band + ", row " + y);
            }
        }
    }

    private static PixelSource imageIo(byte[] file) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(file));
        assertNotNull(image, "ImageIO reads the test's file");
        return ImagePixels.of(image);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 13, 7, 1, false",
        "2, 13, 7, 1, false",
        "4, 13, 7, 1, false",
        "6, 13, 7, 1, false",
        "2, 1, 1, 1, false",
        "6, 64, 33, 5, true",
        "0, 300, 11, 3, true",
        "2, 224, 224, 7, true",
    })
    void readsTheSamplesImageIoReads(int colorType, int width, int height, int idatPieces, boolean ancillary) throws IOException {
        Png png = new Png();
        png.colorType = colorType;
        png.width = width;
        png.height = height;
        png.idatPieces = idatPieces;
        png.ancillary = ancillary;
        byte[] file = png.file();
        PngRows fast = PngRows.decode(file);
        assertNotNull(fast, "a plain 8-bit PNG is taken");
        assertSameSamples(imageIo(file), fast);
    }

    @Test
    void aPngImageIoWroteReadsAlike() throws IOException {
        BufferedImage image = new BufferedImage(37, 21, BufferedImage.TYPE_4BYTE_ABGR);
        Random r = new Random(3);
        for (int y = 0; y < 21; y++) {
            for (int x = 0; x < 37; x++) {
                image.setRGB(x, y, r.nextInt());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        byte[] file = out.toByteArray();
        assertSameSamples(imageIo(file), PngRows.decode(file));
    }

    @Test
    void otherKindsAreLeftToImageIo() throws IOException {
        Png palette = new Png();
        palette.colorType = 3;
        assertNull(PngRows.decode(palette.file()), "palette");
        Png sixteen = new Png();
        sixteen.depth = 16;
        assertNull(PngRows.decode(sixteen.file()), "16-bit");
        Png interlaced = new Png();
        interlaced.interlace = 1;
        assertNull(PngRows.decode(interlaced.file()), "interlaced");
        Png transparent = new Png();
        transparent.extraChunk = "tRNS";
        assertNull(PngRows.decode(transparent.file()), "a transparency chunk");
        Png profile = new Png();
        profile.extraChunk = "iCCP";
        assertNull(PngRows.decode(profile.file()), "an ICC profile");
        Png unknownCritical = new Png();
        unknownCritical.extraChunk = "ABCD";
        assertNull(PngRows.decode(unknownCritical.file()), "a critical chunk it does not know");
        Png unknownAncillary = new Png();
        unknownAncillary.extraChunk = "abCD";
        assertNotNull(PngRows.decode(unknownAncillary.file()), "an ancillary chunk is skipped, as ImageIO skips it");
        assertNull(PngRows.decode("GIF89a..........".getBytes(StandardCharsets.ISO_8859_1)), "not a PNG");
        Png split = new Png();
        split.textInsideData = true;
        assertNull(PngRows.decode(split.file()), "image data interrupted by another chunk, which ImageIO refuses");
        assertThrows(IOException.class, () -> ImageIO.read(new ByteArrayInputStream(split.file())));
    }

    @Test
    void damagedFilesAreLeftToImageIo() throws IOException {
        byte[] good = new Png().file();
        assertNotNull(PngRows.decode(good));
        // cut short anywhere
        for (int cut : new int[] {8, 20, 33, good.length / 2, good.length - 13, good.length - 1}) {
            assertNull(PngRows.decode(Arrays.copyOf(good, cut)), "cut at " + cut);
        }
        // one byte of the image data changed: its chunk's CRC no longer matches
        byte[] flipped = good.clone();
        flipped[good.length - 20] ^= 0x40;
        assertNull(PngRows.decode(flipped));
        // a chunk length beyond the file
        byte[] huge = good.clone();
        put32(huge, 8, Integer.MAX_VALUE);
        assertNull(PngRows.decode(huge));
        // an image larger than the header says: more rows of data than 7
        Png tall = new Png();
        tall.height = 8;
        byte[] more = tall.file();
        byte[] lying = more.clone();
        put32(lying, 20, 7);
        CRC32 crc = new CRC32();
        crc.update(lying, 12, 17);
        put32(lying, 29, (int) crc.getValue());
        assertNull(PngRows.decode(lying), "data beyond the header's size");
        // and fewer
        put32(lying, 20, 9);
        crc.reset();
        crc.update(lying, 12, 17);
        put32(lying, 29, (int) crc.getValue());
        assertNull(PngRows.decode(lying), "data short of the header's size");
    }

    @Test
    void aFilterTypeBeyondFourIsDamage() {
        byte[] rows = {5, 1, 2, 3};
        assertEquals(false, PngRows.unfilter(rows, 3, 1, 3));
    }

    @Test
    void theLoaderUsesItAndGivesTheSameTensor() throws Exception {
        Png png = new Png();
        png.width = 16;
        png.height = 9;
        png.ancillary = true;
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pngrows");
        try {
            java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("x.png"), png.file());
            Preprocessing p = Preprocessing.parse("123.675,116.28,103.53", "58.395,57.12,57.375", "2 1 0");
            long[] shape = {1, 3, 9, 16};
            float[] loaded = InputLoader.load(file, shape, "input", p, w -> { }).data();
            float[] viaImageIo = InputLoader.resample(imageIo(png.file()), Layout.NCHW, 3, 16, 9, p);
            assertArrayEquals(viaImageIo, loaded);
        } finally {
            try (var s = java.nio.file.Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
