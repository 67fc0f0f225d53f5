package dev.layerwise.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputLoaderTest {

    private static final long[] NCHW_2X2 = {1, 3, 2, 2};
    private static final long[] NHWC_2X2 = {1, 2, 2, 3};

    /**
     * A 2x2 RGB image, pixels (R, G, B) row by row: (10,20,30) (40,50,60) / (70,80,90) (100,110,120).
     * With reorder "2 1 0", mean 30,20,10 and std 2,5,0.5 every output value is a whole number.
     */
    private static final int[] RGB_2X2 = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120};
    private static final Preprocessing BGR = Preprocessing.parse("30,20,10", "2,5,0.5", "2 1 0");
    private static final float[] BGR_NCHW = {0, 15, 30, 45, 0, 6, 12, 18, 0, 60, 120, 180};
    private static final float[] BGR_NHWC = {0, 0, 0, 15, 6, 60, 30, 12, 120, 45, 18, 180};

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private FloatTensor load(Path file, long[] shape, Preprocessing p) throws PreprocessException {
        return InputLoader.load(file, shape, "input", p, warnings::add);
    }

    private PreprocessException loadFails(Path file, long[] shape, Preprocessing p) {
        PreprocessException e = assertThrows(PreprocessException.class, () -> load(file, shape, p));
        assertTrue(e.getMessage().startsWith(file + ": "), "message names the file: " + e.getMessage());
        return e;
    }

    static BufferedImage rgb(int width, int height, int... rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < width * height; i++) {
            image.setRGB(i % width, i / width, rgb[3 * i] << 16 | rgb[3 * i + 1] << 8 | rgb[3 * i + 2]);
        }
        return image;
    }

    static BufferedImage gray(int width, int height, int... values) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, width, height, values);
        return image;
    }

    static BufferedImage constant(int width, int height, int r, int g, int b) {
        int[] rgb = new int[3 * width * height];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = r;
            rgb[i + 1] = g;
            rgb[i + 2] = b;
        }
        return rgb(width, height, rgb);
    }

    private Path save(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), "no " + format + " writer");
        return file;
    }

    /** A uint8 {@code .npy} file, which {@link Npy#write} (float32 only) cannot produce. */
    private Path saveUint8Npy(String name, long[] shape, int... values) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + dims + "), }";
        header += " ".repeat(63 - (10 + header.length()) % 64) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + values.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int v : values) {
            bb.put((byte) v);
        }
        return Files.write(dir.resolve(name), bb.array());
    }

    private Path saveFloatNpy(String name, long[] shape) throws IOException {
        float[] data = new float[(int) FloatTensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        Path file = dir.resolve(name);
        Npy.write(file, new FloatTensor(shape, data));
        return file;
    }

    @Nested
    class Images {

        @ParameterizedTest
        @ValueSource(strings = {"png", "bmp"})
        void pixelsAreReorderedThenNormalisedIntoNchw(String format) throws Exception {
            Path file = save(rgb(2, 2, RGB_2X2), format, "px." + format);

            FloatTensor t = load(file, NCHW_2X2, BGR);

            assertArrayEquals(NCHW_2X2, t.shape());
            assertArrayEquals(BGR_NCHW, t.data());
            assertEquals(List.of(), warnings);
        }

        @Test
        void pixelsAreReorderedThenNormalisedIntoNhwc() throws Exception {
            Path file = save(rgb(2, 2, RGB_2X2), "png", "px.png");

            FloatTensor t = load(file, NHWC_2X2, BGR);

            assertArrayEquals(NHWC_2X2, t.shape());
            assertArrayEquals(BGR_NHWC, t.data());
        }

        @Test
        void withoutPreprocessingValuesStayInRgbOrderAnd0To255() throws Exception {
            Path file = save(rgb(2, 2, RGB_2X2), "png", "px.png");
            FloatTensor t = load(file, NHWC_2X2, Preprocessing.none());
            float[] expected = new float[RGB_2X2.length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = RGB_2X2[i];
            }
            assertArrayEquals(expected, t.data());
        }

        @ParameterizedTest
        @ValueSource(strings = {"PX.PNG", "px.Jpeg.bak", "px.dat", "png-named.jpg"})
        void formatIsRecognisedByContentNotName(String name) throws Exception {
            Path file = save(rgb(2, 2, RGB_2X2), "png", name);
            assertArrayEquals(BGR_NCHW, load(file, NCHW_2X2, BGR).data());
        }

        @Test
        void jpegIsDecodedNearItsColour() throws Exception {
            Path file = save(constant(16, 16, 200, 100, 50), "jpg", "flat.jpg");

            FloatTensor t = load(file, new long[] {1, 3, 16, 16}, Preprocessing.none());

            float[] colour = {200, 100, 50};
            for (int i = 0; i < t.size(); i++) {
                assertEquals(colour[i / 256], t.data()[i], 3f, "value " + i);
            }
        }

        @ParameterizedTest
        @CsvSource({"-1", "0", "1", "8"})
        void batchBecomesOne(long batch) throws Exception {
            Path file = save(rgb(2, 2, RGB_2X2), "png", "px.png");
            FloatTensor t = load(file, new long[] {batch, 3, 2, 2}, BGR);
            assertArrayEquals(NCHW_2X2, t.shape());
        }

        @Test
        void dynamicHeightAndWidthTakeTheImageSize() throws Exception {
            Path file = save(constant(3, 2, 1, 2, 3), "png", "wide.png");

            FloatTensor t = load(file, new long[] {-1, -1, -1, 3}, Preprocessing.none());

            assertArrayEquals(new long[] {1, 2, 3, 3}, t.shape());
            assertEquals(List.of(), warnings);
        }

        @Test
        void grayImageFeedsGrayModel() throws Exception {
            Path file = save(gray(2, 1, 0, 255), "png", "g.png");
            FloatTensor t = load(file, new long[] {1, 1, 1, 2}, Preprocessing.parse("127.5", "127.5", null));
            assertArrayEquals(new float[] {-1, 1}, t.data());
        }

        @Test
        void sixteenBitPngIsScaledTo255() throws Exception {
            BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
            image.getRaster().setPixels(0, 0, 2, 1, new int[] {65535, 51 * 257});
            Path file = save(image, "png", "deep.png");
            assertArrayEquals(new float[] {255, 51}, load(file, new long[] {1, 1, 1, 2}, Preprocessing.none()).data(),
                    1e-3f);
        }
    }

    @Nested
    class Alpha {

        private Path rgba(int alpha) throws IOException {
            BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
            image.setRGB(0, 0, 0xFF0A141E);
            image.setRGB(1, 0, alpha << 24 | 0x28323C);
            return save(image, "png", "a.png");
        }

        @Test
        void opaqueAlphaIsDroppedSilently() throws Exception {
            FloatTensor t = load(rgba(255), new long[] {1, 3, 1, 2}, Preprocessing.none());
            assertArrayEquals(new float[] {10, 40, 20, 50, 30, 60}, t.data());
            assertEquals(List.of(), warnings);
        }

        @Test
        void transparentAlphaIsDroppedWithAWarning() throws Exception {
            FloatTensor t = load(rgba(0), new long[] {1, 3, 1, 2}, Preprocessing.none());
            assertArrayEquals(new float[] {10, 40, 20, 50, 30, 60}, t.data());
            assertEquals(List.of("a.png: transparent pixels; alpha dropped for model input 'input' with 3 channels"),
                    warnings);
        }

        @Test
        void fourChannelModelTakesRgba() throws Exception {
            FloatTensor t = load(rgba(128), new long[] {1, 4, 1, 2}, Preprocessing.none());
            assertArrayEquals(new float[] {10, 40, 20, 50, 30, 60, 255, 128}, t.data());
        }
    }

    @Nested
    class Resize {

        @ParameterizedTest(name = "7x5 to {0}x{1}")
        @CsvSource({"6, 4", "3, 2", "14, 10", "1, 1", "224, 224"})
        void constantImageStaysExactlyConstant(int width, int height) throws Exception {
            Path file = save(constant(7, 5, 37, 91, 200), "png", "c.png");

            FloatTensor t = load(file, new long[] {1, 3, height, width}, Preprocessing.none());

            float[] colour = {37, 91, 200};
            for (int i = 0; i < t.size(); i++) {
                assertEquals(colour[i / (width * height)], t.data()[i], "value " + i);
            }
            assertEquals(List.of("c.png: 7x5 resized to " + width + "x" + height + " (model input 'input')"),
                    warnings);
        }

        @Test
        void halvingAGradientAveragesNeighbours() throws Exception {
            Path file = save(gray(4, 1, 0, 40, 80, 120), "png", "g.png");
            assertArrayEquals(new float[] {20, 100}, load(file, new long[] {1, 1, 1, 2}, Preprocessing.none()).data());
        }

        @Test
        void doublingAGradientInterpolatesAndClampsEdges() throws Exception {
            Path file = save(gray(2, 1, 0, 100), "png", "g.png");
            assertArrayEquals(new float[] {0, 25, 75, 100},
                    load(file, new long[] {1, 1, 1, 4}, Preprocessing.none()).data());
        }

        @Test
        void upscalingInTwoDimensionsBlendsFourPixels() throws Exception {
            Path file = save(gray(2, 2, 0, 100, 200, 40), "png", "g.png");

            FloatTensor t = load(file, new long[] {1, 1, 4, 4}, Preprocessing.none());

            // rows are blended at 0, 1/4, 3/4, 1 between the two source rows, columns alike
            assertArrayEquals(new float[] {
                0, 25, 75, 100,
                50, 58.75f, 76.25f, 85,
                150, 126.25f, 78.75f, 55,
                200, 160, 80, 40,
            }, t.data());
        }

        /**
         * Every output value of a noisy RGB photo, resized and normalised, against the formula
         * written out per value here: source position {@code (d + 0.5) * src / dst - 0.5} clamped
         * to the edges, horizontal blends of the two rows, a vertical blend, {@code (v - mean) / std}.
         * Bit for bit: the loader's row-wise order must not change a single float.
         */
        @ParameterizedTest(name = "{0}x{1} to {2}x{3}, {4}")
        @CsvSource({"37, 23, 96, 64, NCHW", "37, 23, 96, 64, NHWC", "64, 48, 21, 17, NHWC", "50, 40, 50, 40, NCHW",
            "9, 30, 40, 7, NCHW"})
        void everyValueIsTheBilinearFormulaThenTheNormalisationBitForBit(int sw, int sh, int w, int h, Layout layout)
                throws Exception {
            java.util.Random rnd = new java.util.Random(sw * 31 + h);
            int[] rgb = new int[3 * sw * sh];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = rnd.nextInt(256);
            }
            Path file = save(rgb(sw, sh, rgb), "png", "noise.png");
            Preprocessing p = Preprocessing.parse("123.675,116.28,103.53", "58.395,57.12,57.375", "2 1 0");

            FloatTensor t = load(file, layout.shape(3, h, w), p);

            float[] expected = new float[3 * h * w];
            for (int c = 0; c < 3; c++) {
                int source = 2 - c;
                for (int y = 0; y < h; y++) {
                    double fy = Math.min(Math.max((y + 0.5) * ((double) sh / h) - 0.5, 0), sh - 1);
                    int y0 = (int) Math.floor(fy);
                    int y1 = Math.min(y0 + 1, sh - 1);
                    float ty = (float) (fy - y0);
                    for (int x = 0; x < w; x++) {
                        double fx = Math.min(Math.max((x + 0.5) * ((double) sw / w) - 0.5, 0), sw - 1);
                        int x0 = (int) Math.floor(fx);
                        int x1 = Math.min(x0 + 1, sw - 1);
                        float tx = (float) (fx - x0);
                        float a = rgb[3 * (y0 * sw + x0) + source];
                        float b = rgb[3 * (y0 * sw + x1) + source];
                        float cc = rgb[3 * (y1 * sw + x0) + source];
                        float d = rgb[3 * (y1 * sw + x1) + source];
                        float top = a + (b - a) * tx;
                        float bottom = cc + (d - cc) * tx;
                        float v = top + (bottom - top) * ty;
                        int at = layout == Layout.NCHW ? (c * h + y) * w + x : (y * w + x) * 3 + c;
                        expected[at] = (v - p.meanFor(c)) / p.stdFor(c);
                    }
                }
            }
            // compares the floats' bits
            assertArrayEquals(expected, t.data());
        }

        @Test
        void normalisationIsAppliedAfterResizing() throws Exception {
            Path file = save(gray(2, 1, 0, 100), "png", "g.png");
            Preprocessing p = Preprocessing.parse("50", "25", null);
            assertArrayEquals(new float[] {-2, -1, 1, 2}, load(file, new long[] {1, 1, 1, 4}, p).data());
        }
    }

    @Nested
    class NpyFiles {

        @Test
        void tensorOfTheModelShapeIsFedRaw() throws Exception {
            Path file = saveFloatNpy("t.npy", NCHW_2X2);
            FloatTensor t = load(file, NCHW_2X2, BGR);
            assertArrayEquals(NCHW_2X2, t.shape());
            assertArrayEquals(Npy.read(file).data(), t.data());
        }

        @Test
        void tensorWithoutBatchDimensionGetsOne() throws Exception {
            Path file = saveFloatNpy("t.npy", new long[] {2, 2, 3});
            FloatTensor t = load(file, new long[] {-1, 2, 2, 3}, BGR);
            assertArrayEquals(NHWC_2X2, t.shape());
            assertArrayEquals(Npy.read(file).data(), t.data());
        }

        @ParameterizedTest
        @CsvSource({"1 10", "10"})
        void nonImageInputsTakeTensorsOfAnyRank(String npyShape) throws Exception {
            long[] shape = Arrays.stream(npyShape.split(" ")).mapToLong(Long::parseLong).toArray();
            Path file = saveFloatNpy("t.npy", shape);
            FloatTensor t = load(file, new long[] {-1, 10}, Preprocessing.none());
            assertArrayEquals(new long[] {1, 10}, t.shape());
        }

        @Test
        void uint8HwcArrayIsTreatedAsAnImage() throws Exception {
            Path file = saveUint8Npy("img.npy", new long[] {2, 2, 3}, RGB_2X2);
            assertArrayEquals(BGR_NCHW, load(file, NCHW_2X2, BGR).data());
        }

        @Test
        void chwArrayWithLeadingOneIsResizedLikeAnImage() throws Exception {
            // 1x3x2x4, each channel a constant: 10, 20, 30
            int[] values = new int[24];
            for (int i = 0; i < values.length; i++) {
                values[i] = 10 * (i / 8 + 1);
            }
            Path file = saveUint8Npy("chw.npy", new long[] {1, 3, 2, 4}, values);

            FloatTensor t = load(file, NHWC_2X2, BGR);

            assertArrayEquals(NHWC_2X2, t.shape());
            // B=30 -> (30-30)/2, G=20 -> (20-20)/5, R=10 -> (10-10)/0.5
            assertArrayEquals(new float[12], t.data());
            assertEquals(List.of("chw.npy: 4x2 resized to 2x2 (model input 'input')"), warnings);
        }

        @Test
        void uint8TensorOfTheModelShapeIsFedRawWithAWarning() throws Exception {
            Path file = saveUint8Npy("raw.npy", new long[] {1, 2, 2, 3}, RGB_2X2);

            FloatTensor t = load(file, NHWC_2X2, BGR);

            assertEquals(10f, t.data()[0]);
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).startsWith("raw.npy: uint8 array has the shape of model input 'input'"));
        }

        @Test
        void arrayOfAnotherShapeIsAnErrorNamingBothShapes() throws Exception {
            Path file = saveFloatNpy("odd.npy", new long[] {5, 5});
            PreprocessException e = loadFails(file, new long[] {-1, 3, 224, 224}, Preprocessing.none());
            assertTrue(e.getMessage().contains("array shape 5x5 does not fit model input 'input' (?x3x224x224)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("expected 1x3x224x224 or 3x224x224"), e.getMessage());
        }

        @Test
        void arrayWithWrongChannelCountIsAnError() throws Exception {
            Path file = saveUint8Npy("two.npy", new long[] {2, 2, 2}, new int[8]);
            loadFails(file, NCHW_2X2, Preprocessing.none());
        }

        @Test
        void corruptNpyIsAnErrorNamingTheFile() throws Exception {
            Path file = Files.writeString(dir.resolve("bad.npy"), "not numpy at all");
            loadFails(file, NCHW_2X2, Preprocessing.none());
        }
    }

    @Test
    void colourImageIntoGrayModelIsItsLumaWithOneWarning() throws Exception {
        Path file = save(rgb(2, 2, RGB_2X2), "png", "c.png");
        FloatTensor t = load(file, new long[] {1, 1, 2, 2}, Preprocessing.parse("8.15", "2", null));
        // L = 0.299 R + 0.587 G + 0.114 B: 18.15, 48.15, 78.15, 108.15; then (L - 8.15) / 2
        assertArrayEquals(new float[] {5, 20, 35, 50}, t.data(), 1e-4f);
        assertEquals(List.of(file.getFileName() + ": RGB image converted to gray (L = 0.299 R + 0.587 G + 0.114 B) for model input "
                + "'input' with 1 channel"), warnings);
    }

    @Nested
    class Errors {

        @Test
        @org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
        void namedPipeAsInputIsRefusedWithoutBlocking() throws Exception {
            Path fifo = dev.layerwise.core.TestFiles.fifo(dir.resolve("input.jpg"));
            PreprocessException e = loadFails(fifo, NCHW_2X2, Preprocessing.none());
            assertEquals(fifo + ": is not a regular file (a named pipe); give the image or .npy file as an ordinary file",
                    e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"/dev/zero", "/dev/urandom"})
        void endlessDeviceAsInputIsRefused(String device) {
            PreprocessException e = loadFails(Path.of(device), NCHW_2X2, Preprocessing.none());
            assertTrue(e.getMessage().contains("a character device"), e.getMessage());
        }

        @Test
        void grayImageIntoColourModel() throws Exception {
            Path file = save(gray(2, 2, 1, 2, 3, 4), "png", "g.png");
            PreprocessException e = loadFails(file, NCHW_2X2, Preprocessing.none());
            assertEquals(file + ": image has 1 channel (gray), model input 'input' expects 3", e.getMessage());
        }


        @Test
        void meanThatDoesNotFitTheModel() throws Exception {
            Path file = save(rgb(2, 2, RGB_2X2), "png", "c.png");
            PreprocessException e = loadFails(file, NCHW_2X2, Preprocessing.parse("1,2", null, null));
            assertEquals(file + ": mean has 2 values but model input 'input' has 3 channels", e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"x.jpg", "x.png", "x", "x.bmp"})
        void garbageIsNotAnImage(String name) throws Exception {
            Path file = Files.write(dir.resolve(name), "definitely not pixels".getBytes(StandardCharsets.US_ASCII));
            PreprocessException e = loadFails(file, NCHW_2X2, Preprocessing.none());
            assertTrue(e.getMessage().contains("not a supported image"), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"png", "bmp"})
        void truncatedImageIsAnError(String format) throws Exception {
            Path good = save(constant(64, 64, 1, 2, 3), format, "good." + format);
            byte[] bytes = Files.readAllBytes(good);
            Path file = Files.write(dir.resolve("cut." + format), Arrays.copyOf(bytes, bytes.length / 3));
            loadFails(file, new long[] {1, 3, 64, 64}, Preprocessing.none());
        }

        @Test
        void truncatedJpegDecodesWithDecoderWarningsLikeOpenCv() throws Exception {
            BufferedImage busy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < 64 * 64; i++) {
                busy.setRGB(i % 64, i / 64, (int) (i * 2654435761L)); // Knuth hash: noisy colours
            }
            byte[] bytes = Files.readAllBytes(save(busy, "jpg", "good.jpg"));
            // cut well after the headers, inside the entropy-coded scan
            Path file = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(bytes, bytes.length * 3 / 4));

            load(file, new long[] {1, 3, 64, 64}, Preprocessing.none());

            assertTrue(!warnings.isEmpty() && warnings.stream().allMatch(w -> w.startsWith("cut.jpg: ")),
                    warnings.toString());
        }

        @Test
        void missingFile() {
            Path file = dir.resolve("gone.png");
            assertEquals(file + ": image or .npy file not found", loadFails(file, NCHW_2X2, Preprocessing.none()).getMessage());
        }

        @Test
        void folderInsteadOfFile() {
            loadFails(dir, NCHW_2X2, Preprocessing.none());
        }

        @Test
        void modelShapeWithoutChannelDimension() throws Exception {
            Path file = save(rgb(2, 2, RGB_2X2), "png", "c.png");
            PreprocessException e = loadFails(file, new long[] {1, 5, 6, 7}, Preprocessing.none());
            assertTrue(e.getMessage().contains("cannot tell where the channels are"), e.getMessage());
        }

        @Test
        void imageForANonImageInput() throws Exception {
            Path file = save(rgb(2, 2, RGB_2X2), "png", "c.png");
            PreprocessException e = loadFails(file, new long[] {1, 12}, Preprocessing.none());
            assertTrue(e.getMessage().contains("images need a rank-4 model input"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "npy"})
    void inputFileAndItsFolderAreLeftUntouched(String kind) throws Exception {
        Path file = kind.equals("npy")
                ? saveFloatNpy("in.npy", new long[] {3, 4, 4})
                : save(constant(8, 8, 9, 8, 7), kind, "in." + kind);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L));
        byte[] before = Files.readAllBytes(file);
        List<Path> listing = list();

        load(file, new long[] {1, 3, 4, 4}, BGR);

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(FileTime.fromMillis(1_600_000_000_000L), Files.getLastModifiedTime(file));
        assertEquals(listing, list());
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void warningsMayBeNull() throws Exception {
        Path file = save(constant(3, 3, 1, 2, 3), "png", "c.png");
        FloatTensor t = InputLoader.load(file, NCHW_2X2, "input", Preprocessing.none(), null);
        assertArrayEquals(NCHW_2X2, t.shape());
    }
}
