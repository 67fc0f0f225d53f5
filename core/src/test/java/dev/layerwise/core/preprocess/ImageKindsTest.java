package dev.layerwise.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.tensor.FloatTensor;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Image files whose pixels are not plain 8-bit RGB reach the model as the RGB values they show. */
class ImageKindsTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private FloatTensor load(Path file, int w, int h) throws PreprocessException {
        return InputLoader.load(file, new long[] {1, 3, h, w}, "input", Preprocessing.none(), warnings::add);
    }

    /** A smooth colourful test card: every hue, light to dark. */
    static BufferedImage card(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float hue = x / (float) w;
                float value = 1f - 0.8f * y / h;
                img.setRGB(x, y, java.awt.Color.HSBtoRGB(hue, 0.8f, value) & 0xFFFFFF);
            }
        }
        return img;
    }

    /**
     * Writes {@code rgb} as a four-component JPEG the way a print workflow would: ink from naive
     * separation (K = 255 - max(R, G, B)), stored as {@code storage} says. Java's writer stores
     * four raw components; the Adobe APP14 marker that says how to read them is added by hand.
     */
    static byte[] cmykJpeg(BufferedImage rgb, CmykJpeg.Storage storage) throws IOException {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                int red = (p >> 16) & 0xFF;
                int green = (p >> 8) & 0xFF;
                int blue = p & 0xFF;
                int max = Math.max(red, Math.max(green, blue));
                int k = 255 - max;
                // ink so that (255 - C)(255 - K) / 255 = R
                int c = max == 0 ? 0 : Math.round(255f - red * 255f / max);
                int m = max == 0 ? 0 : Math.round(255f - green * 255f / max);
                int ye = max == 0 ? 0 : Math.round(255f - blue * 255f / max);
                int[] s = switch (storage) {
                    case PLAIN_CMYK -> new int[] {c, m, ye, k};
                    case INVERTED_CMYK -> new int[] {255 - c, 255 - m, 255 - ye, 255 - k};
                    case YCCK -> ycc(c, m, ye, 255 - k);
                };
                r.setPixel(x, y, s);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(1f);
            writer.write(null, new IIOImage(r, null, null), p);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        if (storage == CmykJpeg.Storage.PLAIN_CMYK) {
            return jpeg;
        }
        int transform = storage == CmykJpeg.Storage.YCCK ? 2 : 0;
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        byte[] out = new byte[jpeg.length + app14.length];
        System.arraycopy(jpeg, 0, out, 0, 2); // SOI
        System.arraycopy(app14, 0, out, 2, app14.length);
        System.arraycopy(jpeg, 2, out, 2 + app14.length, jpeg.length - 2);
        return out;
    }

    /** libjpeg's CMYK -> YCCK: YCbCr of (255 - stored C, M, Y), stored K as is; here stored = 255 - ink. */
    private static int[] ycc(int c, int m, int y, int storedK) {
        double r = c;
        double g = m;
        double b = y;
        return new int[] {
            clamp(0.299 * r + 0.587 * g + 0.114 * b),
            clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
            clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
            storedK};
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Largest and mean absolute difference between a CHW tensor and the image's RGB. */
    private static double[] difference(FloatTensor t, BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        double max = 0;
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int expected = (rgb.getRGB(x, y) >> (16 - 8 * c)) & 0xFF;
                    double d = Math.abs(t.data()[c * w * h + y * w + x] - expected);
                    max = Math.max(max, d);
                    sum += d;
                }
            }
        }
        return new double[] {max, sum / (3.0 * w * h)};
    }

    @ParameterizedTest
    @EnumSource(CmykJpeg.Storage.class)
    void fourComponentJpegIsConvertedToTheRgbItShows(CmykJpeg.Storage storage) throws Exception {
        BufferedImage card = card(64, 48);
        Path file = Files.write(dir.resolve("card-" + storage + ".jpg"), cmykJpeg(card, storage));
        double[] d = difference(load(file, 64, 48), card);
        // what is left is JPEG's own loss at quality 1.0 on a smooth card
        assertTrue(d[0] <= 12 && d[1] <= 1.5, storage + ": max " + d[0] + ", mean " + d[1]);
        assertEquals(List.of(file.getFileName() + ": CMYK JPEG converted to RGB without its colour profile, as PIL and OpenCV do"),
                warnings);
    }

    @Test
    void flatCmykBlocksGiveTheHandComputedColours() throws Exception {
        // 8x8 blocks of one colour survive JPEG exactly: cyan ink alone, and 50% black alone
        BufferedImage two = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                two.setRGB(x, y, x < 8 ? 0x00FFFF : 0x7F7F7F);
            }
        }
        Path file = Files.write(dir.resolve("two.jpg"), cmykJpeg(two, CmykJpeg.Storage.INVERTED_CMYK));
        FloatTensor t = load(file, 16, 8);
        // R, G, B planes at (2, 2) and (12, 2): (0, 255, 255) and K = 128 -> 255 * 127 / 255 = 127
        float[] left = {t.data()[2 * 16 + 2], t.data()[128 + 2 * 16 + 2], t.data()[256 + 2 * 16 + 2]};
        float[] right = {t.data()[2 * 16 + 12], t.data()[128 + 2 * 16 + 12], t.data()[256 + 2 * 16 + 12]};
        assertArrayEquals(new float[] {0, 255, 255}, left, 1f);
        assertArrayEquals(new float[] {127, 127, 127}, right, 1f);
    }

    @Test
    void sampleDogAsCmykJpegMatchesTheDogAsPng() throws Exception {
        Path png = TestModels.repoRoot().resolve("sample-models/shufflenetv2_x1/dog_224x224.png");
        BufferedImage dog = ImageIO.read(png.toFile());
        Path cmyk = Files.write(dir.resolve("dog-cmyk.jpg"), cmykJpeg(dog, CmykJpeg.Storage.INVERTED_CMYK));
        double[] d = difference(load(cmyk, 224, 224), dog);
        // the old path (Java2D's CMYK colour space through getRGB) was off by about 54 levels on average
        assertTrue(d[1] < 2.0, "mean difference " + d[1]);
    }

    @Test
    void sixteenBitRgbPngIsScaledTo8Bits() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                false, false, java.awt.Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(2, 1);
        r.setPixel(0, 0, new int[] {0, 257 * 100, 65535});
        r.setPixel(1, 0, new int[] {257 * 7, 257 * 200, 257 * 255});
        Path file = dir.resolve("deep.png");
        ImageIO.write(new BufferedImage(cm, r, false, null), "png", file.toFile());
        FloatTensor t = load(file, 2, 1);
        assertArrayEquals(new float[] {0, 7, 100, 200, 255, 255}, t.data(), 1e-3f);
    }

    @Test
    void palettePngReadsItsPaletteColours() throws Exception {
        byte[] reds = {(byte) 200, 10};
        byte[] greens = {20, (byte) 220};
        byte[] blues = {30, 40};
        IndexColorModel icm = new IndexColorModel(1, 2, reds, greens, blues);
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY, icm);
        img.getRaster().setSample(0, 0, 0, 0);
        img.getRaster().setSample(1, 0, 0, 1);
        Path file = dir.resolve("palette.png");
        ImageIO.write(img, "png", file.toFile());
        assertArrayEquals(new float[] {200, 10, 20, 220, 30, 40}, load(file, 2, 1).data());
    }

    @Test
    void rgbaPngDropsAlphaWithAWarningAndKeepsColours() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80FF0000);
        img.setRGB(1, 0, 0xFF00FF00);
        Path file = dir.resolve("alpha.png");
        ImageIO.write(img, "png", file.toFile());
        assertArrayEquals(new float[] {255, 0, 0, 255, 0, 0}, load(file, 2, 1).data());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("transparent"), warnings.get(0));
    }
}
